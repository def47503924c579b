package chart

import (
	"io"
	"math"
	"strings"
	"testing"
)

func TestBandsAreDrawnClippedAndEscaped(t *testing.T) {
	c := Chart{X: []float64{0, 1, 2, 3}, Panels: []Panel{{
		Series: []Series{{Name: "activity", Color: "#1f77b4", Y: []float64{1, 2, 3, 4}}},
		Bands: []Band{
			{From: 1, To: 2, Label: "F30 <alert>"},
			{From: -5, To: 0.5, Color: "#aaa"}, // clipped to start at x = 0
			{From: 7, To: 9, Label: "outside"}, // entirely right of the x range: not drawn
		},
	}}}
	var b strings.Builder
	if err := Write(&b, c); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	if n := strings.Count(svg, `class="band"`); n != 2 {
		t.Errorf("%d bands drawn, want 2 (the third is outside the x range):\n%s", n, svg)
	}
	if !strings.Contains(svg, "F30 &lt;alert&gt;") || strings.Contains(svg, "<alert>") {
		t.Error("a band's label must be escaped")
	}
	if strings.Contains(svg, "outside") {
		t.Error("the label of a band outside the x range was drawn")
	}
	// The clipped band starts at the left edge of the plot area.
	if !strings.Contains(svg, `<rect class="band" x="70.0"`) {
		t.Errorf("the band from -5 is not clipped to the plot's left edge (x=%d):\n%s", left, svg)
	}
	// Bands are behind the series: drawn before the first polyline.
	if strings.Index(svg, `class="band"`) > strings.Index(svg, "<polyline") {
		t.Error("bands must be drawn before the series")
	}
}

func TestBandsRejectBadRanges(t *testing.T) {
	for name, bd := range map[string]Band{
		"backwards": {From: 2, To: 1},
		"nan":       {From: math.NaN(), To: 1},
		"infinite":  {From: 0, To: math.Inf(1)},
	} {
		c := Chart{X: []float64{0, 1}, Panels: []Panel{{Series: []Series{{Y: []float64{1, 2}}}, Bands: []Band{bd}}}}
		if err := Write(io.Discard, c); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}
