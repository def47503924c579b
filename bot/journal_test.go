package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
)

// crashedJournal runs the morning script with no snapshot until it is
// crashed after the last event (crashMorning), and returns the state dir and
// the journal as the crash left it, without the zeros of the space
// reserved for its mapping (on Linux; checked here).
func crashedJournal(t *testing.T) (string, []byte) {
	t.Helper()
	dir, data := crashMorning(t)
	records := bytes.TrimRight(data, "\x00")
	if runtime.GOOS == "linux" && len(data) != mapInitial {
		t.Fatalf("the crashed journal is %d bytes, want the %d of its mapping", len(data), mapInitial)
	}
	if len(records) == 0 || records[len(records)-1] != '\n' {
		t.Fatalf("the crashed journal does not end in a whole line: %q", records[max(0, len(records)-40):])
	}
	return dir, records
}

// crashMorning runs the morning script in a new state dir, crashes the
// runner after the last event is journaled, and returns the dir and the
// journal file as the crash left it: generation 1 (the start took it for
// the empty state), with the zeros of its mapping on Linux.
func crashMorning(tb testing.TB) (string, []byte) {
	tb.Helper()
	evs := morning()
	c := &clock{}
	src := newSource(evs, 0, c)
	dir := tb.TempDir()
	n := 0
	r := newTestRunner(tb, dir, src, &sink{}, c, Options{SnapshotEvery: 1000, SnapshotInterval: 24 * time.Hour,
		crash: func(point string) bool {
			if point == "journaled" {
				n++
			}
			return n == len(evs)
		}})
	if err := r.Run(context.Background()); err != errCrashed {
		tb.Fatalf("Run = %v, want the crash", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, journalName(1)))
	if err != nil {
		tb.Fatal(err)
	}
	return dir, data
}

// Item 4: a journal cut at any byte is read as its whole lines; a cut
// inside a line is reported as a torn last line.
func TestJournalTornTailAtEveryByte(t *testing.T) {
	_, data := crashedJournal(t)
	full := parseJournal(data)
	if full.problem != nil || len(full.records) < len(morning()) {
		t.Fatalf("the whole journal: %v, %d records", full.problem, len(full.records))
	}
	for n := 0; n <= len(data); n++ {
		cut := data[:n]
		got := parseJournal(cut)
		// A crash in the middle of a copy into the mapping leaves the
		// cut followed by the reserved zeros: read the same.
		padded := parseJournal(append(cut[:n:n], make([]byte, 64)...))
		if padded.dropped != got.dropped || len(padded.records) != len(got.records) ||
			(padded.problem == nil) != (got.problem == nil) {
			t.Fatalf("cut at %d, then zeros: %d records, dropped %d, problem %v; without the zeros %d, %d, %v",
				n, len(padded.records), padded.dropped, padded.problem, len(got.records), got.dropped, got.problem)
		}
		lines := bytes.Count(cut, []byte{'\n'})
		torn := n > 0 && cut[n-1] != '\n'
		if torn != (got.problem != nil) || (torn && got.dropped != 1) || (!torn && got.dropped != 0) {
			t.Fatalf("cut at %d: problem %v dropped %d, torn %v", n, got.problem, got.dropped, torn)
		}
		if torn && !strings.Contains(got.problem.Error(), "torn last line") {
			t.Fatalf("cut at %d: problem %q does not say torn", n, got.problem)
		}
		// The records read are the full journal's records up to the
		// cut line: a prefix, with the done markers before the cut.
		k := 0
		for k < len(full.records) && full.records[k].line <= lines {
			k++
		}
		if len(got.records) != k {
			t.Fatalf("cut at %d (%d lines): %d records, want %d", n, lines, len(got.records), k)
		}
		for i := range got.records {
			g, w := got.records[i], full.records[i]
			if g.tick != w.tick || !g.at.Equal(w.at) || g.ev.ID != w.ev.ID || g.ev.Type != w.ev.Type || g.done > w.done {
				t.Fatalf("cut at %d: record %d = %+v, want a prefix of %+v", n, i, g, w)
			}
		}
	}
}

