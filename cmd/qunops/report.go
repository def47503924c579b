package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/report"
	"github.com/qunops/qunops/sample"
)

func runReport(e *env, args []string) int {
	fs := newFlags(e, "report", `usage: qunops report [-json] [-csv DIR] [-html FILE] [-tz ZONE] [-groups FILE]
       [-kind KIND] [-exclude ID,ID...] [-campaigns ITEM,ITEM...] [FILE...]

Reports, per group of JSON Lines event logs: the days (members, speakers, messages,
joins, leaves, activity), retention cohorts for days 1, 3 and 7, health verdicts
against the seed's thresholds for the kind, low-activity alerts, tier counts over the
last 7 days and the most frequent terms of the last 7 days. Without a FILE, the
bundled sample month (see qunops sample), whose groups have their own kinds unless
-groups or -kind is given. FILE - reads standard input. Each FILE is decoded on every
core (GOMAXPROCS); standard input is read as it comes.

The tables may change between versions; the -json output is versioned ("v").

What each group is and what to leave out of its figures:
  -groups FILE   a JSON groups file: per group ID its name, kind, the staff and bot
                 IDs to exclude, its campaigns and the time zone of its days, and
                 defaults for every group:
                   {"default": {"exclude": ["wxid_export"]},
                    "groups": {"20002@chatroom": {"name": "福利群", "kind": "perks",
                      "exclude": ["wxid_admin2"], "campaigns": ["coupon-0306"]},
                      "20003@chatroom": {"zone": "Europe/Berlin"}}}
                 (go doc github.com/qunops/qunops/report.ParseGroups; an example
                 for the sample month: testdata/groups.json in the source).
  -kind          the kind of every group the groups file gives none.
  -exclude       members left out of every group, besides the file's: out of
                 members, speakers, activity, retention, reach, response, tiers
                 and terms; the message volume (F2) still counts them.
  -campaigns     the broadcast items that are campaigns, for every group the file
                 gives none. Campaign response (F3) counts every campaign sent,
                 claimed or not; without a list, every broadcast (every item a
                 message carried) is a campaign. Reach (F27) counts every broadcast.

-csv DIR writes, besides the tables, four CSV files with a header row into DIR
(created if missing), one row per:
  days.csv       group, date: group,date,members,speakers,messages,joins,leaves,activity
  retention.csv  group, day N and join date: group,day,date,joined,retained,rate,complete
  tiers.csv      group: group,at,violator,core,active,new,lurker,casual,total
  terms.csv      group and term: group,rank,term,count
Dates are calendar dates (YYYY-MM-DD) in the group's zone (its "zone" in the groups
file, else the file's default "zone", else -tz), "at" is RFC 3339, and a
share (activity, rate) is a decimal fraction, empty when undefined.

-html FILE writes, besides the tables, the report as one self-contained HTML page
(inline CSS and SVG charts, no script, nothing fetched; readable on a phone): per
group the verdicts, daily activity with the F25 and F30 thresholds and the alerts,
members with joins and leaves, retention cohorts, tiers, terms and the tables.
`)
	asJSON := fs.Bool("json", false, "write one JSON object (versioned, stable) instead of tables")
	csvDir := fs.String("csv", "", "also write days.csv, retention.csv, tiers.csv and terms.csv into `DIR`")
	htmlFile := fs.String("html", "", "also write the report as a self-contained HTML page to `FILE`")
	tz := fs.String("tz", "Asia/Shanghai", "time `zone` of the calendar days of the groups the groups file gives no zone")
	groupsFile := fs.String("groups", "", "read each group's name, kind, excluded members and campaigns from the JSON groups `FILE`")
	kindName := fs.String("kind", "", "group `kind` for the health verdicts of the groups without one: "+strings.Join(groupKinds(), ", ")+" (default interest)")
	exclude := fs.String("exclude", "", "comma-separated member `IDs` (staff, bots) left out of every group's figures")
	campaigns := fs.String("campaigns", "", "comma-separated broadcast `items` that are campaigns (F3); default every broadcast")
	maxDays := fs.Int("max-days", 0, "fail when the groups would list more than `N` day rows in all (0: 2000000; -1: no limit)")
	if ok, code := parseFlags(fs, args, nil); !ok {
		return code
	}
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	opts, err := reportOptions(e, *groupsFile, *kindName, *exclude, *campaigns, fs.NArg() == 0)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	opts.Location = loc
	opts.MaxDays = *maxDays
	b, err := report.New(opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	bad, err := readInputs(e, b, fs.Args())
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	rep, err := b.Build()
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	if *csvDir != "" {
		if err := os.MkdirAll(*csvDir, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "qunops: -csv: %v\n", err)
			return exitBad
		}
		if err := rep.WriteCSV(*csvDir); err != nil {
			fmt.Fprintf(e.stderr, "qunops: -csv: %v\n", err)
			return exitBad
		}
	}
	if *htmlFile != "" {
		if err := writeHTML(*htmlFile, rep); err != nil {
			fmt.Fprintf(e.stderr, "qunops: -html: %v\n", err)
			return exitBad
		}
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

// groupKinds returns the words of every group kind metrics has (seed F1).
func groupKinds() []string {
	var words []string
	for k := metrics.GroupKind(1); ; k++ {
		w, err := k.MarshalText()
		if err != nil {
			return words
		}
		words = append(words, string(w))
	}
}

// reportOptions returns the group settings of the report flags: the groups
// file, then -kind and -campaigns for the groups it gives none, and
// -exclude added to every group's. Without a file, -kind or an input file,
// the bundled sample's groups keep their kinds.
func reportOptions(e *env, groupsFile, kindName, exclude, campaigns string, sampleIn bool) (report.Options, error) {
	var opts report.Options
	if groupsFile != "" {
		f, err := e.open(groupsFile)
		if err != nil {
			return opts, fmt.Errorf("-groups: %v", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, maxGroupsFile+1))
		f.Close()
		switch {
		case err != nil:
			return opts, fmt.Errorf("-groups: %v", err)
		case len(data) > maxGroupsFile:
			return opts, fmt.Errorf("-groups: %s is over %d MiB", groupsFile, maxGroupsFile>>20)
		}
		if opts, err = report.ParseGroups(data); err != nil {
			return opts, fmt.Errorf("-groups %s: %v", groupsFile, err)
		}
	} else if kindName == "" && sampleIn {
		opts.Groups = map[string]report.GroupOptions{}
		for _, g := range sample.Groups() {
			opts.Groups[g.ID] = report.GroupOptions{Kind: g.Kind}
		}
	}
	if kindName != "" {
		k, err := metrics.ParseGroupKind(kindName)
		if err != nil {
			return opts, fmt.Errorf("-kind %q: want %s", kindName, strings.Join(groupKinds(), ", "))
		}
		opts.Default.Kind = k
	}
	if exclude != "" {
		ids, err := splitList("-exclude", exclude)
		if err != nil {
			return opts, err
		}
		for _, id := range ids {
			if !slices.Contains(opts.Default.Exclude, id) {
				opts.Default.Exclude = append(opts.Default.Exclude, id)
			}
		}
	}
	if campaigns != "" {
		items, err := splitList("-campaigns", campaigns)
		if err != nil {
			return opts, err
		}
		opts.Default.Campaigns = items
	}
	return opts, opts.Validate()
}

// maxGroupsFile bounds the size of a groups file (ours: a million groups'
// settings fit in far less).
const maxGroupsFile = 64 << 20

// splitList splits a flag's comma-separated list; an empty or repeated
// entry is an error naming the flag.
func splitList(flag, s string) ([]string, error) {
	var out []string
	for i, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
			return nil, fmt.Errorf("%s %q: entry %d is empty", flag, s, i+1)
		case slices.Contains(out, v):
			return nil, fmt.Errorf("%s %q: %q is repeated", flag, s, v)
		}
		out = append(out, v)
	}
	return out, nil
}

