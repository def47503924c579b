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
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/sample"
	"github.com/qunops/qunops/tiering"
)

// reportVersion is the version of the --json output. Bump it on any change
// that is not a pure addition of keys.
const reportVersion = 2

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
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	kinds := map[string]metrics.GroupKind{}
	defaultKind := metrics.Interest
	if *kindName != "" {
		k, err := metrics.ParseGroupKind(*kindName)
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
			for _, g := range sample.Groups() {
				kinds[g.ID] = g.Kind
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

	rep, bad, err := buildReport(e, inputs, loc, func(g string) metrics.GroupKind {
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

// The JSON form of a report, version 2: the library's own JSON of each
// value (snake_case keys, RFC 3339 times, ratios as
// {"num":..,"den":..,"value":..}, enumerations as words).
type jsonReport struct {
	V      int         `json:"v"`
	TZ     string      `json:"tz"`
	Groups []jsonGroup `json:"groups"`
}

type jsonGroup struct {
	Group     string                      `json:"group"`
	Kind      metrics.GroupKind           `json:"kind"`
	Days      []metrics.Day               `json:"days"`
	Retention map[string][]metrics.Cohort `json:"retention"` // by day N: "1", "3", "7"
	Tiers     tiering.Counts              `json:"tiers"`
	TiersAt   time.Time                   `json:"tiers_at"`
	Alerts    []metrics.Alert             `json:"alerts"`
	Verdicts  []metrics.Verdict           `json:"verdicts"`
	Terms     []metrics.Term              `json:"terms"`
}

// buildReport reads every input twice: the first pass feeds the metrics
// tracker and finds each group's last event; the second feeds, per group,
// a tier tally that ends at that event and the term counter of the last
// week. Memory is that of the accumulators, not of the log.
func buildReport(e *env, inputs []namedInput, loc *time.Location, kindOf func(string) metrics.GroupKind) (*jsonReport, int, error) {
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

func groupReport(tr *metrics.Tracker, g string, kind metrics.GroupKind, campaigns []string, tally *tiering.Tally, terms *metrics.TermCounter) (jsonGroup, error) {
	days := tr.Days(g)
	jg := jsonGroup{Group: g, Kind: kind, Days: days, Retention: map[string][]metrics.Cohort{},
		Tiers: tally.Counts(g), TiersAt: tally.Now(), Alerts: []metrics.Alert{}, Verdicts: []metrics.Verdict{},
		Terms: terms.Top(topTerms)}
	if jg.Days == nil {
		jg.Days = []metrics.Day{}
	}
	if jg.Terms == nil {
		jg.Terms = []metrics.Term{}
	}
	for _, n := range retentionDays {
		cs := tr.Retention(g, n)
		if cs == nil {
			cs = []metrics.Cohort{}
		}
		jg.Retention[fmt.Sprint(n)] = cs
	}
	alerts, err := metrics.LowActivity(days, metrics.AlertOptions{})
	if err != nil {
		return jg, err
	}
	jg.Alerts = append(jg.Alerts, alerts...)
	if len(days) > 0 {
		from, to := days[0].Date, days[len(days)-1].Date
		verdicts, err := tr.Health(g, kind, from, to, metrics.HealthOptions{Campaigns: campaigns})
		if err != nil {
			return jg, err
		}
		jg.Verdicts = append(jg.Verdicts, verdicts...)
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
			span = fmt.Sprintf(", %s to %s, %d days", date(g.Days[0].Date), date(g.Days[len(g.Days)-1].Date), len(g.Days))
		}
		fmt.Fprintf(w, "== %s (%s group%s, days in %s)\n\n", g.Group, g.Kind, span, rep.TZ)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "date\tmembers\tspeakers\tmessages\tjoins\tleaves\tactivity\t")
		for _, d := range g.Days {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t\n", date(d.Date), d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves, pct(d.Activity))
		}
		tw.Flush()

		fmt.Fprintln(w, "\nRetention by join day (F26; - means not yet observable):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "joined on\tjoined\tday 1\tday 3\tday 7\t")
		byDate := map[string][3]metrics.Cohort{}
		var dates []string
		for k, n := range retentionDays {
			for _, c := range g.Retention[fmt.Sprint(n)] {
				d := date(c.Date)
				row, ok := byDate[d]
				if !ok {
					dates = append(dates, d)
				}
				row[k] = c
				byDate[d] = row
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
			fmt.Fprintf(w, "  %s\n", v)
		}
		fmt.Fprintln(w, "\nLow-activity alerts (F30):")
		if len(g.Alerts) == 0 {
			fmt.Fprintln(w, "  none")
		}
		for _, a := range g.Alerts {
			fmt.Fprintf(w, "  %s\n", a)
		}
		fmt.Fprintf(w, "\nTiers over the 7 days to %s (F31-F34):\n  %s\n", g.TiersAt.Format(time.RFC3339), g.Tiers)
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

// date writes a day's local midnight as its calendar date.
func date(t time.Time) string { return t.Format(time.DateOnly) }

func pct(r qunops.Ratio) string {
	if !r.Defined() {
		return "-"
	}
	return r.String()
}

func cohortCell(c metrics.Cohort) string {
	if !c.Complete {
		return "-"
	}
	return fmt.Sprintf("%d (%s)", c.Retained, pct(c.Rate))
}
