package chart

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

func TestWriteIsWellFormedSVG(t *testing.T) {
	c := Chart{Title: "members & groups <test>", XLabel: "day", X: []float64{0, 1, 2, 3},
		Panels: []Panel{
			{YLabel: "members", Series: []Series{{Name: "p50", Color: "#1f77b4", Y: []float64{100, 230, 529, 1216}}, {Name: "p95", Color: "#aaa", Dash: true, Y: []float64{100, 260, 700, 1800}}}},
			{YLabel: "groups", Series: []Series{{Name: "groups", Color: "#d62728", Y: []float64{1, 2, 3, 7}}}},
		}}
	var b strings.Builder
	if err := Write(&b, c); err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(strings.NewReader(b.String()))
	polylines := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b.String())
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polyline" {
			polylines++
		}
	}
	if polylines != 3 {
		t.Errorf("%d polylines, want one per series (3)", polylines)
	}
	if !strings.Contains(b.String(), "members &amp; groups &lt;test&gt;") {
		t.Error("the title must be escaped")
	}
}

func TestWriteRejectsBadInput(t *testing.T) {
	for name, c := range map[string]Chart{
		"no points":    {Panels: []Panel{{}}},
		"short series": {X: []float64{0, 1}, Panels: []Panel{{Series: []Series{{Y: []float64{1}}}}}},
		"not finite":   {X: []float64{0}, Panels: []Panel{{Series: []Series{{Y: []float64{math.NaN()}}}}}},
		"no panels":    {X: []float64{0}},
	} {
		if err := Write(io.Discard, c); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, tc := range []struct{ raw, want float64 }{{0.7, 1}, {1, 1}, {1.2, 2}, {3, 5}, {7, 10}, {120, 200}, {0, 1}} {
		if got := niceStep(tc.raw); got != tc.want {
			t.Errorf("niceStep(%v) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}