// writeHTML writes rep's HTML page to the file path, replacing it.
func writeHTML(path string, rep *report.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = rep.WriteHTML(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readInputs adds the named logs to b (the bundled sample when there are
// none) and returns the number of bad lines, the first
// report.DefaultMaxBad of each input printed to standard error as
// NAME:LINE: problem.
func readInputs(e *env, b *report.Builder, names []string) (int, error) {
	const maxShown = report.DefaultMaxBad
	prog := newProgress(e.stderr)
	defer prog.done()
	ro := report.ReadOptions{MaxBad: maxShown, Bad: func(name string, le *qunops.LineError) {
		fmt.Fprintf(e.stderr, "%s:%d: %s\n", name, le.Line, strings.TrimPrefix(le.Error(), fmt.Sprintf("qunops: line %d: ", le.Line)))
	}, Progress: func(n int) {
		for range n { // tick decides when a line is due
			prog.tick()
		}
	}}
	total := 0
	read := func(name string, n int, err error) error {
		total += n
		if n > maxShown {
			fmt.Fprintf(e.stderr, "qunops: %s: %d bad lines in all (the first %d shown)\n", name, n, maxShown)
		}
		return err
	}
	if len(names) == 0 {
		var buf bytes.Buffer
		if err := sample.Write(&buf); err != nil {
			return 0, err
		}
		fmt.Fprintln(e.stderr, "qunops: no FILE given: reporting on the bundled sample month (qunops sample writes it)")
		n, err := b.ReadAt(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "<sample>", ro)
		return total, read("<sample>", n, err)
	}
	for _, name := range names {
		if name == "-" {
			n, err := b.Read(e.stdin, "<stdin>", ro)
			if err := read("<stdin>", n, err); err != nil {
				return total, err
			}
			continue
		}
		f, err := e.open(name)
		if err != nil {
			return total, err
		}
		var n int
		if st, serr := statOf(f); serr == nil && st.Mode().IsRegular() {
			n, err = b.ReadAt(f.(io.ReaderAt), st.Size(), name, ro)
		} else {
			n, err = b.Read(f, name, ro)
		}
		f.Close()
		if err := read(name, n, err); err != nil {
			return total, err
		}
	}
	return total, nil
}

// statOf returns the file info of an opened input that can be read at
// offsets (a regular file), for decoding it in parallel chunks.
func statOf(f io.Reader) (os.FileInfo, error) {
	type statReaderAt interface {
		io.ReaderAt
		Stat() (os.FileInfo, error)
	}
	if s, ok := f.(statReaderAt); ok {
		return s.Stat()
	}
	return nil, errors.ErrUnsupported
}

func printReport(w io.Writer, rep *report.Report) {
	for i, g := range rep.Groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		span := ""
		if len(g.Days) > 0 {
			span = fmt.Sprintf(", %s to %s, %d days", date(g.Days[0].Date), date(g.Days[len(g.Days)-1].Date), len(g.Days))
		}
		name := ""
		if g.Name != "" {
			name = " " + g.Name
		}
		fmt.Fprintf(w, "== %s%s (%s group%s, days in %s)\n", g.Group, name, g.Kind, span, g.TZ)
		if len(g.Excluded) > 0 {
			fmt.Fprintf(w, "Left out of every figure but the message volume: %s\n", strings.Join(g.Excluded, ", "))
		}
		fmt.Fprintln(w)
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
		for k, n := range report.DefaultRetentionDays() {
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

		fmt.Fprintf(w, "\nHealth verdicts for the whole period (%s group; campaigns: %d of %d broadcasts):\n", g.Kind, len(g.Campaigns), g.Broadcasts)
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
