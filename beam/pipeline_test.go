package beam_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/google/go-cmp/cmp"

	"github.com/qunops/qunops"
	qbeam "github.com/qunops/qunops/beam"
	"github.com/qunops/qunops/report"
)

// The pipelines run on Beam's prism runner, in this process.
func TestMain(m *testing.M) { ptest.MainWithDefault(m, "prism") }

// run runs the pipeline on the files glob matches and returns the files it
// wrote, by name (qbeam.FileNames).
func run(t *testing.T, glob string, o qbeam.Options) map[string][]byte {
	t.Helper()
	out := t.TempDir() + string(filepath.Separator)
	p, s := beam.NewPipelineWithRoot()
	res, err := qbeam.Report(s, glob, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qbeam.Write(s, out, res); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	files := map[string][]byte{}
	for _, name := range qbeam.FileNames() {
		b, err := os.ReadFile(out + name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

// reference returns the files of `qunops report -json -csv DIR` for the
// report rep, as the command writes them (cmd/qunops/report.go: an
// encoding/json Encoder with HTML escaping off; report.Report.WriteCSV),
// with groups.jsonl cut from report.json.
func reference(t *testing.T, rep *report.Report) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"report.json": bytes.Clone(buf.Bytes())}
	var lines bytes.Buffer
	for _, g := range rep.Groups {
		buf.Reset()
		if err := enc.Encode(g); err != nil {
			t.Fatal(err)
		}
		lines.Write(buf.Bytes())
	}
	files["groups.jsonl"] = lines.Bytes()
	dir := t.TempDir()
	if err := rep.WriteCSV(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"days.csv", "retention.csv", "tiers.csv", "terms.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

// sameFiles fails t for every file of want that got does not hold byte
// for byte.
func sameFiles(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	for name, w := range want {
		if g := got[name]; !bytes.Equal(w, g) {
			if d := os.Getenv("QBEAM_DUMP"); d != "" {
				os.WriteFile(filepath.Join(d, name+".want"), w, 0o644)
				os.WriteFile(filepath.Join(d, name+".got"), g, 0o644)
			}
			t.Errorf("%s differs from the report library's (%d bytes, want %d) (-want +got):\n%s", name, len(g), len(w),
				cmp.Diff(strings.Split(string(w), "\n"), strings.Split(string(g), "\n")))
		}
	}
}

// deadLetters returns the lines of bad.txt, sorted.
func deadLetters(b []byte) []string {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(b) == 0 {
		lines = nil
	}
	slices.Sort(lines)
	return lines
}

// TestSampleMonth runs the pipeline on the bundled sample month and
// checks every file against the report library's on the same file.
func TestSampleMonth(t *testing.T) {
	const path = "../testdata/sample-month.jsonl"
	got := run(t, path, qbeam.Options{})
	rep, bad, err := report.BuildFiles([]string{path}, report.Options{}, report.ReadOptions{})
	if err != nil || bad != 0 {
		t.Fatalf("report.BuildFiles: %d bad lines, %v", bad, err)
	}
	if len(rep.Groups) < 2 {
		t.Fatalf("the sample has %d groups; the test needs several", len(rep.Groups))
	}
	sameFiles(t, reference(t, rep), got)
	if len(got["bad.txt"]) != 0 {
		t.Errorf("bad.txt = %q, want empty", got["bad.txt"])
	}
}

// libraryReport returns the report of the generated files as the report
// library reads them one after the other (in the order `qunops report`
// reads the files it is given), and their bad lines as `qunops report`
// prints them on standard error (cmd/qunops/report.go: NAME:LINE: problem).
func libraryReport(t *testing.T, names []string, plain map[string][]byte, o report.Options) (*report.Report, []string) {
	t.Helper()
	b, err := report.New(o)
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	ro := report.ReadOptions{MaxBad: 1 << 20, Bad: func(name string, le *qunops.LineError) {
		bad = append(bad, fmt.Sprintf("%s:%d: %s", name, le.Line, strings.TrimPrefix(le.Error(), fmt.Sprintf("qunops: line %d: ", le.Line))))
	}}
	for _, name := range names {
		if _, err := b.Read(bytes.NewReader(plain[name]), name, ro); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(bad)
	return rep, bad
}

// TestSplitLog runs the pipeline on a generated log split into many files,
// some gzip-compressed, with lines repeated across files and bad lines,
// and checks every file against the report library's on the same files,
// and the dead letters against the bad lines `qunops report` prints.
// It does so with the default shards and with one shard per group (keyed
// by group alone), which must give the same bytes.
func TestSplitLog(t *testing.T) {
	dir := t.TempDir()
	names, plain := genLog(t, dir, logShape{groups: 5, members: 60, days: 40, files: 16, gzipped: 4, seed: 1})
	rep, bad := libraryReport(t, names, plain, report.Options{})
	if len(rep.Groups) != 5 || len(bad) != 6 {
		t.Fatalf("the generated log has %d groups and %d bad lines, want 5 and 6: %q", len(rep.Groups), len(bad), bad)
	}
	want := reference(t, rep)
	for _, shards := range []int{0, 1} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			got := run(t, filepath.Join(dir, "part-*"), qbeam.Options{Shards: shards})
			sameFiles(t, want, got)
			if diff := cmp.Diff(bad, deadLetters(got["bad.txt"])); diff != "" {
				t.Errorf("dead letters (-want +got):\n%s", diff)
			}
		})
	}
}

// shardLine writes a group and its shard accumulators as "GROUP N".
func shardLine(g qbeam.GroupReport) string { return fmt.Sprintf("%s %d", g.Group, g.Shards) }

func init() { register.Function1x1(shardLine) }

// groupShards returns, by group, the GroupReport.Shards of a pipeline's
// groups on the files glob matches.
func groupShards(t *testing.T, glob string, o qbeam.Options) map[string]int {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	res, err := qbeam.Report(s, glob, o)
	if err != nil {
		t.Fatal(err)
	}
	pairs := beam.ParDo(s, shardLine, res.Groups)
	out := t.TempDir() + "/shards.txt"
	textio.Write(s, out, pairs)
	if err := ptest.Run(p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	shards := map[string]int{}
	for _, line := range strings.Fields(strings.ReplaceAll(string(b), " ", "=")) {
		group, n, _ := strings.Cut(line, "=")
		shards[group], _ = strconv.Atoi(n)
	}
	return shards
}

// TestHotGroup runs the pipeline on a log where one group has half of the
// events, in 24 files: the report is still the library's, and that group
// was combined in several shard accumulators (the files' blocks spread
// over the shards) before its merge, so that no single worker adds all
// of its events.
func TestHotGroup(t *testing.T) {
	dir := t.TempDir()
	names, plain := genLog(t, dir, logShape{groups: 6, members: 20, days: 30, hot: 0.5, files: 24, seed: 2})
	rep, _ := libraryReport(t, names, plain, report.Options{})
	var hot, all int
	for _, g := range rep.Groups {
		for _, d := range g.Days {
			all += d.Messages
			if g.Group == "g00@chatroom" {
				hot += d.Messages
			}
		}
	}
	if hot*10 < all*4 || hot*10 > all*6 {
		t.Fatalf("the hot group has %d of %d messages, want about half", hot, all)
	}
	glob := filepath.Join(dir, "part-*")
	sameFiles(t, reference(t, rep), run(t, glob, qbeam.Options{}))
	shards := groupShards(t, glob, qbeam.Options{Shards: 8})
	if len(shards) != 6 {
		t.Fatalf("shards by group = %v, want 6 groups", shards)
	}
	// 24 files hashed over 8 shards leave at most 3 unused but for odds
	// below 1e-8 (and the names are fixed).
	t.Logf("shard accumulators by group: %v", shards)
	if n := shards["g00@chatroom"]; n < 5 || n > 8 {
		t.Errorf("the hot group was combined in %d shard accumulators, want 5..8 of 8", n)
	}
	one := groupShards(t, glob, qbeam.Options{Shards: 1})
	if n := one["g00@chatroom"]; n != 1 {
		t.Errorf("with 1 shard, the hot group was combined in %d shard accumulators, want 1", n)
	}
}

// TestOnlyBadLines: a log without one good line gives the empty report
// that `qunops report -json` prints, and every line as a dead letter.
func TestOnlyBadLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.jsonl")
	data := []byte("not json\n{\"v\":2,\"type\":\"join\"}\n\n{\"v\":1,\"type\":\"join\",\"group\":\"g\",\"member\":\"m\",\"time\":\"2026-03-01T08:00:00\"}\n")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, bad := libraryReport(t, []string{path}, map[string][]byte{path: data}, report.Options{})
	if len(rep.Groups) != 0 || len(bad) < 3 {
		t.Fatalf("library: %d groups, bad lines %q; want none and at least 3", len(rep.Groups), bad)
	}
	got := run(t, path, qbeam.Options{})
	sameFiles(t, reference(t, rep), got)
	if diff := cmp.Diff(bad, deadLetters(got["bad.txt"])); diff != "" {
		t.Errorf("dead letters (-want +got):\n%s", diff)
	}
}

// TestInputErrors: a glob that matches nothing fails the pipeline, and
// a scheme no file system serves is an error when the pipeline is built
// (Beam's own check panics).
func TestInputErrors(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	res, err := qbeam.Report(s, filepath.Join(t.TempDir(), "*.jsonl"), qbeam.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qbeam.Write(s, t.TempDir()+"/", res); err != nil {
		t.Fatal(err)
	}
	if err := ptest.Run(p); err == nil || !strings.Contains(err.Error(), "no files matching pattern") {
		t.Errorf("a glob without files: pipeline error %v, want one saying no files match", err)
	}
	_, s = beam.NewPipelineWithRoot()
	if _, err := qbeam.Report(s, "nosuch://bucket/*.jsonl", qbeam.Options{}); err == nil || !strings.Contains(err.Error(), `beam: nosuch://bucket/*.jsonl: file system scheme "nosuch" not registered`) {
		t.Errorf("unknown scheme: %v", err)
	}
	if _, err := qbeam.Write(s, "nosuch://bucket/out-", qbeam.Result{}); err == nil {
		t.Error("Write to an unknown scheme: no error")
	}
	if _, err := qbeam.Report(s, "x", qbeam.Options{Shards: -1}); err == nil {
		t.Error("Report with shards -1: no error")
	}
}

// TestCommand runs `qunops report -json -csv DIR` itself (go run, from the
// root module) on the sample month and checks that the pipeline writes
// the same bytes.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/qunops")
	}
	const path = "testdata/sample-month.jsonl"
	dir := t.TempDir()
	cmd := exec.Command("go", "run", "./cmd/qunops", "report", "-json", "-csv", dir, path)
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qunops report: %v: %s", err, stderr.String())
	}
	want := map[string][]byte{"report.json": out}
	for _, name := range []string{"days.csv", "retention.csv", "tiers.csv", "terms.csv"} {
		if want[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	sameFiles(t, want, run(t, "../"+path, qbeam.Options{}))
}

// TestTiesAtLastInstant: when events at a group's last instant were
// logged with different offsets, tiers_at shows the largest offset, as
// `qunops report` does, whichever file or line has it and whichever the
// combine adds first.
func TestTiesAtLastInstant(t *testing.T) {
	dir := t.TempDir()
	line := func(group, member, at string) string {
		return `{"v":1,"type":"message","group":"` + group + `","member":"` + member + `","time":"` + at + `","kind":"text","text":"早上好"}` + "\n"
	}
	files := map[string]string{
		// g1: the UTC one comes first (file a), the +08:00 one in file b;
		// g3: the +08:00 one comes first, then UTC and +01:00.
		"a.jsonl": line("g1", "m1", "2026-03-01T09:00:00+08:00") + line("g1", "m1", "2026-03-05T02:00:00Z") +
			line("g3", "m1", "2026-03-05T10:00:00.5+08:00"),
		"b.jsonl": line("g1", "m2", "2026-03-05T10:00:00+08:00") + line("g3", "m2", "2026-03-05T02:00:00.5Z") +
			line("g3", "m3", "2026-03-05T03:00:00.5+01:00"),
		// g2: within one file, the -05:00 one is on an earlier line than the +08:00 one.
		"c.jsonl": line("g2", "m1", "2026-03-04T23:00:00-05:00") + line("g2", "m3", "2026-03-03T08:00:00+08:00") +
			line("g2", "m2", "2026-03-05T12:00:00+08:00") + line("g2", "m4", "2026-03-05T04:00:00Z"),
	}
	var names []string
	plain := map[string][]byte{}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, path)
		plain[path] = []byte(body)
	}
	slices.Sort(names)
	rep, bad := libraryReport(t, names, plain, report.Options{})
	if len(bad) != 0 || len(rep.Groups) != 3 {
		t.Fatalf("library: %d groups, bad lines %q", len(rep.Groups), bad)
	}
	// The library's own choice, written out, so that the test fails if
	// the rule changes.
	for i, want := range []string{"2026-03-05T10:00:00+08:00", "2026-03-05T12:00:00+08:00", "2026-03-05T10:00:00.5+08:00"} {
		if got := rep.Groups[i].TiersAt.Format(time.RFC3339Nano); got != want {
			t.Errorf("library: %s tiers_at %s, want %s", rep.Groups[i].Group, got, want)
		}
	}
	want := reference(t, rep)
	for _, shards := range []int{1, 3} {
		sameFiles(t, want, run(t, filepath.Join(dir, "*.jsonl"), qbeam.Options{Shards: shards}))
	}
}