func TestJournalCorruptLine(t *testing.T) {
	_, data := crashedJournal(t)
	lines := strings.SplitAfter(string(data), "\n")
	lines = lines[:len(lines)-1] // after the last '\n'
	tests := []struct {
		name string
		line int // 1-based line replaced
		with string
		want string
	}{
		{"not json", 3, "garbage\n", "line 3:"},
		{"bad tick", 2, `{"tick":"yesterday"}` + "\n", "line 2: bad marker"},
		{"bad done", 4, `{"done":0}` + "\n", "line 4: bad done marker"},
		{"last_tick after a record", 3, `{"last_tick":"2026-03-02T08:00:00+08:00"}` + "\n", "line 3: last_tick after the first record"},
		{"tick with a CRLF line end", 2, `{"tick":"2026-03-02T08:00:00+08:00"}` + "\r\n", "line 2: bad marker"},
		{"done with trailing bytes", 4, `{"done":2}}` + "\n", "line 4: bad done marker"},
		{"done past int64", 4, `{"done":99999999999999999999}` + "\n", "line 4: bad done marker"},
		{"done before any record", 1, `{"done":1}` + "\n", "line 1: bad done marker"},
		{"a tick of a megabyte", 2, `{"tick":"` + strings.Repeat("9", 1<<20) + `"}` + "\n", "line 2: bad marker"},
		{"a done of a megabyte", 4, `{"done":` + strings.Repeat("9", 1<<20) + `}` + "\n", "line 4: bad done marker"},
		{"event fails validation", 5, `{"v":1,"type":"message","group":"","member":"x","time":"2026-03-02T08:00:00Z"}` + "\n", "line 5:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := append([]string(nil), lines...)
			bad[tc.line-1] = tc.with
			got := parseJournal([]byte(strings.Join(bad, "")))
			if got.problem == nil || !strings.Contains(got.problem.Error(), tc.want) {
				t.Fatalf("problem %v, want one containing %q", got.problem, tc.want)
			}
			if want := len(lines) - tc.line + 1; got.dropped != want {
				t.Errorf("dropped %d lines, want %d", got.dropped, want)
			}
			for _, r := range got.records {
				if r.line >= tc.line {
					t.Errorf("record of line %d kept after the bad line %d", r.line, tc.line)
				}
			}
			if len(tc.with) > 100 && len(got.problem.Error()) > 400 {
				t.Errorf("a problem of %d bytes for a %d-byte line: the log gets the whole line", len(got.problem.Error()), len(tc.with))
			}
		})
	}
}

// Item 4, at start: the runner reports a torn tail, counts it, and resumes
// from the good prefix: the state is the one of the journal without its
// last line.
func TestRunnerUsesTheGoodPrefix(t *testing.T) {
	dir, data := crashedJournal(t)
	last := bytes.LastIndexByte(data[:len(data)-1], '\n')
	torn := data[:last+1+(len(data)-last-1)/2]
	path := filepath.Join(dir, journalName(1))
	if err := os.WriteFile(path, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	// The reference: the good prefix applied by hand to the snapshot.
	var want rules.Engine
	if err := json.Unmarshal(snapshotBytes(t, dir), &want); err != nil {
		t.Fatal(err)
	}
	for _, rec := range parseJournal(data[:last+1]).records {
		if rec.tick {
			want.Tick(rec.at)
		} else {
			want.Handle(rec.ev)
		}
	}
	wantJSON, _ := json.Marshal(&want)

	c := &clock{}
	src := newSource(nil, 0, c)
	r := newTestRunner(t, dir, src, &sink{}, c, Options{})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Dropped != 1 || st.Errors == 0 {
		t.Errorf("dropped %d errors %d, want 1 and the error counted", st.Dropped, st.Errors)
	}
	if diff := cmp.Diff(string(wantJSON), string(snapshotBytes(t, dir))); diff != "" {
		t.Errorf("state (-good prefix +got):\n%s", diff)
	}
}

// The journal is fsynced in the background about every SyncEvery of the
// runner's clock while records arrive (requests made while one is pending
// are one request), and once per record with SyncEach.
func TestJournalSyncs(t *testing.T) {
	evs := benchEvents(3000) // 3 s of the clock, a millisecond apart
	c := &clock{}
	src := newSource(evs, 0, c)
	r := newTestRunner(t, t.TempDir(), src, &sink{}, c, Options{SnapshotEvery: 1 << 20, SnapshotInterval: time.Hour})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Syncs < 1 || st.Syncs > 4 {
		t.Errorf("SyncEvery 1s over 3 s of records: %d fsyncs, want 1 to 4", st.Syncs)
	}

	evs = benchEvents(40)
	c = &clock{}
	src = newSource(evs, 0, c)
	r = newTestRunner(t, t.TempDir(), src, &sink{}, c, Options{SyncEach: true})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if want := st.Events + st.Ticks; st.Syncs != want {
		t.Errorf("SyncEach: %d fsyncs for %d events and %d ticks, want one per record", st.Syncs, st.Events, st.Ticks)
	}
}

// A journal that outgrows its mapping maps again, larger; closed, it is
// cut to its records, and every record reads back.
func TestJournalGrowsAndCloses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := createJournal(path, at(7, 0, 0), journalOpts{nosync: true})
	if err != nil {
		t.Fatal(err)
	}
	evs := benchEvents(20000) // about 2.6 MB of lines: past 1 and 2 MiB
	for _, ev := range evs {
		if err := j.event(ev); err != nil {
			t.Fatal(err)
		}
	}
	size := j.size
	if mapInitial > 0 && int64(len(j.m)) < size {
		t.Fatalf("mapping of %d bytes for %d bytes of records", len(j.m), size)
	}
	if err := j.close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(data)) != size || size <= 2<<20 {
		t.Fatalf("closed journal is %d bytes, want its %d bytes of records (over 2 MiB)", len(data), size)
	}
	got := parseJournal(data)
	if got.problem != nil || len(got.records) != len(evs) || !got.lastTick.Equal(at(7, 0, 0)) {
		t.Fatalf("read back: %d records, last tick %v, problem %v", len(got.records), got.lastTick, got.problem)
	}
	for i, rec := range got.records {
		if rec.ev.Member != evs[i].Member || !rec.ev.Time.Equal(evs[i].Time) {
			t.Fatalf("record %d = %+v, want %+v", i, rec.ev, evs[i])
		}
	}
}

