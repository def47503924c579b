package report_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/qunops/qunops/report"
	"github.com/qunops/qunops/sample"
)

// Write the report of the sample month as a page that opens offline on a
// phone: here into a string, to count its parts; `qunops report -html
// FILE` writes it to a file.
func ExampleReport_WriteHTML() {
	groups := map[string]report.GroupOptions{}
	for _, g := range sample.Groups() {
		groups[g.ID] = report.GroupOptions{Kind: g.Kind}
	}
	b, err := report.New(report.Options{Groups: groups})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range sample.Events() {
		if err := b.Add(e); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	var page strings.Builder
	if err := rep.WriteHTML(&page); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Count(page.String(), "<section"), "groups,",
		strings.Count(page.String(), "<svg"), "SVG charts,",
		strings.Count(page.String(), `class="band"`), "alert run shaded")
	// Output: 3 groups, 9 SVG charts, 1 alert run shaded
}
