package bot

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// FuzzParseJournal feeds parseJournal arbitrary bytes, and a valid journal
// followed by arbitrary bytes. The seeds are journals written by the
// package's own writer (the runner crashed after the morning script, and
// the journal's writer used directly, mapped and abandoned as a crash
// leaves it, or closed) and hostile variants of them. The invariants, each
// what bot/doc.go and readJournal's comment promise:
//
//   - No panic, and the same result for the same bytes.
//   - Trailing zeros (the reserved space of a mapped journal) are not
//     lines: the lines counted below are those of the input without them.
//   - A problem is reported exactly when lines are dropped, and it says
//     "bot: journal: line N: " with N the first dropped line: dropped is
//     total-N+1, so everything from line N on is dropped ("the rest is
//     dropped and reported in dropped and problem").
//   - A torn last line (no line ending) is never used: it always gives a
//     problem, and when the problem is the torn line, N is the last line.
//   - Records come from whole lines before N, in line order, each from its
//     own line (a tick from a tick line), so there are never more records
//     than newline-terminated lines; with no problem, every line is a
//     record, a done marker or the last_tick line.
//   - The good prefix is used as it is: parsing only lines 1..N-1 gives no
//     problem, the same last tick and the same records, lines and done
//     counts (what a line gives does not depend on the lines after it).
//   - Whatever is read can be written again by the journal's writer and
//     reads back the same (the writer and reader agree on the format).
//   - A valid journal J followed by garbage G: J's lines are never dropped
//     (a problem names a line after J), and J's records come first, equal,
//     in order. Two things of J may change, and only because G may
//     legitimately continue J: the done count of J's last record (G may
//     start with its done markers), and the last tick when J has no record
//     (a last_tick line is accepted anywhere before the first record). A
//     corrupt line in G stops reading there, but never earlier than the
//     end of J, since J's lines parse on their own.
func FuzzParseJournal(f *testing.F) {
	crashed := fuzzCrashedJournal(f)
	written := fuzzWrittenJournals(f)
	base := bytes.TrimRight(crashed, "\x00")
	lines := strings.SplitAfter(string(base), "\n")
	lines = lines[:len(lines)-1] // after the last '\n'
	withLine := func(n int, s string) []byte {
		l := append([]string(nil), lines...)
		l[n-1] = s
		return []byte(strings.Join(l, ""))
	}
	insert := func(n int, s string) []byte {
		l := append([]string(nil), lines[:n-1]...)
		l = append(append(l, s), lines[n-1:]...)
		return []byte(strings.Join(l, ""))
	}
	firstEvent := 0
	for i, l := range lines {
		if !strings.HasPrefix(l, `{"tick`) && !strings.HasPrefix(l, `{"done`) && !strings.HasPrefix(l, `{"last_tick`) {
			firstEvent = i + 1
			break
		}
	}
	if firstEvent < 2 {
		f.Fatalf("the crashed journal has no event after its first line: %q", base)
	}
	// A valid event line exactly MaxLineBytes long, and one a byte over.
	long := func(n int) string {
		ev := `{"v":1,"type":"message","group":"g1","member":"amy","time":"2026-03-02T09:30:00+08:00","text":"`
		return ev + strings.Repeat("a", n-len(ev)-2) + `"}` + "\n"
	}

	seeds := [][]byte{
		crashed, // with the whole reserved space, on Linux
		base,
		append(bytes.Clone(base), make([]byte, 4096)...),
		nil,
		make([]byte, 4096),
		[]byte("\n"),
		[]byte(lines[0]),
		// torn last line at several cuts
		base[:len(base)-1],
		base[:len(base)-len(lines[len(lines)-1])/2],
		base[:len(base)-len(lines[len(lines)-1])+1],
		base[:len(lines[0])/2],
		append(bytes.Clone(base[:len(base)-len(lines[len(lines)-1])/2]), make([]byte, 64)...),
		// a zero byte in the middle, a corrupt middle line
		bytes.Replace(base, []byte(`"g1"`), []byte("\"g\x001\""), 1),
		withLine(firstEvent, "\x00\x00\x00\n"),
		withLine(firstEvent+1, "garbage\n"),
		withLine(firstEvent+1, `{"v":1,"type":"message"`+"\n"),
		// CRLF line endings, a BOM
		bytes.ReplaceAll(base, []byte("\n"), []byte("\r\n")),
		append([]byte("\xEF\xBB\xBF"), base...),
		insert(firstEvent, "\xEF\xBB\xBF"+lines[firstEvent-1]),
		// blank lines, which the writer never writes
		insert(firstEvent+1, "\n"),
		insert(firstEvent+1, " \t\r\n"),
		insert(firstEvent, "\xEF\xBB\xBF\n"),
		append(bytes.Clone(base), '\n'),
		// huge numbers in markers
		insert(firstEvent+1, `{"done":9223372036854775807}`+"\n"),
		insert(firstEvent+1, `{"done":99999999999999999999}`+"\n"),
		insert(firstEvent+1, `{"done":-1}`+"\n"),
		insert(firstEvent+1, `{"tick":"99999-01-01T00:00:00Z"}`+"\n"),
		insert(firstEvent+1, `{"tick":"2026-03-02T08:00:00.123456789123+08:00"}`+"\n"),
		[]byte(`{"last_tick":"0000-01-01T00:00:00-23:59"}` + "\n"),
		// invalid UTF-8, in an event and in a marker
		insert(firstEvent+1, "{\"v\":1,\"type\":\"message\",\"group\":\"g1\",\"member\":\"amy\",\"time\":\"2026-03-02T09:30:00+08:00\",\"text\":\"\xff\xfe\"}\n"),
		insert(firstEvent+1, "{\"tick\":\"2026-03-02T08:00:00\xff+08:00\"}\n"),
		// a line of 1 MB: exactly the decoder's limit (valid), and over
		append(bytes.Clone(base), long(qunops.MaxLineBytes)...),
		insert(firstEvent+1, long(qunops.MaxLineBytes+1)),
		insert(firstEvent+1, strings.Repeat("x", 1<<20)+"\n"),
	}
	seeds = append(seeds, written...)
	for _, s := range seeds {
		f.Add(s)
	}

	// One file for the journals written again, created anew for each
	// input (the inputs of one process run one at a time).
	rewritten := filepath.Join(fuzzScratchDir(f), "rewritten.jsonl")
	baseRead := parseJournal(base)
	// While fuzzing, an input is cut to its first maxFuzzedJournal bytes.
	// The fuzzing engine minimizes every input that finds new coverage,
	// for up to a minute by default, by removing bytes and ranges of bytes
	// one try at a time (quadratic in the size); the workers fuzz nothing
	// meanwhile, and on inputs of tens of kilobytes it uses the whole
	// minute. Cut, a longer input soon minimizes to its first bytes. The
	// seed corpus, which go test runs, is checked whole, its 1 MB lines
	// included.
	fuzzing := false
	if fl := flag.Lookup("test.fuzz"); fl != nil {
		fuzzing = fl.Value.String() != ""
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if fuzzing && len(data) > maxFuzzedJournal {
			data = data[:maxFuzzedJournal]
		}
		got := checkJournalRead(t, data)

		// What was read, written again by the writer, reads back the
		// same: a valid journal J built from the fuzz input.
		j := rewriteJournal(t, rewritten, got)
		back := parseJournal(j)
		if back.problem != nil {
			t.Fatalf("the writer's journal of what was read: %v\n%.500q", back.problem, j)
		}
		if !back.lastTick.Equal(got.lastTick) || len(back.records) != len(got.records) {
			t.Fatalf("written again and read back: last tick %v, %d records; read %v, %d",
				back.lastTick, len(back.records), got.lastTick, len(got.records))
		}
		for i := range got.records {
			g, b := got.records[i], back.records[i]
			b.line = g.line
			if d := diffRecord(g, b); d != "" {
				t.Fatalf("record %d written again and read back: %s", i, d)
			}
		}

		// The good prefix property, for J and for the crashed journal,
		// each followed by the fuzz bytes; J+G gets the general checks
		// too (a valid prefix takes the garbage deeper into the reader).
		checkGoodPrefix(t, j, back, data, true)
		checkGoodPrefix(t, base, baseRead, data, false)
	})
}

