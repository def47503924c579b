package chart

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Band is a shaded range of x values drawn behind a panel's series: the
// days of a low-activity alert, a campaign, an outage. From and To are in
// the units of Chart.X; the part outside the x range is not drawn.
type Band struct {
	From, To float64
	Label    string // written at the top of the band; may be empty
	Color    string // an SVG color, drawn translucent; "" means a light red
}

// checkBands reports the first band of p that cannot be drawn.
func checkBands(p Panel) error {
	for _, bd := range p.Bands {
		if math.IsNaN(bd.From) || math.IsInf(bd.From, 0) || math.IsNaN(bd.To) || math.IsInf(bd.To, 0) {
			return fmt.Errorf("chart: band %q has a bound that is not finite", bd.Label)
		}
		if bd.From > bd.To {
			return fmt.Errorf("chart: band %q runs from %v back to %v", bd.Label, bd.From, bd.To)
		}
	}
	return nil
}

// writeBands draws p's bands into the plot area that starts at y0 and is
// height tall, clipped to [xmin, xmax]; px maps x to the SVG coordinate.
func writeBands(b *strings.Builder, p Panel, xmin, xmax float64, px func(float64) float64, y0, height float64) {
	for _, bd := range p.Bands {
		from, to := math.Max(bd.From, xmin), math.Min(bd.To, xmax)
		if from > to {
			continue
		}
		color := bd.Color
		if color == "" {
			color = "#d62728"
		}
		x0, x1 := px(from), px(to)
		fmt.Fprintf(b, `<rect class="band" x="%.1f" y="%.1f" width="%.1f" height="%.0f" fill="%s" fill-opacity="0.15"/>`+"\n",
			x0, y0, math.Max(x1-x0, 1), height, html.EscapeString(color))
		if bd.Label != "" {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s">%s</text>`+"\n", x0+3, y0+13, html.EscapeString(color), html.EscapeString(bd.Label))
		}
	}
}
