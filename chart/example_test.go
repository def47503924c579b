package chart_test

import (
	"fmt"
	"strings"

	"github.com/qunops/qunops/chart"
)

func ExampleWrite() {
	var b strings.Builder
	err := chart.Write(&b, chart.Chart{
		Title:  "Members",
		XLabel: "day",
		X:      []float64{0, 1, 2, 3},
		Panels: []chart.Panel{{YLabel: "members", Series: []chart.Series{
			{Name: "group 1", Color: "#1f77b4", Y: []float64{100, 180, 200, 200}},
		}}},
	})
	fmt.Println(err, strings.Count(b.String(), "<polyline"), strings.HasPrefix(b.String(), "<svg "))
	// Output: <nil> 1 true
}

// A chart for a phone: drawn at the width the page shows it at, its labels
// keep their 12 px, and the legend goes under the plot.
func ExampleWrite_width() {
	var b strings.Builder
	err := chart.Write(&b, chart.Chart{
		Title:  "Members of the group over its first month",
		XLabel: "day",
		X:      []float64{0, 1, 2, 3},
		Width:  360,
		Panels: []chart.Panel{{YLabel: "members", Series: []chart.Series{
			{Name: "members", Color: "#1f77b4", Y: []float64{100, 180, 200, 200}},
		}}},
	})
	fmt.Println(err, strings.HasPrefix(b.String(), `<svg xmlns="http://www.w3.org/2000/svg" width="360" `))
	// Output: <nil> true
}
