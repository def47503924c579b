package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// phoneColumn is the width in CSS px that the page gives a chart on a
// 390 px phone (an iPhone 12 to 15 in portrait): the viewport less the
// body's padding (6 px a side under the 600 px media query) and the group
// card's (8 px a side), with the grid in one column and figures without
// side margins. Read from htmlTemplate's CSS.
const phoneColumn = 390 - 2*6 - 2*8

// TestHTMLChartsReadableOnAPhone (issue 18): every chart of the sample's
// page, scaled to the column a 390 px phone gives it, shows its smallest
// label at 11 px or more. Drawn 760 wide, as before, a 12-unit label
// showed at 362/760 × 12 ≈ 5.7 px.
func TestHTMLChartsReadableOnAPhone(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	root := parsePage(t, buf.Bytes())
	svgs := root.all(func(n *node) bool { return n.name == "svg" })
	if len(svgs) == 0 {
		t.Fatal("no charts on the page")
	}
	for i, svg := range svgs {
		f := strings.Fields(svg.attr["viewBox"])
		if len(f) != 4 {
			t.Fatalf("chart %d: viewBox %q", i, svg.attr["viewBox"])
		}
		width, err := strconv.ParseFloat(f[2], 64)
		if err != nil || width <= 0 {
			t.Fatalf("chart %d: viewBox %q", i, svg.attr["viewBox"])
		}
		// A chart is shown at the column's width (CSS: width 100%).
		scale := phoneColumn / width
		smallest := fontSize(t, svg.attr["font-size"])
		for _, tx := range svg.all(func(n *node) bool { return n.name == "text" && n.attr["font-size"] != "" }) {
			smallest = min(smallest, fontSize(t, tx.attr["font-size"]))
		}
		if px := smallest * scale; px < 11 {
			t.Errorf("chart %d: %v units wide, smallest label %v units: %.1f px on a 390 px phone, want at least 11", i, width, smallest, px)
		}
	}
}

func fontSize(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("font-size %q: %v", s, err)
	}
	return v
}
