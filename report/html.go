package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/chart"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/tiering"
)

// WriteHTML writes the report as one self-contained HTML page, for people:
// per group the health verdicts, the daily activity with its thresholds and
// the low-activity alerts, members with joins and leaves, the retention
// cohorts, the tier counts and the frequent terms, then the tables of days
// and cohorts. The charts are inline SVG drawn by package chart; the style
// is inline CSS; there is no script and no reference to anything outside
// the file, so the page opens offline, from a chat attachment, on a phone.
//
// Every string of the log (group IDs, terms) is escaped by html/template.
// The markup is also well-formed XML, so that tests and tools can read it
// with encoding/xml. Like the tables, the page may change between
// versions; the JSON is the stable form.
//
// Each group is a <section data-group="ID">; each chart is an element with
// data-chart="activity", "members", "retention" or "tiers", each other part
// one with data-section="verdicts", "alerts", "terms", "days" or "cohorts".
func (r *Report) WriteHTML(w io.Writer) error {
	page := htmlPage{TZ: r.TZ, V: r.V}
	for i, g := range r.Groups {
		hg, err := htmlGroupOf(i, g)
		if err != nil {
			return err
		}
		if g.TZ != r.TZ {
			hg.TZ = g.TZ // a zone of its own (GroupOptions.Zone)
		}
		page.Groups = append(page.Groups, hg)
	}
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

type htmlPage struct {
	TZ     string
	V      int
	Groups []htmlGroup
}

type htmlGroup struct {
	ID, Anchor, Kind, From, To string
	Name, Excluded             string // the display name, and the members left out, joined by ", "
	TZ                         string // the group's zone when it is not the page's, else ""
	NDays                      int
	Verdicts                   []htmlVerdict
	Alerts                     []string
	Activity, Members          template.HTML // SVG, or "" without days
	Retention                  template.HTML // SVG, or "" without a complete cohort
	TiersAt                    string
	Tiers                      []htmlTier
	TiersTotal                 int
	Terms                      []metrics.Term
	Days                       []htmlDay
	RetentionNs                []string
	Cohorts                    []htmlCohort
}

type htmlVerdict struct{ Figure, Check, Status string }

type htmlTier struct {
	Name  string
	Count int
	Width float64 // the bar's width in percent of the largest tier
}

type htmlDay struct {
	Date                                       string
	Members, Speakers, Messages, Joins, Leaves int
	Activity                                   string
}

type htmlCohort struct {
	Date   string
	Joined int
	Cells  []string // per day N: "retained (rate)", or "-" while incomplete
}

// seedAlertThreshold is the threshold of metrics.AlertOptions{}, the one
// the Builder's alerts use (seed F30); the Alerts carry it when there are
// any.
var seedAlertThreshold = qunops.Ratio{Num: 10, Den: 100}

func htmlGroupOf(i int, g Group) (htmlGroup, error) {
	hg := htmlGroup{ID: g.Group, Anchor: fmt.Sprintf("g%d", i+1), Kind: g.Kind.String(), NDays: len(g.Days),
		Name: g.Name, Excluded: strings.Join(g.Excluded, ", "),
		Terms: g.Terms, TiersTotal: g.Tiers.Total(), RetentionNs: retentionKeys(g)}
	if !g.TiersAt.IsZero() {
		hg.TiersAt = g.TiersAt.Format(time.RFC3339)
	}
	if len(g.Days) > 0 {
		hg.From, hg.To = date(g.Days[0].Date), date(g.Days[len(g.Days)-1].Date)
	}
	var activityTh qunops.Ratio // F25 for the group's kind; undefined when its kind has none
	for _, v := range g.Verdicts {
		check := strings.TrimPrefix(strings.TrimSuffix(v.String(), ": "+v.Status.String()), v.Figure+" ")
		hg.Verdicts = append(hg.Verdicts, htmlVerdict{Figure: v.Figure, Check: check, Status: v.Status.String()})
		if v.Metric == metrics.MetricActivity {
			activityTh = v.Threshold
		}
	}
	alertTh := seedAlertThreshold
	for _, a := range g.Alerts {
		hg.Alerts = append(hg.Alerts, a.String())
		alertTh = a.Threshold
	}
	most := 0
	for _, t := range tiering.Tiers() {
		most = max(most, g.Tiers.Of(t))
	}
	for _, t := range tiering.Tiers() {
		n, width := g.Tiers.Of(t), 0.0
		if most > 0 {
			width = float64(100*g.Tiers.Of(t)) / float64(most)
		}
		hg.Tiers = append(hg.Tiers, htmlTier{Name: t.String(), Count: n, Width: width})
	}
	for _, d := range g.Days {
		hg.Days = append(hg.Days, htmlDay{Date: date(d.Date), Members: d.Members, Speakers: d.Speakers,
			Messages: d.Messages, Joins: d.Joins, Leaves: d.Leaves, Activity: pctOrDash(d.Activity)})
	}
	hg.Cohorts = cohortRows(g, hg.RetentionNs)
	if len(g.Days) == 0 {
		return hg, nil
	}
	var err error
	if hg.Activity, err = activitySVG(g, activityTh, alertTh); err != nil {
		return hg, err
	}
	if hg.Members, err = membersSVG(g); err != nil {
		return hg, err
	}
	if hg.Retention, err = retentionSVG(g, hg.RetentionNs); err != nil {
		return hg, err
	}
	return hg, nil
}

// cohortRows lays the cohorts out by join day, one cell per day N.
func cohortRows(g Group, ns []string) []htmlCohort {
	var rows []htmlCohort
	at := map[string]int{}
	for k, n := range ns {
		for _, c := range g.Retention[n] {
			d := date(c.Date)
			i, ok := at[d]
			if !ok {
				i = len(rows)
				at[d] = i
				rows = append(rows, htmlCohort{Date: d, Joined: c.Joined, Cells: make([]string, len(ns))})
				for j := range rows[i].Cells {
					rows[i].Cells[j] = "-"
				}
			}
			if c.Complete {
				rows[i].Cells[k] = fmt.Sprintf("%d (%s)", c.Retained, pctOrDash(c.Rate))
			}
		}
	}
	return rows
}

// dayIndex numbers g's days from 0, the x axis of its charts.
func dayIndex(g Group) map[string]float64 {
	idx := make(map[string]float64, len(g.Days))
	for i, d := range g.Days {
		idx[date(d.Date)] = float64(i)
	}
	return idx
}

func dayAxis(g Group) ([]float64, string) {
	x := make([]float64, len(g.Days))
	for i := range x {
		x[i] = float64(i)
	}
	return x, "day (0 = " + date(g.Days[0].Date) + ")"
}

// percent is r in percent; an undefined ratio (a day without members) is
// drawn at 0, and the tables below the charts show it as "-".
func percent(r qunops.Ratio) float64 {
	v, ok := r.Float()
	if !ok {
		return 0
	}
	return 100 * v
}

func constant(n int, v float64) []float64 {
	y := make([]float64, n)
	for i := range y {
		y[i] = v
	}
	return y
}

func activitySVG(g Group, activityTh, alertTh qunops.Ratio) (template.HTML, error) {
	x, xlabel := dayAxis(g)
	y := make([]float64, len(g.Days))
	for i, d := range g.Days {
		y[i] = percent(d.Activity)
	}
	p := chart.Panel{YLabel: "activity %", Series: []chart.Series{{Name: "activity", Color: "#1f77b4", Y: y}}}
	if activityTh.Defined() {
		p.Series = append(p.Series, chart.Series{Name: "F25 " + activityTh.String(), Color: "#2ca02c", Dash: true, Y: constant(len(x), percent(activityTh))})
	}
	p.Series = append(p.Series, chart.Series{Name: "F30 " + alertTh.String(), Color: "#d62728", Dash: true, Y: constant(len(x), percent(alertTh))})
	idx := dayIndex(g)
	for _, a := range g.Alerts {
		from, ok1 := idx[date(a.Start)]
		to, ok2 := idx[date(a.Date)]
		if ok1 && ok2 {
			p.Bands = append(p.Bands, chart.Band{From: from - 0.5, To: to + 0.5, Label: "F30 alert"})
		}
	}
	return svg(chart.Chart{Title: "Daily activity (F25), low-activity alerts (F30)", XLabel: xlabel, X: x, Panels: []chart.Panel{p}})
}

func membersSVG(g Group) (template.HTML, error) {
	x, xlabel := dayAxis(g)
	members, joins, leaves := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	for i, d := range g.Days {
		members[i], joins[i], leaves[i] = float64(d.Members), float64(d.Joins), float64(d.Leaves)
	}
	return svg(chart.Chart{Title: "Members, joins and leaves", XLabel: xlabel, X: x, Panels: []chart.Panel{
		{YLabel: "members", Series: []chart.Series{{Name: "members", Color: "#1f77b4", Y: members}}},
		{YLabel: "per day", Series: []chart.Series{{Name: "joins", Color: "#2ca02c", Y: joins}, {Name: "leaves", Color: "#d62728", Y: leaves}}},
	}})
}

// retentionSVG draws the rate of each day N by join day, over the cohorts
// whose every rate is known (complete, with joins); the cohort table lists
// the others. It is "" when there is none.
func retentionSVG(g Group, ns []string) (template.HTML, error) {
	idx := dayIndex(g)
	// By join date, one per day N; -1 (unknown: incomplete, undefined or
	// absent for that N) leaves the cohort out.
	rates := map[string][]float64{}
	var dates []string
	for k, n := range ns {
		for _, c := range g.Retention[n] {
			d := date(c.Date)
			if _, ok := rates[d]; !ok {
				rates[d] = constant(len(ns), -1)
				dates = append(dates, d)
			}
			if c.Complete && c.Rate.Defined() {
				rates[d][k] = percent(c.Rate)
			}
		}
	}
	slices.Sort(dates)
	var x []float64
	ys := make([][]float64, len(ns))
	for _, d := range dates {
		day, ok := idx[d]
		if !ok || slices.Contains(rates[d], -1) {
			continue
		}
		x = append(x, day)
		for k := range ns {
			ys[k] = append(ys[k], rates[d][k])
		}
	}
	if len(x) == 0 {
		return "", nil
	}
	colors := []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"}
	p := chart.Panel{YLabel: "retained %"}
	for k, n := range ns {
		p.Series = append(p.Series, chart.Series{Name: "day " + n, Color: colors[k%len(colors)], Y: ys[k]})
	}
	_, xlabel := dayAxis(g)
	return svg(chart.Chart{Title: "Retention by join day (F26)", XLabel: "join " + xlabel, X: x, Panels: []chart.Panel{p}})
}

// htmlChartWidth is the width charts are drawn at (ours): the column a
// 390 px phone gives them, 390 px less 6 px of page and 8 px of card
// padding on each side (362 px; see htmlTemplate), rounded down. A chart
// drawn 760 wide showed its 12 px labels at 6 px there.
const htmlChartWidth = 360

// svg writes c for inline use in HTML, where the SVG namespace is implied:
// the page then names no URL at all.
//
// Charts are drawn htmlChartWidth wide: the page scales them to its column,
// which on a phone is about as wide, so their labels keep their 12 px.
func svg(c chart.Chart) (template.HTML, error) {
	c.Width = htmlChartWidth
	var b strings.Builder
	if err := chart.Write(&b, c); err != nil {
		return "", fmt.Errorf("report: html: %s: %w", c.Title, err)
	}
	s := strings.Replace(b.String(), ` xmlns="http://www.w3.org/2000/svg"`, "", 1)
	return template.HTML(s), nil // chart escapes every string it writes
}

func pctOrDash(r qunops.Ratio) string {
	if !r.Defined() {
		return "-"
	}
	return r.String()
}
