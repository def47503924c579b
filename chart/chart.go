package chart

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// Series is one line: Y[i] is its value at X[i] of the chart.
type Series struct {
	Name  string
	Color string // an SVG color, e.g. "#1f77b4"
	Y     []float64
	Dash  bool // draw dashed (e.g. percentile bands)
}

// Panel is one plot area with its own y axis.
type Panel struct {
	YLabel string
	Series []Series
	Bands  []Band // shaded x ranges behind the series, e.g. alert runs
}

// Chart is a title, an x axis shared by all panels, and the panels from top
// to bottom.
type Chart struct {
	Title  string
	XLabel string
	X      []float64
	Panels []Panel
}

const (
	width       = 760
	panelHeight = 240
	left        = 70
	right       = 150
	top         = 40
	gap         = 50
)

// Write writes c as an SVG document. It fails when a series has a length
// other than len(c.X), when there are no points, when a value is not
// finite, or when a band cannot be drawn (see Band).
func Write(w io.Writer, c Chart) error {
	if len(c.X) == 0 || len(c.Panels) == 0 {
		return errors.New("chart: nothing to draw")
	}
	for _, p := range c.Panels {
		if err := checkBands(p); err != nil {
			return err
		}
		for _, s := range p.Series {
			if len(s.Y) != len(c.X) {
				return fmt.Errorf("chart: series %q has %d points, want %d", s.Name, len(s.Y), len(c.X))
			}
			for _, y := range s.Y {
				if math.IsNaN(y) || math.IsInf(y, 0) {
					return fmt.Errorf("chart: series %q has a value that is not finite", s.Name)
				}
			}
		}
	}
	height := top + len(c.Panels)*(panelHeight+gap) + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(c.Title))
	xmin, xmax := bounds(c.X)
	if xmax == xmin {
		xmax = xmin + 1
	}
	plotW := float64(width - left - right)
	for i, p := range c.Panels {
		y0 := float64(top + i*(panelHeight+gap))
		ymin, ymax := 0.0, 0.0
		for _, s := range p.Series {
			lo, hi := bounds(s.Y)
			ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
		}
		step := niceStep((ymax - ymin) / 4)
		ymax = math.Ceil(ymax/step) * step
		if ymax == ymin {
			ymax = ymin + step
		}
		px := func(x float64) float64 { return left + (x-xmin)/(xmax-xmin)*plotW }
		py := func(y float64) float64 { return y0 + panelHeight - (y-ymin)/(ymax-ymin)*panelHeight }
		// Grid and y ticks.
		for y := ymin; y <= ymax+step/2; y += step {
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, py(y), left+plotW, py(y))
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, py(y)+4, label(y))
		}
		// X ticks: about 8.
		xstep := niceStep((xmax - xmin) / 8)
		for x := math.Ceil(xmin/xstep) * xstep; x <= xmax; x += xstep {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", px(x), y0+panelHeight+16, label(x))
		}
		writeBands(&b, p, xmin, xmax, px, y0)
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="none" stroke="#888"/>`+"\n", left, y0, plotW, panelHeight)
		fmt.Fprintf(&b, `<text transform="translate(16 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", y0+panelHeight/2, html.EscapeString(p.YLabel))
		for k, s := range p.Series {
			var pts strings.Builder
			for j, y := range s.Y {
				fmt.Fprintf(&pts, "%.1f,%.1f ", px(c.X[j]), py(y))
			}
			dash := ""
			if s.Dash {
				dash = ` stroke-dasharray="5 4"`
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n", html.EscapeString(s.Color), dash, strings.TrimSpace(pts.String()))
			ly := y0 + 14 + float64(k)*18
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", left+plotW+10, ly-4, left+plotW+30, ly-4, html.EscapeString(s.Color), dash)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", left+plotW+36, ly, html.EscapeString(s.Name))
		}
		if i == len(c.Panels)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", left+plotW/2, y0+panelHeight+34, html.EscapeString(c.XLabel))
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func bounds(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func label(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
