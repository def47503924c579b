package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/golden"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/report"
)

// TestReportSampleGolden pins the JSON report of the bundled sample; run with
// -update after a deliberate change, and read the diff.
func TestReportSampleGolden(t *testing.T) {
	code, out, errOut := runCmd(t, "", "report", "-json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "bundled sample") {
		t.Errorf("report without FILE must say it uses the sample; stderr %q", errOut)
	}
	golden.Check(t, "testdata/report-sample.json", []byte(out))
}

// TestReportJSONInvariants checks the report against what its schema
// promises, independently of the golden file.
func TestReportJSONInvariants(t *testing.T) {
	_, out, _ := runCmd(t, "", "report", "-json")
	var rep report.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.V != 3 || len(rep.Groups) != 3 {
		t.Fatalf("v %d with %d groups, want v 3 and 3 groups", rep.V, len(rep.Groups))
	}
	// The raw document speaks the SDK's JSON: ratios as objects, times
	// RFC 3339 with their offset, kinds and statuses as words.
	for _, want := range []string{`"kind":"service"`, `"name":"","kind":"service","excluded":[],"campaigns":[],"broadcasts":0`, `"date":"2026-03-01T00:00:00+08:00"`,
		`"activity":{"num":`, `"status":"pass"`, `"tiers":{"violator":`, `"metric":"messages-per-day"`} {
		if !strings.Contains(out, want) {
			t.Errorf("report JSON lacks %s", want)
		}
	}
	kinds := map[string]metrics.GroupKind{}
	for _, g := range rep.Groups {
		kinds[g.Group] = g.Kind
		first, last := date(g.Days[0].Date), date(g.Days[len(g.Days)-1].Date)
		if len(g.Days) != 31 || first != "2026-03-01" || last != "2026-03-31" {
			t.Errorf("%s: %d days from %s to %s, want March 2026", g.Group, len(g.Days), first, last)
		}
		for i, d := range g.Days {
			if i > 0 && !d.Date.After(g.Days[i-1].Date) {
				t.Errorf("%s: days out of order at %s", g.Group, date(d.Date))
			}
			if d.Speakers > d.Members {
				t.Errorf("%s %s: %d speakers > %d members", g.Group, date(d.Date), d.Speakers, d.Members)
			}
			if d.Activity != (qunops.Ratio{Num: int64(d.Speakers), Den: int64(d.Members)}) {
				t.Errorf("%s %s: activity %v, want speakers/members", g.Group, date(d.Date), d.Activity)
			}
		}
		for _, n := range []string{"1", "3", "7"} {
			for _, c := range g.Retention[n] {
				if c.Retained > c.Joined || (!c.Complete && c.Rate.Defined()) {
					t.Errorf("%s day-%s cohort %+v", g.Group, n, c)
				}
			}
		}
		if g.Tiers.Total() == 0 {
			t.Errorf("%s: tiers %v", g.Group, g.Tiers)
		}
		if len(g.Verdicts) == 0 || len(g.Terms) == 0 {
			t.Errorf("%s: %d verdicts, %d terms", g.Group, len(g.Verdicts), len(g.Terms))
		}
	}
	if kinds["20001@chatroom"] != metrics.Service || kinds["20002@chatroom"] != metrics.Perks {
		t.Errorf("the sample's groups keep their kinds: %v", kinds)
	}
	// The sample's interest group has a five-day quiet spell (F30).
	for _, g := range rep.Groups {
		if g.Group == "20003@chatroom" && len(g.Alerts) == 0 {
			t.Error("no low-activity alert for the interest group")
		}
	}
}