// A blank line, which the writer never writes, is a corrupt line: it ends
// the good prefix there. The event decoder skips blank lines; the reader
// used to give a blank line's record the next event line's event, so that
// an event was applied before the tick journaled ahead of it, and the last
// good event line was blamed ("line 5: EOF").
func TestJournalBlankLine(t *testing.T) {
	lines := []string{
		`{"last_tick":"2026-03-02T07:59:00+08:00"}` + "\n",
		`{"v":1,"type":"join","group":"g1","member":"amy","time":"2026-03-02T08:00:00+08:00"}` + "\n",
		`{"tick":"2026-03-02T08:00:30+08:00"}` + "\n",
		`{"v":1,"type":"join","group":"g1","member":"bo","time":"2026-03-02T08:00:40+08:00"}` + "\n",
		`{"done":1}` + "\n",
	}
	for _, tc := range []struct {
		name  string
		at    int // 1-based line the blank line is inserted as
		blank string
	}{
		{"empty, before a tick", 3, "\n"},
		{"blanks and CR", 3, " \t\r\n"},
		{"a BOM alone, the first event line", 2, "\xEF\xBB\xBF\n"},
		{"empty, before an event", 4, "\n"},
		{"empty, last", 6, "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := append([]string(nil), lines[:tc.at-1]...)
			l = append(append(l, tc.blank), lines[tc.at-1:]...)
			got := parseJournal([]byte(strings.Join(l, "")))
			want := fmt.Sprintf("bot: journal: line %d: blank line", tc.at)
			if got.problem == nil || got.problem.Error() != want {
				t.Fatalf("problem %v, want %q", got.problem, want)
			}
			if wantDropped := len(l) - tc.at + 1; got.dropped != wantDropped {
				t.Errorf("dropped %d lines, want %d", got.dropped, wantDropped)
			}
			// The records of the lines before the blank one, each read
			// from its own line.
			all := parseJournal([]byte(strings.Join(lines, ""))).records
			n := 0
			for n < len(all) && all[n].line < tc.at {
				n++
			}
			if len(got.records) != n {
				t.Fatalf("%d records, want %d", len(got.records), n)
			}
			for i, r := range got.records {
				w := all[i]
				if r.line != w.line || r.tick != w.tick || !r.at.Equal(w.at) || r.ev.Member != w.ev.Member || r.done != w.done {
					t.Errorf("record %d = %+v, want %+v", i, r, w)
				}
			}
		})
	}
}
