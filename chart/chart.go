package chart

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"unicode"
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
	// Width is the width of the drawing in SVG units, which a page shows
	// as CSS pixels when it does not scale the chart; 0 means 760 (ours).
	// Draw at the width the chart will be shown at, so that its 12-unit
	// labels show at 12 px: a page that scales a 760-wide chart down to a
	// 390 px phone shows them at 6 px. Below 560 the legend moves under
	// each panel and the margins shrink, so that the plot keeps most of
	// the width; the least is 240 (MinWidth).
	Width int
}

// MinWidth is the narrowest Chart.Width (ours: the y labels, a plot and a
// legend entry must fit).
const MinWidth = 240

const (
	defaultWidth = 760
	narrowWidth  = 560 // below it, the narrow layout
	panelHeight  = 240
	left         = 70
	right        = 150
	top          = 40
	gap          = 50
	fontSize     = 12 // of every label but the title and band labels
	titleSize    = 16
	legendRow    = 18 // the height of a legend entry
)

// layout is where Write puts things for one width.
type layout struct {
	width, left, right, panelH int
	narrow                     bool // legend under the panels
}

func layoutFor(width int) layout {
	if width >= narrowWidth {
		return layout{width: width, left: left, right: right, panelH: panelHeight}
	}
	return layout{width: width, left: 48, right: 12, panelH: panelHeight * 3 / 4, narrow: true}
}

// Write writes c as an SVG document. It fails when a series has a length
// other than len(c.X), when there are no points, when a value is not
// finite, when a band cannot be drawn (see Band), or when c.Width is
// negative or below MinWidth.
func Write(w io.Writer, c Chart) error {
	if len(c.X) == 0 || len(c.Panels) == 0 {
		return errors.New("chart: nothing to draw")
	}
	width := c.Width
	if width == 0 {
		width = defaultWidth
	}
	if width < MinWidth {
		return fmt.Errorf("chart: width %d is below MinWidth (%d)", c.Width, MinWidth)
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
	lay := layoutFor(width)
	plotW := float64(width - lay.left - lay.right)
	// The title wraps to the width; in the narrow layout, so does each
	// panel's legend, under the panel's x tick labels.
	titleX := lay.left
	if lay.narrow {
		titleX = 8
	}
	title := wrap(c.Title, float64(width-titleX-8), titleSize)
	titleH := 0
	if len(title) > 1 {
		titleH = (len(title) - 1) * (titleSize + 4)
	}
	legends := make([][][]int, len(c.Panels)) // per panel, rows of series indices
	height := top + titleH
	for i, p := range c.Panels {
		height += lay.panelH + gap
		if lay.narrow {
			legends[i] = legendRows(p.Series, float64(width-8))
			height += len(legends[i]) * legendRow
		}
	}
	height += 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="%d">`+"\n", width, height, width, height, fontSize)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	for k, line := range title {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="%d" font-weight="bold">%s</text>`+"\n", titleX, 24+k*(titleSize+4), titleSize, html.EscapeString(line))
	}
	xmin, xmax := bounds(c.X)
	if xmax == xmin {
		xmax = xmin + 1
	}
	lx := float64(lay.left)
	y0 := float64(top + titleH)
	for i, p := range c.Panels {
		ph := float64(lay.panelH)
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
		px := func(x float64) float64 { return lx + (x-xmin)/(xmax-xmin)*plotW }
		py := func(y float64) float64 { return y0 + ph - (y-ymin)/(ymax-ymin)*ph }
		// Grid and y ticks.
		for y := ymin; y <= ymax+step/2; y += step {
			fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", lay.left, py(y), lx+plotW, py(y))
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", lay.left-6, py(y)+4, label(y))
		}
		// X ticks: about one per 64 units of plot, at most 8.
		xstep := niceStep((xmax - xmin) / min(8, max(2, math.Floor(plotW/64))))
		for x := math.Ceil(xmin/xstep) * xstep; x <= xmax; x += xstep {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", px(x), y0+ph+16, label(x))
		}
		writeBands(&b, p, xmin, xmax, px, y0, ph)
		fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="none" stroke="#888"/>`+"\n", lay.left, y0, plotW, lay.panelH)
		fmt.Fprintf(&b, `<text transform="translate(%d %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", min(16, lay.left/3), y0+ph/2, html.EscapeString(p.YLabel))
		// Legend entries: right of the plot, or under the x axis label.
		entryAt := func(k int) (float64, float64) { return lx + plotW + 10, y0 + 14 + float64(k)*legendRow }
		if lay.narrow {
			at := map[int][2]float64{}
			for r, row := range legends[i] {
				x := 8.0
				for _, k := range row {
					at[k] = [2]float64{x, y0 + ph + 36 + float64(r+1)*legendRow}
					x += legendWidth(p.Series[k].Name)
				}
			}
			if i < len(c.Panels)-1 || c.XLabel == "" {
				// No x axis label under this panel: the legend moves up.
				for k, a := range at {
					at[k] = [2]float64{a[0], a[1] - 16}
				}
			}
			entryAt = func(k int) (float64, float64) { return at[k][0], at[k][1] }
		}
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
			ex, ey := entryAt(k)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", ex, ey-4, ex+20, ey-4, html.EscapeString(s.Color), dash)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", ex+26, ey, html.EscapeString(s.Name))
		}
		if i == len(c.Panels)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", lx+plotW/2, y0+ph+34, html.EscapeString(c.XLabel))
		}
		y0 += ph + gap
		if lay.narrow {
			y0 += float64(len(legends[i]) * legendRow)
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// textWidth estimates the width of s drawn at size in a sans-serif font:
// a wide (CJK) character takes 1 em, any other 0.6 em, more than the
// average Latin letter of common sans-serif fonts (about 0.55 em) so that
// the estimate errs on the side of room.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) || r >= 0xff00 && r <= 0xffef {
			w += size
		} else {
			w += 0.6 * size
		}
	}
	return w
}

// wrap cuts s at spaces into lines of at most width (estimated, see
// textWidth) at size; a word wider than width gets a line of its own. It
// returns no lines for an empty s.
func wrap(s string, width, size float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+word, size) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// legendWidth is the room a legend entry takes in the narrow layout: its
// line sample, the gap after it, its name and the space to the next.
func legendWidth(name string) float64 { return 26 + textWidth(name, fontSize) + 14 }

// legendRows lays the legend entries of series out in rows of at most
// width, in order, and returns the indices of each row.
func legendRows(series []Series, width float64) [][]int {
	var rows [][]int
	x := 0.0
	for k, s := range series {
		w := legendWidth(s.Name)
		if len(rows) == 0 || x+w > width && x > 0 {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], k)
		x += w
	}
	return rows
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