func TestReportFilesAndStdin(t *testing.T) {
	week, err := os.ReadFile("../../testdata/week.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	_, fromFile, _ := runCmd(t, "", "report", "-kind", "perks", "../../testdata/week.jsonl")
	code, fromStdin, errOut := runCmd(t, string(week), "report", "-kind", "perks", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fromFile != fromStdin {
		t.Error("report of a file and of the same bytes on stdin differ")
	}
	for _, want := range []string{"18398001234@chatroom (perks group, 2026-03-02 to 2026-03-08, 7 days", "F3 response", "Tiers over the 7 days"} {
		if !strings.Contains(fromFile, want) {
			t.Errorf("report lacks %q:\n%s", want, fromFile)
		}
	}
	// A bad line is reported, the rest still counts, and the exit status is 1.
	code, out, errOut := runCmd(t, string(week)+"{\"v\":1}\n", "report", "-")
	if code != exitBad || strings.Count(errOut, "<stdin>:63: event type is empty") != 1 || !strings.Contains(out, "18398001234@chatroom") {
		t.Errorf("bad line: exit %d, stderr %q", code, errOut)
	}
	// The week lists 7 days: -max-days 6 fails with exit 1 and no report,
	// 7 and -1 report.
	code, out, errOut = runCmd(t, "", "report", "-max-days", "6", "../../testdata/week.jsonl")
	if code != exitBad || out != "" || !strings.Contains(errOut, "would list 7 days in all, more than MaxDays (6)") {
		t.Errorf("-max-days 6: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, plain, _ := runCmd(t, "", "report", "../../testdata/week.jsonl")
	for _, n := range []string{"7", "-1"} {
		if code, out, errOut := runCmd(t, "", "report", "-max-days", n, "../../testdata/week.jsonl"); code != exitOK || out != plain || plain == "" {
			t.Errorf("-max-days %s: exit %d, stderr %q", n, code, errOut)
		}
	}
	for _, args := range [][]string{{"report", "-kind", "club"}, {"report", "-tz", "Nowhere/X"}, {"report", "-max-days", "-2"}} {
		if code, _, _ := runCmd(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestReportCSV reads back the four tables of -csv with encoding/csv and
// checks them against the -json report of the same run's input.
func TestReportCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out") // -csv creates it
	code, _, errOut := runCmd(t, "", "report", "-csv", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, js, _ := runCmd(t, "", "report", "-json")
	var rep report.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	read := func(name string, header string) [][]string {
		t.Helper()
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rows) == 0 || strings.Join(rows[0], ",") != header {
			t.Fatalf("%s: header %q, want %q", name, rows[0], header)
		}
		return rows[1:]
	}
	days := read("days.csv", "group,date,members,speakers,messages,joins,leaves,activity")
	var want [][]string
	for _, g := range rep.Groups {
		for _, d := range g.Days {
			v, _ := d.Activity.Float()
			want = append(want, []string{g.Group, date(d.Date), fmt.Sprint(d.Members), fmt.Sprint(d.Speakers),
				fmt.Sprint(d.Messages), fmt.Sprint(d.Joins), fmt.Sprint(d.Leaves), fmt.Sprint(v)})
		}
	}
	if diff := cmp.Diff(want, days); diff != "" || len(days) != 93 {
		t.Errorf("days.csv has %d rows, want 93 (-json +csv):\n%s", len(days), diff)
	}

	retention := read("retention.csv", "group,day,date,joined,retained,rate,complete")
	want = nil
	for _, g := range rep.Groups {
		for _, n := range []string{"1", "3", "7"} {
			for _, c := range g.Retention[n] {
				rate := "" // an undefined rate is an empty cell
				if v, ok := c.Rate.Float(); ok {
					rate = fmt.Sprint(v)
				}
				want = append(want, []string{g.Group, n, date(c.Date), fmt.Sprint(c.Joined), fmt.Sprint(c.Retained), rate, fmt.Sprint(c.Complete)})
			}
		}
	}
	if diff := cmp.Diff(want, retention); diff != "" {
		t.Errorf("retention.csv (-json +csv):\n%s", diff)
	}
	incomplete := 0
	for _, row := range retention {
		if row[6] == "false" && row[5] == "" {
			incomplete++
		}
	}
	if incomplete == 0 {
		t.Error("retention.csv has no incomplete cohort with an empty rate; the sample's last week has some")
	}

	tiers := read("tiers.csv", "group,at,violator,core,active,new,lurker,casual,total")
	if len(tiers) != len(rep.Groups) {
		t.Fatalf("tiers.csv has %d rows for %d groups", len(tiers), len(rep.Groups))
	}
	for i, g := range rep.Groups {
		c := g.Tiers
		row := []string{g.Group, g.TiersAt.Format(time.RFC3339), fmt.Sprint(c.Violator), fmt.Sprint(c.Core), fmt.Sprint(c.Active),
			fmt.Sprint(c.New), fmt.Sprint(c.Lurker), fmt.Sprint(c.Casual), fmt.Sprint(c.Violator + c.Core + c.Active + c.New + c.Lurker + c.Casual)}
		if diff := cmp.Diff(row, tiers[i]); diff != "" {
			t.Errorf("tiers.csv row %d (-json +csv):\n%s", i+1, diff)
		}
	}

	terms := read("terms.csv", "group,rank,term,count")
	want = nil
	for _, g := range rep.Groups {
		for i, term := range g.Terms {
			want = append(want, []string{g.Group, fmt.Sprint(i + 1), term.Text, fmt.Sprint(term.Count)})
		}
	}
	if diff := cmp.Diff(want, terms); diff != "" || len(terms) == 0 {
		t.Errorf("terms.csv (-json +csv):\n%s", diff)
	}

	// A -csv path that is a file is an error, with status 1.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if code, _, errOut := runCmd(t, "", "report", "-csv", file); code != exitBad || !strings.Contains(errOut, "-csv") {
		t.Errorf("-csv FILE: exit %d, stderr %q", code, errOut)
	}
}

// TestReportGroupsGolden pins the report of the sample month with the
// groups file the README shows, as JSON and as tables; run with -update
// after a deliberate change, and read the diff.
func TestReportGroupsGolden(t *testing.T) {
	args := []string{"report", "-groups", "../../testdata/groups.json", "../../testdata/sample-month.jsonl"}
	code, js, errOut := runCmd(t, "", append([]string{args[0], "-json"}, args[1:]...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Check(t, "testdata/report-groups.json", []byte(js))
	code, text, errOut := runCmd(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Check(t, "testdata/report-groups.txt", []byte(text))

	// What the file says is what the report says it measured.
	var rep report.Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Name      string
		Kind      metrics.GroupKind
		Excluded  []string
		Campaigns []string
		TZ        string
	}
	want := map[string]seen{
		"20001@chatroom": {"售后服务群", metrics.Service, []string{"wxid_admin1"}, []string{}, "Asia/Shanghai"},
		"20002@chatroom": {"福利群", metrics.Perks, []string{"wxid_admin2"}, []string{"coupon-0306", "coupon-0313", "coupon-0320", "coupon-0327"}, "Asia/Shanghai"},
		"20003@chatroom": {"跑步兴趣群", metrics.Interest, []string{"wxid_admin3"}, []string{}, "Europe/Berlin"},
	}
	got := map[string]seen{}
	for _, g := range rep.Groups {
		got[g.Group] = seen{g.Name, g.Kind, g.Excluded, g.Campaigns, g.TZ}
		if !strings.Contains(text, "== "+g.Group+" "+g.Name+" (") {
			t.Errorf("the tables do not name %s %s", g.Group, g.Name)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-file +report):\n%s", diff)
	}
	if !strings.Contains(text, "campaigns: 4 of 35 broadcasts") {
		t.Error("the tables do not say how many campaigns F3 counted")
	}
}

// TestReportGroupZone (issue 21): a group given a zone in the groups file
// gets, end to end, the report of a run whose -tz is that zone, and the
// other groups that of the -tz zone; a zone the tz database does not know
// is a usage error naming its key.
func TestReportGroupZone(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	log := "../../testdata/sample-month.jsonl"
	run := func(args ...string) report.Report {
		t.Helper()
		code, out, errOut := runCmd(t, "", append(append([]string{"report", "-json"}, args...), log)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var rep report.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	zoned := run("-groups", write("zoned.json", `{"groups":{"20003@chatroom":{"zone":"Europe/Berlin"}}}`))
	berlin := run("-tz", "Europe/Berlin")
	shanghai := run()
	if zoned.TZ != "Asia/Shanghai" || len(zoned.Groups) != 3 {
		t.Fatalf("tz %s with %d groups", zoned.TZ, len(zoned.Groups))
	}
	for i, g := range zoned.Groups {
		want := shanghai.Groups[i]
		if g.Group == "20003@chatroom" {
			want = berlin.Groups[i]
		}
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("%s (-one zone +zoned):\n%s", g.Group, diff)
		}
	}
	// The file's default zone is that of every group it gives none.
	def := run("-groups", write("default.json", `{"default":{"zone":"Europe/Berlin"}}`))
	if diff := cmp.Diff(berlin, def); diff != "" {
		t.Errorf("a default zone differs from -tz (-tz +default):\n%s", diff)
	}

	bad := write("bad.json", `{"groups":{"g":{"zone":"Mars/Base"}}}`)
	code, _, errOut := runCmd(t, "", "report", "-groups", bad, log)
	if code != exitUsage || !strings.Contains(errOut, `groups["g"].zone: unknown time zone "Mars/Base"`) {
		t.Errorf("a bad zone: exit %d, stderr %q", code, errOut)
	}
}

// TestReportGroupFlags: -kind takes every kind metrics has, -exclude and
// -campaigns give the settings a groups file's "default" gives, and bad
// values are usage errors that name the flag or the file's key.
func TestReportGroupFlags(t *testing.T) {
	week := "../../testdata/week.jsonl"
	code, out, errOut := runCmd(t, "", "report", "-kind", "notice", week)
	if code != exitOK || !strings.Contains(out, "(notice group,") {
		t.Errorf("-kind notice: exit %d, stderr %q", code, errOut)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "groups.json")
	if err := os.WriteFile(file, []byte(`{"default":{"kind":"perks","exclude":["wxid_admin"],"campaigns":["coupon-0306"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, fromFile, _ := runCmd(t, "", "report", "-json", "-groups", file, week)
	code, fromFlags, errOut := runCmd(t, "", "report", "-json", "-kind", "perks", "-exclude", "wxid_admin", "-campaigns", "coupon-0306", week)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fromFile != fromFlags {
		t.Errorf("flags and the same groups file give other reports:\n%s", cmp.Diff(fromFile, fromFlags))
	}
	if !strings.Contains(fromFlags, `"excluded":["wxid_admin"],"campaigns":["coupon-0306"],"broadcasts":5`) {
		t.Errorf("report lacks the flags' settings: %.300s", fromFlags)
	}
	// -exclude adds to the file's members; -kind and -campaigns override
	// its default.
	_, both, _ := runCmd(t, "", "report", "-json", "-groups", file, "-exclude", "wxid_zhao,wxid_admin", "-kind", "service", "-campaigns", "news-0302", week)
	if !strings.Contains(both, `"kind":"service","excluded":["wxid_admin","wxid_zhao"],"campaigns":["news-0302"]`) {
		t.Errorf("flags over a file: %.300s", both)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"groups":{"18398001234@chatroom":{"kind":"perks","exlude":["wxid_admin"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown kind", []string{"-kind", "club"}, `-kind "club": want service, perks, interest, notice`},
		{"empty member", []string{"-exclude", "wxid_a,,wxid_b"}, `-exclude "wxid_a,,wxid_b": entry 2 is empty`},
		{"repeated item", []string{"-campaigns", "c1, c1"}, `-campaigns "c1, c1": "c1" is repeated`},
		{"missing file", []string{"-groups", filepath.Join(dir, "none.json")}, "-groups: open"},
		{"bad file", []string{"-groups", bad}, `report: groups file: groups.18398001234@chatroom: unknown key "exlude"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCmd(t, "", append(append([]string{"report"}, tc.args...), week)...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitUsage, tc.want)
			}
		})
	}
}
