package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
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

// phoneChart is a chart like report's daily activity chart: a long title,
// three series (two dashed), a band with a label, and a second panel.
func phoneChart(width int) Chart {
	x := make([]float64, 30)
	act, f25, f30, joins := make([]float64, 30), make([]float64, 30), make([]float64, 30), make([]float64, 30)
	for i := range x {
		x[i], act[i], f25[i], f30[i], joins[i] = float64(i), float64(7+i%11), 15, 10, float64(i%5)
	}
	return Chart{
		Title: "Daily activity (F25), low-activity alerts (F30)", XLabel: "day of 2026-03-01 to 2026-03-30", X: x, Width: width,
		Panels: []Panel{
			{YLabel: "activity %", Bands: []Band{{From: 3.5, To: 6.5, Label: "F30 alert"}}, Series: []Series{
				{Name: "activity", Color: "#1f77b4", Y: act},
				{Name: "F25 15.0%", Color: "#2ca02c", Dash: true, Y: f25},
				{Name: "F30 10.0%", Color: "#d62728", Dash: true, Y: f30},
			}},
			{YLabel: "per day", Series: []Series{{Name: "joins", Color: "#2ca02c", Y: joins}, {Name: "群成员变动", Color: "#d62728", Y: joins}}},
		},
	}
}

// svgText is one <text> of a chart, with what the test needs of it.
type svgText struct {
	x, y, size float64
	anchor     string
	rotated    bool
	s          string
}

// parseSVG reads what TestNarrowChartFitsAPhone checks: the root's width
// and viewBox, every text with its font size (inherited from the root when
// it has none), and every polyline point.
func parseSVG(t *testing.T, svg string) (width float64, viewBox string, texts []svgText, points [][2]float64, plotWidths []float64) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	rootSize := 0.0
	var cur *svgText
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			num := func(k string) float64 {
				v, err := strconv.ParseFloat(attr[k], 64)
				if err != nil && attr[k] != "" {
					t.Fatalf("%s=%q: %v", k, attr[k], err)
				}
				return v
			}
			switch tok.Name.Local {
			case "svg":
				width, viewBox, rootSize = num("width"), attr["viewBox"], num("font-size")
			case "text":
				cur = &svgText{x: num("x"), y: num("y"), size: rootSize, anchor: attr["text-anchor"], rotated: attr["transform"] != ""}
				if attr["font-size"] != "" {
					cur.size = num("font-size")
				}
			case "rect":
				if attr["stroke"] != "" { // a plot's frame
					plotWidths = append(plotWidths, num("width"))
				}
			case "polyline":
				for _, p := range strings.Fields(attr["points"]) {
					var x, y float64
					if _, err := fmt.Sscanf(p, "%g,%g", &x, &y); err != nil {
						t.Fatalf("point %q: %v", p, err)
					}
					points = append(points, [2]float64{x, y})
				}
			}
		case xml.CharData:
			if cur != nil {
				cur.s += string(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" && cur != nil {
				texts = append(texts, *cur)
				cur = nil
			}
		}
	}
}

// Issue 18: a chart drawn 360 units wide, which report's page shows at
// 360 to 362 px on a 390 px phone (390 less the page's and the card's
// padding), keeps every label at 11 px or more, leaves most of the width
// to the plots, and nothing falls outside the drawing. Text widths are estimated at 0.62 em per Latin character
// and 1 em per Han character: DejaVu Sans, the widest common sans-serif,
// averages about 0.6 em over lowercase letters and digits.
func TestNarrowChartFitsAPhone(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, phoneChart(360)); err != nil {
		t.Fatal(err)
	}
	width, viewBox, texts, points, plots := parseSVG(t, b.String())
	var height float64
	if _, err := fmt.Sscanf(viewBox, "0 0 360 %g", &height); err != nil || width != 360 {
		t.Fatalf("width %v, viewBox %q: want 360 and 0 0 360 H", width, viewBox)
	}
	estimate := func(s string, size float64) float64 {
		w := 0.0
		for _, r := range s {
			if r >= 0x4e00 && r <= 0x9fff {
				w += size
			} else {
				w += 0.62 * size
			}
		}
		return w
	}
	legend := 0
	for _, tx := range texts {
		if tx.size < 11 {
			t.Errorf("text %q at %v units: under 11 px when shown at 360 px", tx.s, tx.size)
		}
		if tx.rotated {
			continue
		}
		w := estimate(tx.s, tx.size)
		from := tx.x
		switch tx.anchor {
		case "end":
			from = tx.x - w
		case "middle":
			from = tx.x - w/2
		}
		if from < 0 || from+w > 360 || tx.y-tx.size < 0 || tx.y > height {
			t.Errorf("text %q spans x %.1f..%.1f, baseline %.1f: outside the 360×%v drawing", tx.s, from, from+w, tx.y, height)
		}
		if tx.s == "F30 10.0%" || tx.s == "群成员变动" {
			legend++
		}
	}
	if legend != 2 {
		t.Errorf("%d of the 2 checked legend entries drawn", legend)
	}
	// The plots keep most of the width: the legend is not beside them.
	for _, w := range plots {
		if w < 0.75*360 {
			t.Errorf("a plot %v units wide, want at least 3/4 of the 360", w)
		}
	}
	if len(plots) != 2 {
		t.Errorf("%d plot frames, want 2", len(plots))
	}
	for _, p := range points {
		if p[0] < 0 || p[0] > 360 || p[1] < 0 || p[1] > height {
			t.Fatalf("point %v outside the drawing", p)
		}
	}
}

// Width 0 is the 760-unit default; a width below MinWidth is an error
// naming it.
func TestWidth(t *testing.T) {
	var def, wide strings.Builder
	if err := Write(&def, phoneChart(0)); err != nil {
		t.Fatal(err)
	}
	if err := Write(&wide, phoneChart(760)); err != nil {
		t.Fatal(err)
	}
	if def.String() != wide.String() || !strings.Contains(def.String(), `width="760"`) {
		t.Error("Width 0 does not draw as Width 760")
	}
	for _, w := range []int{-1, MinWidth - 1} {
		err := Write(io.Discard, phoneChart(w))
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("width %d is below MinWidth", w)) {
			t.Errorf("Width %d: %v, want an error naming it", w, err)
		}
	}
	if err := Write(io.Discard, phoneChart(MinWidth)); err != nil {
		t.Errorf("Width MinWidth: %v", err)
	}
}