const maxFuzzedJournal = 4 << 10

// fuzzScratchDir is a directory for the journals the fuzz target writes:
// in memory where the system has a tmpfs, since truncating a file on a
// disk file system (ext4: about 0.3 ms) costs more than all the other
// checks of an input.
func fuzzScratchDir(f *testing.F) string {
	if runtime.GOOS == "linux" {
		if dir, err := os.MkdirTemp("/dev/shm", "bot-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return f.TempDir()
}

// fuzzCrashedJournal is the journal of generation 1 after the runner ran
// the morning script and was crashed after the last event was journaled,
// as the crash left it (on Linux, with the zeros of its mapping).
func fuzzCrashedJournal(tb testing.TB) []byte {
	_, data := crashMorning(tb)
	evs := morning()
	if got := parseJournal(data); got.problem != nil || len(got.records) < len(evs) {
		tb.Fatalf("the crashed journal: %v, %d records", got.problem, len(got.records))
	}
	return data
}

// fuzzWrittenJournals writes journals with the journal's writer: mapped
// (on Linux) and abandoned as a crash leaves it, mapped and closed, and
// with write calls; with and without a last tick.
func fuzzWrittenJournals(tb testing.TB) [][]byte {
	dir := tb.TempDir()
	var out [][]byte
	for i, o := range []struct {
		last  time.Time
		nomap bool
		close bool
	}{
		{at(7, 59, 30), false, false},
		{time.Time{}, false, true},
		{at(7, 0, 0).UTC(), true, true},
	} {
		path := filepath.Join(dir, fmt.Sprintf("j%d.jsonl", i))
		j, err := createJournal(path, o.last, journalOpts{nosync: true, nomap: o.nomap})
		if err != nil {
			tb.Fatal(err)
		}
		for k, ev := range morning() {
			if k%3 == 0 {
				if err := j.tick(ev.Time.Add(-time.Second)); err != nil {
					tb.Fatal(err)
				}
			}
			if err := j.event(ev); err != nil {
				tb.Fatal(err)
			}
			for d := 1; d <= k%3; d++ {
				if err := j.done(d); err != nil {
					tb.Fatal(err)
				}
			}
		}
		if o.close {
			if err := j.close(); err != nil {
				tb.Fatal(err)
			}
		} else {
			j.abandon()
		}
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		if got := parseJournal(data); got.problem != nil || len(got.records) != len(morning())+4 {
			tb.Fatalf("written journal %d: %v, %d records", i, got.problem, len(got.records))
		}
		out = append(out, data)
	}
	return out
}

var problemLine = regexp.MustCompile(`^bot: journal: line ([0-9]+): `)

// checkJournalRead parses data and checks the invariants that hold for any
// input (see FuzzParseJournal), and returns what was read.
func checkJournalRead(t *testing.T, data []byte) journalRead {
	t.Helper()
	got := parseJournal(data)
	if d := diffRead(got, parseJournal(bytes.Clone(data)), true); d != "" {
		t.Fatalf("parsed twice, two results: %s", d)
	}

	trimmed := bytes.TrimRight(data, "\x00")
	whole := bytes.Count(trimmed, []byte{'\n'}) // newline-terminated lines
	total := whole
	torn := len(trimmed) > 0 && trimmed[len(trimmed)-1] != '\n'
	if torn {
		total++
	}

	// The problem, its line, and what was dropped.
	firstBad := total + 1 // the first line dropped
	if (got.problem != nil) != (got.dropped > 0) {
		t.Fatalf("problem %v but %d lines dropped", got.problem, got.dropped)
	}
	if torn && got.problem == nil {
		t.Fatalf("a torn last line (%d lines) gave no problem", total)
	}
	if got.problem != nil {
		msg := got.problem.Error()
		m := problemLine.FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("problem %q does not name its line as \"bot: journal: line N: \"", msg)
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > total {
			t.Fatalf("problem %q names a line outside 1..%d", msg, total)
		}
		if want := total - n + 1; got.dropped != want {
			t.Fatalf("problem %q, %d lines: dropped %d, want %d (line %d and after)", msg, total, got.dropped, want, n)
		}
		if strings.Contains(msg, "torn last line") && (!torn || n != total) {
			t.Fatalf("problem %q for line %d of %d (torn %v)", msg, n, total, torn)
		}
		firstBad = n
	}

	// Records: from whole lines before the first dropped one, in order.
	if len(got.records) > whole {
		t.Fatalf("%d records from %d newline-terminated lines", len(got.records), whole)
	}
	lines := bytes.SplitAfter(trimmed, []byte{'\n'})
	prev := 0
	for i, r := range got.records {
		if r.line <= prev || r.line >= firstBad || r.line > whole {
			t.Fatalf("record %d of line %d: after line %d, before the first dropped line %d, of %d whole lines",
				i, r.line, prev, firstBad, whole)
		}
		prev = r.line
		// A tick from a tick line, an event from another line.
		if r.done < 0 || r.tick != bytes.HasPrefix(lines[r.line-1], []byte(`{"tick":`)) ||
			(r.tick && r.ev != (qunops.Event{})) {
			t.Fatalf("record %d: %+v from line %.200q", i, r, lines[r.line-1])
		}
	}

	// The good prefix, read alone, is read the same, with no problem.
	prefix := bytes.Join(lines[:firstBad-1], nil)
	if got.problem == nil {
		markers := 0
		for _, l := range lines[:whole] {
			if bytes.HasPrefix(l, []byte(`{"done":`)) || bytes.HasPrefix(l, []byte(`{"last_tick":`)) {
				markers++
			}
		}
		if markers+len(got.records) != whole {
			t.Fatalf("no problem, but %d lines are %d records and %d markers", whole, len(got.records), markers)
		}
		return got
	}
	alone := parseJournal(prefix)
	if alone.problem != nil {
		t.Fatalf("the good prefix (lines 1..%d) read alone: %v; whole: %v", firstBad-1, alone.problem, got.problem)
	}
	if d := diffRead(alone, got, false); d != "" {
		t.Fatalf("the good prefix (lines 1..%d) read alone, and with its tail (%v): %s", firstBad-1, got.problem, d)
	}
	return got
}

// checkGoodPrefix checks that J (a valid journal, read as jr) followed by
// g is read as J's records first, and that no line of J is dropped; all
// adds checkJournalRead's checks of J+g.
func checkGoodPrefix(t *testing.T, j []byte, jr journalRead, g []byte, all bool) {
	t.Helper()
	if jr.problem != nil || (len(j) > 0 && j[len(j)-1] != '\n') {
		t.Fatalf("J is not a valid journal: %v", jr.problem)
	}
	jg := append(bytes.Clone(j), g...)
	var got journalRead
	if all {
		got = checkJournalRead(t, jg)
	} else {
		got = parseJournal(jg)
	}
	jLines := bytes.Count(j, []byte{'\n'})
	if got.problem != nil {
		var n int
		fmt.Sscanf(got.problem.Error(), "bot: journal: line %d:", &n)
		if n <= jLines {
			t.Fatalf("J (%d lines) followed by %.200q: problem %v drops a line of J", jLines, g, got.problem)
		}
	}
	if len(got.records) < len(jr.records) {
		t.Fatalf("J followed by %.200q: %d records, J alone %d", g, len(got.records), len(jr.records))
	}
	for i, w := range jr.records {
		r := got.records[i]
		if i == len(jr.records)-1 {
			r.done = w.done // G may begin with done markers of J's last record
		}
		if d := diffRecord(r, w); d != "" {
			t.Fatalf("J followed by %.200q: record %d: %s", g, i, d)
		}
	}
	if len(jr.records) > 0 && !got.lastTick.Equal(jr.lastTick) {
		t.Fatalf("J followed by %.200q: last tick %v, J alone %v", g, got.lastTick, jr.lastTick)
	}
}

// rewriteJournal writes what was read with the journal's writer to path,
// as the runner would have: the last tick, then each record and its done
// marker.
func rewriteJournal(t *testing.T, path string, jr journalRead) []byte {
	t.Helper()
	j, err := createJournal(path, jr.lastTick, journalOpts{nosync: true, nomap: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range jr.records {
		if r.tick {
			err = j.tick(r.at)
		} else {
			err = j.event(r.ev)
		}
		if err == nil && r.done > 0 {
			err = j.done(r.done)
		}
		if err != nil {
			j.abandon()
			t.Fatalf("writing record %d (%+v) again: %v", i, r, err)
		}
	}
	if err := j.close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sameTime: the same instant with the same UTC offset (the Location
// pointers of two reads differ).
func sameTime(a, b time.Time) bool {
	_, ao := a.Zone()
	_, bo := b.Zone()
	return a.Equal(b) && ao == bo
}

func diffRecord(a, b record) string {
	ae, be := a.ev, b.ev
	ae.Time, be.Time = time.Time{}, time.Time{}
	if a.tick != b.tick || !sameTime(a.at, b.at) || !sameTime(a.ev.Time, b.ev.Time) || ae != be ||
		a.done != b.done || a.line != b.line {
		return fmt.Sprintf("%+v, want %+v", a, b)
	}
	return ""
}

// diffRead compares two reads: their last ticks and records, and with
// problems, what they dropped and why.
func diffRead(a, b journalRead, problems bool) string {
	if !sameTime(a.lastTick, b.lastTick) {
		return fmt.Sprintf("last tick %v, %v", a.lastTick, b.lastTick)
	}
	if problems && (a.dropped != b.dropped || fmt.Sprint(a.problem) != fmt.Sprint(b.problem)) {
		return fmt.Sprintf("dropped %d (%v), %d (%v)", a.dropped, a.problem, b.dropped, b.problem)
	}
	if len(a.records) != len(b.records) {
		return fmt.Sprintf("%d records, %d", len(a.records), len(b.records))
	}
	for i := range a.records {
		if d := diffRecord(a.records[i], b.records[i]); d != "" {
			return fmt.Sprintf("record %d: %s", i, d)
		}
	}
	return ""
}
