package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/sample"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/tiering"
)

// reportVersion is the version of the --json output. Bump it on any change
// that is not a pure addition of keys.
const reportVersion = 1

// retentionDays are the cohorts a report shows: day 1, 3 and 7 (seed F26).
var retentionDays = []int{1, 3, 7}

// termsWindow is the span of text whose frequent terms a report shows: the
// last week of each group's log (seed F29: export and analyse weekly).
const termsWindow = 7 * 24 * time.Hour

const topTerms = 10

func runReport(e *env, args []string) int {
	fs := newFlags(e, "report", `usage: qunops report [-json] [-tz ZONE] [-kind service|perks|interest] [FILE...]

Reports, per group of JSON Lines event logs: the days (members, speakers, messages,
joins, leaves, activity), retention cohorts for days 1, 3 and 7, health verdicts
against the seed's thresholds for the kind, low-activity alerts, tier counts over the
last 7 days and the most frequent terms of the last 7 days. Campaign response (F3)
counts the broadcasts whose item someone claimed; reach (F27) counts every broadcast. Without a FILE, the bundled
sample month (see qunops sample). FILE - reads standard input.

The tables may change between versions; the -json output is versioned ("v").
`)
	asJSON := fs.Bool("json", false, "write one JSON object (versioned, stable) instead of tables")
	tz := fs.String("tz", "Asia/Shanghai", "time `zone` of the groups' calendar days")
	kindName := fs.String("kind", "", "group kind for the health verdicts: service, perks or interest (default interest; the sample's groups have their own)")
	if ok, code := parseFlags(fs, args, nil); !ok {
		return code
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: -tz: %v\n", err)
		return exitUsage
	}
	kinds := map[string]metrics.Kind{}
	defaultKind := metrics.Interest
	if *kindName != "" {
		k, err := metrics.ParseKind(*kindName)
		if err != nil || (k != metrics.Service && k != metrics.Perks && k != metrics.Interest) {
			fmt.Fprintf(e.stderr, "qunops: -kind %q: want service, perks or interest\n", *kindName)
			return exitUsage
		}
		defaultKind = k
	}

	var inputs []namedInput
	if fs.NArg() == 0 {
		var buf bytes.Buffer
		if err := sample.Write(&buf); err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
		fmt.Fprintln(e.stderr, "qunops: no FILE given: reporting on the bundled sample month (qunops sample writes it)")
		inputs = append(inputs, namedInput{"<sample>", bytes.NewReader(buf.Bytes())})
		if *kindName == "" {
			for _, g := range sample.Groups {
				k, err := metrics.ParseKind(g.Kind)
				if err == nil {
					kinds[g.ID] = k
				}
			}
		}
	} else {
		for _, name := range fs.Args() {
			in, cleanup, err := openSeekable(e, name)
			if err != nil {
				fmt.Fprintf(e.stderr, "qunops: %v\n", err)
				return exitBad
			}
			defer cleanup()
			if name == "-" {
				name = "<stdin>"
			}
			inputs = append(inputs, namedInput{name, in})
		}
	}

	rep, bad, err := buildReport(e, inputs, loc, func(g string) metrics.Kind {
		if k, ok := kinds[g]; ok {
			return k
		}
		return defaultKind
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	out := bufio.NewWriter(e.stdout)
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
	} else {
		printReport(out, rep)
	}
	return e.finish(out, bad)
}

type namedInput struct {
	name string
	r    io.ReadSeeker
}

// openSeekable opens a file for two passes. Standard input is spooled to a
// temporary file first, so memory stays constant for any input.
func openSeekable(e *env, name string) (io.ReadSeeker, func(), error) {
	if name == "-" {
		tmp, err := os.CreateTemp("", "qunops-report-*.jsonl")
		if err != nil {
			return nil, nil, err
		}
		cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
		if _, err := io.Copy(tmp, e.stdin); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("reading standard input: %w", err)
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			cleanup()
			return nil, nil, err
		}
		return tmp, cleanup, nil
	}
	f, err := e.open(name)
	if err != nil {
		return nil, nil, err
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, func() { f.Close() }, nil
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(data), func() {}, nil
}

// The JSON form of a report, version 1. Ratios are written as a float
// (null when undefined) with their exact numerator and denominator beside.
type jsonReport struct {
	V      int         `json:"v"`
	TZ     string      `json:"tz"`
	Groups []jsonGroup `json:"groups"`
}

type jsonGroup struct {
	Group     string                  `json:"group"`
	Kind      string                  `json:"kind"`
	Days      []jsonDay               `json:"days"`
	Retention map[string][]jsonCohort `json:"retention"`
	Tiers     map[string]int          `json:"tiers"`
	TiersAt   string                  `json:"tiers_at"`
	Alerts    []jsonAlert             `json:"alerts"`
	Verdicts  []jsonVerdict           `json:"verdicts"`
	Terms     []jsonTerm              `json:"terms"`
}

type jsonDay struct {
	Date     string   `json:"date"`
	Members  int      `json:"members"`
	Speakers int      `json:"speakers"`
	Messages int      `json:"messages"`
	Joins    int      `json:"joins"`
	Leaves   int      `json:"leaves"`
	Activity *float64 `json:"activity"`
}

type jsonCohort struct {
	Date     string   `json:"date"`
	Joined   int      `json:"joined"`
	Retained int      `json:"retained"`
	Rate     *float64 `json:"rate"`
	Complete bool     `json:"complete"`
}

type jsonAlert struct {
	Figure    string   `json:"figure"`
	Date      string   `json:"date"`
	Start     string   `json:"start"`
	Run       int      `json:"run"`
	Activity  *float64 `json:"activity"`
	Threshold *float64 `json:"threshold"`
	Text      string   `json:"text"`
}

type jsonVerdict struct {
	Figure    string   `json:"figure"`
	Metric    string   `json:"metric"`
	Value     *float64 `json:"value"`
	Num       int64    `json:"num"`
	Den       int64    `json:"den"`
	Threshold *float64 `json:"threshold"`
	AtMost    bool     `json:"at_most"`
	Status    string   `json:"status"`
	Text      string   `json:"text"`
}

type jsonTerm struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

func ratio(r metrics.Ratio) *float64 {
	f, ok := r.Float()
	if !ok {
		return nil
	}
	return &f
}

// buildReport reads every input twice: the first pass feeds the metrics
// tracker and finds each group's last event; the second feeds, per group,
// a tier tally that ends at that event and the term counter of the last
// week. Memory is that of the accumulators, not of the log.
func buildReport(e *env, inputs []namedInput, loc *time.Location, kindOf func(string) metrics.Kind) (*jsonReport, int, error) {
	tr := metrics.NewTracker(loc)
	last := map[string]time.Time{}            // each group's last event, found by the first pass
	campaigns := map[string]map[string]bool{} // per group, the items someone claimed (F3)
	prog := newProgress(e.stderr)
	bad := 0
	err := eachEvent(e.stderr, inputs, prog, func(ev qunops.Event) {
		if err := tr.Add(ev); err != nil {
			return // Decode validated it; the tracker's own checks cannot fail here
		}
		if ev.Time.After(last[ev.Group]) {
			last[ev.Group] = ev.Time
		}
		if ev.Type == qunops.Claim {
			if campaigns[ev.Group] == nil {
				campaigns[ev.Group] = map[string]bool{}
			}
			campaigns[ev.Group][ev.Item] = true
		}
	}, &bad)
	if err != nil {
		return nil, bad, err
	}

	tallies := map[string]*tiering.Tally{}
	terms := map[string]*metrics.TermCounter{}
	seen := map[string]map[string]bool{}
	for g, end := range last {
		t, err := tiering.NewTally(tiering.DefaultPolicy(), end)
		if err != nil {
			return nil, bad, err
		}
		tallies[g] = t
		tc, err := metrics.NewTermCounter(metrics.TermOptions{})
		if err != nil {
			return nil, bad, err
		}
		terms[g] = tc
		seen[g] = map[string]bool{}
	}
	ignoredBad := 0 // the first pass reported and counted the bad lines already
	err = eachEvent(io.Discard, inputs, prog, func(ev qunops.Event) {
		tallies[ev.Group].Add(ev) // cannot fail: Decode validated the event
		if ev.Type == qunops.Message && ev.Text != "" && ev.Time.After(last[ev.Group].Add(-termsWindow)) {
			if ev.ID != "" {
				if seen[ev.Group][ev.ID] {
					return
				}
				seen[ev.Group][ev.ID] = true
			}
			terms[ev.Group].Add(ev.Text)
		}
	}, &ignoredBad)
	prog.done()
	if err != nil {
		return nil, bad, err
	}

	rep := &jsonReport{V: reportVersion, TZ: loc.String(), Groups: []jsonGroup{}}
	for _, g := range tr.Groups() {
		items := []string{} // not nil: no claims means no campaigns
		for item := range campaigns[g] {
			items = append(items, item)
		}
		jg, err := groupReport(tr, g, kindOf(g), items, tallies[g], terms[g])
		if err != nil {
			return nil, bad, err
		}
		rep.Groups = append(rep.Groups, jg)
	}
	return rep, bad, nil
}

func groupReport(tr *metrics.Tracker, g string, kind metrics.Kind, campaigns []string, tally *tiering.Tally, terms *metrics.TermCounter) (jsonGroup, error) {
	days := tr.Days(g)
	jg := jsonGroup{Group: g, Kind: kind.String(), Days: []jsonDay{}, Retention: map[string][]jsonCohort{},
		Tiers: map[string]int{}, Alerts: []jsonAlert{}, Verdicts: []jsonVerdict{}, Terms: []jsonTerm{}}
	for _, d := range days {
		jg.Days = append(jg.Days, jsonDay{Date: d.Date.Format(time.DateOnly), Members: d.Members, Speakers: d.Speakers,
			Messages: d.Messages, Joins: d.Joins, Leaves: d.Leaves, Activity: ratio(d.Activity)})
	}
	for _, n := range retentionDays {
		cs := []jsonCohort{}
		for _, c := range tr.Retention(g, n) {
			cs = append(cs, jsonCohort{Date: c.Date.Format(time.DateOnly), Joined: c.Joined, Retained: c.Retained,
				Rate: ratio(c.Rate), Complete: c.Complete})
		}
		jg.Retention[fmt.Sprint(n)] = cs
	}
	counts := tally.Counts(g)
	for _, t := range []tiering.Tier{tiering.Violator, tiering.Core, tiering.Active, tiering.New, tiering.Lurker, tiering.Casual} {
		jg.Tiers[t.String()] = counts.Of(t)
	}
	jg.TiersAt = tally.Now().Format(time.RFC3339)
	alerts, err := metrics.LowActivity(days, metrics.AlertOptions{})
	if err != nil {
		return jg, err
	}
	for _, a := range alerts {
		jg.Alerts = append(jg.Alerts, jsonAlert{Figure: a.Figure, Date: a.Date.Format(time.DateOnly),
			Start: a.Start.Format(time.DateOnly), Run: a.Run, Activity: ratio(a.Activity), Threshold: ratio(a.Threshold),
			Text: a.String()})
	}
	if len(days) > 0 {
		from, to := days[0].Date, days[len(days)-1].Date
		verdicts, err := tr.Health(g, kind, from, to, metrics.HealthOptions{Campaigns: campaigns})
		if err != nil {
			return jg, err
		}
		for _, v := range verdicts {
			jg.Verdicts = append(jg.Verdicts, jsonVerdict{Figure: v.Figure, Metric: v.Metric, Value: ratio(v.Value),
				Num: v.Value.Num, Den: v.Value.Den, Threshold: ratio(v.Threshold), AtMost: v.AtMost,
				Status: v.Status.String(), Text: v.String()})
		}
	}
	for _, t := range terms.Top(topTerms) {
		jg.Terms = append(jg.Terms, jsonTerm{Text: t.Text, Count: t.Count})
	}
	return jg, nil
}

// eachEvent decodes every input from its start and calls f for each good
// event; bad lines are reported to w and counted in *bad.
func eachEvent(w io.Writer, inputs []namedInput, prog *progress, f func(qunops.Event), bad *int) error {
	for _, in := range inputs {
		if _, err := in.r.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		n, err := decodeLog(in.r, in.name, nil, w, 100, func(ev qunops.Event) {
			f(ev)
			prog.tick()
		})
		*bad += n
		if err != nil {
			return err
		}
	}
	return nil
}

func printReport(w io.Writer, rep *jsonReport) {
	for i, g := range rep.Groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		span := ""
		if len(g.Days) > 0 {
			span = fmt.Sprintf(", %s to %s, %d days", g.Days[0].Date, g.Days[len(g.Days)-1].Date, len(g.Days))
		}
		fmt.Fprintf(w, "== %s (%s group%s, days in %s)\n\n", g.Group, g.Kind, span, rep.TZ)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "date\tmembers\tspeakers\tmessages\tjoins\tleaves\tactivity\t")
		for _, d := range g.Days {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t\n", d.Date, d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves, pct(d.Activity))
		}
		tw.Flush()

		fmt.Fprintln(w, "\nRetention by join day (F26; - means not yet observable):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "joined on\tjoined\tday 1\tday 3\tday 7\t")
		byDate := map[string][3]jsonCohort{}
		var dates []string
		for k, n := range retentionDays {
			for _, c := range g.Retention[fmt.Sprint(n)] {
				row, ok := byDate[c.Date]
				if !ok {
					dates = append(dates, c.Date)
				}
				row[k] = c
				byDate[c.Date] = row
			}
		}
		for _, d := range dates {
			row := byDate[d]
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", d, row[0].Joined, cohortCell(row[0]), cohortCell(row[1]), cohortCell(row[2]))
		}
		if len(dates) == 0 {
			fmt.Fprintln(tw, "(no joins)\t\t\t\t\t")
		}
		tw.Flush()

		fmt.Fprintf(w, "\nHealth verdicts for the whole period (%s group):\n", g.Kind)
		for _, v := range g.Verdicts {
			fmt.Fprintf(w, "  %s\n", v.Text)
		}
		fmt.Fprintln(w, "\nLow-activity alerts (F30):")
		if len(g.Alerts) == 0 {
			fmt.Fprintln(w, "  none")
		}
		for _, a := range g.Alerts {
			fmt.Fprintf(w, "  %s\n", a.Text)
		}
		fmt.Fprintf(w, "\nTiers over the 7 days to %s (F31-F34):\n  ", g.TiersAt)
		for k, t := range []string{"core", "active", "new", "casual", "lurker", "violator"} {
			if k > 0 {
				fmt.Fprint(w, ", ")
			}
			fmt.Fprintf(w, "%s %d", t, g.Tiers[t])
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "\nFrequent terms of the last 7 days (F29):")
		if len(g.Terms) == 0 {
			fmt.Fprintln(w, "  none")
		} else {
			parts := make([]string, len(g.Terms))
			for k, t := range g.Terms {
				parts[k] = fmt.Sprintf("%s %d", t.Text, t.Count)
			}
			fmt.Fprintf(w, "  %s\n", strings.Join(parts, ", "))
		}
	}
	if len(rep.Groups) == 0 {
		fmt.Fprintln(w, "no events")
	}
}

func pct(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *f*100)
}

func cohortCell(c jsonCohort) string {
	if !c.Complete {
		return "-"
	}
	return fmt.Sprintf("%d (%s)", c.Retained, pct(c.Rate))
}
