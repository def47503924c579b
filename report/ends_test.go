package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// TestReadAtKeepsLastWindowOnly (issue 18): ReadAt first finds each
// group's end, so its builder keeps, event by event, exactly the counted
// events of each group's last window, where a stream (Read), which sweeps
// only when its buffer doubles, keeps older ones too; the report is that
// of two passes.
func TestReadAtKeepsLastWindowOnly(t *testing.T) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(20000, 2, 300, 60, end, 1)
	log := encode(t, events)
	window := Options{}.resolved().window()
	// The counted events of each group's last window, from the events.
	last := map[string]time.Time{}
	for _, e := range events {
		if e.Time.After(last[e.Group]) {
			last[e.Group] = e.Time
		}
	}
	want := 0
	for _, e := range events {
		counted := e.Type == qunops.Message || e.Type == qunops.Claim || e.Type == qunops.Checkin || e.Type == qunops.Warn ||
			(e.Type == qunops.Join && e.Actor != "" && e.Actor != e.Member)
		if counted && e.Time.After(last[e.Group].Add(-window)) {
			want++
		}
	}
	kept := func(b *Builder) int {
		n := 0
		for _, g := range b.groups {
			n += g.recent.len()
		}
		return n
	}
	stream, at := mustNew(t, Options{}), mustNew(t, Options{})
	if _, err := stream.Read(bytes.NewReader(log), "log", ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := at.ReadAt(bytes.NewReader(log), int64(len(log)), "log", ReadOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if got := kept(at); got != want {
		t.Errorf("ReadAt kept %d recent events, want the %d of the last windows", got, want)
	}
	if got := kept(stream); got <= want {
		t.Errorf("Read kept %d recent events, want more than the %d of the last windows (the premise of this test)", got, want)
	}
	rep, err := at.Build()
	if err != nil {
		t.Fatal(err)
	}
	if want, got := twoPass(t, events, Options{}), jsonOf(t, rep); !bytes.Equal(want, got) {
		t.Fatalf("ReadAt differs from two passes (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestReadAtWrongEndsProperty (issue 18): whatever lines the first pass
// misreads — a bad line whose group and time it reads, later than the
// group's last event, a group it cannot read — ReadAt's report, bad lines
// and their numbers are those of Read, on 1, 2 and 8 chunks.
func TestReadAtWrongEndsProperty(t *testing.T) {
	smallChunks(t, 256)
	rapid.Check(t, func(t *rapid.T) {
		log := encode(t, drawReplays(t)) // IDs as exporters give them, as TestMergeProperty
		lines := bytes.SplitAfter(log, []byte("\n"))
		if len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		hostile := []string{
			`{"v":1,"type":"bogus","group":"g1","member":"a","time":"2027-01-01T00:00:00Z"}` + "\n",
			`{"v":1,"type":"message","group":"g2","member":"","time":"2026-12-01T00:00:00+08:00"}` + "\n",
			`{"v":1,"type":"message","group":"g1","member":"a","time":"2026-03-30T00:00:00Z","time":"2026-03-30T00:00:00Z"}` + "\n",
			`{"v":1,"type":"roster","group":"g\u0031","member":"a","time":"2026-03-25T00:00:00Z"}` + "\n",
			`{"v":1,"type":"roster","group":"g2","member":"b","time":"2026-03-25T00:00:00.9-01:00"}` + "\n",
			// Good lines the first pass cannot read, so a group's real end
			// lies after its bound: Python's json.dumps spacing, and the
			// lower-case T and Z that RFC 3339 allows.
			`{"v": 1, "type": "message", "group": "g1", "member": "a", "time": "2026-05-01T00:00:00Z", "text": "hi"}` + "\n",
			`{"v":1,"type":"message","group":"g2","member":"b","time":"2026-05-01t00:00:00z","text":"hi"}` + "\n",
		}
		for _, h := range rapid.SliceOfN(rapid.SampledFrom(hostile), 0, 3).Draw(t, "hostile") {
			at := rapid.IntRange(0, len(lines)).Draw(t, "at")
			lines = append(lines[:at], append([][]byte{[]byte(h)}, lines[at:]...)...)
		}
		log = bytes.Join(lines, nil)
		want, wantBad, wantN := readAll(t, log, false, ReadOptions{})
		for _, workers := range []int{1, 2, 8} {
			got, gotBad, gotN := readAll(t, log, true, ReadOptions{Workers: workers})
			if !bytes.Equal(want, got) || gotN != wantN || !cmp.Equal(wantBad, gotBad) {
				t.Fatalf("%d workers: ReadAt differs from Read: %d bad lines, want %d (-want +got):\n%s%s", workers, gotN, wantN,
					cmp.Diff(string(want), string(got)), cmp.Diff(wantBad, gotBad))
			}
		}
	})
}

// TestScanSecond: the first pass reads the times the encoder writes as
// time.Parse does, to the second, fraction dropped, and gives up on
// anything else.
func TestScanSecond(t *testing.T) {
	for _, s := range []string{
		"2026-01-01T00:00:00+08:00",
		"0000-01-01T00:00:00Z",
		"0000-02-29T23:59:59Z", // year 0 is a leap year
		"0000-03-01T00:00:00+14:00",
		"1969-12-31T23:59:59.999999999Z",
		"1970-01-01T00:00:00-00:30",
		"2000-02-29T12:00:00.5Z",
		"2100-03-01T00:00:00Z",
		"9999-12-31T23:59:59.123-23:59",
	} {
		t.Run(s, func(t *testing.T) {
			ref, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := scanSecond([]byte(s + `","id":"x"}`))
			if !ok || got != ref.Unix() {
				t.Errorf("scanSecond = %d, %v, want %d (time.Parse)", got, ok, ref.Unix())
			}
		})
	}
	for _, s := range []string{"", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00\"",
		"2026-01-01T24:00:00Z", "2026-01-01T00:00:00+8:00", "2026-01-01T00:00:00.5", "２026-01-01T00:00:00Z"} {
		t.Run(fmt.Sprintf("bad %q", s), func(t *testing.T) {
			if got, ok := scanSecond([]byte(s)); ok {
				t.Errorf("scanSecond(%q) = %d, want not ok", s, got)
			}
		})
	}
}

// TestScanCanonical (issue 18): the first pass's short path finds the
// group and time where a search of the line for their keys finds them,
// and leaves every line not in the Encoder's form to that search.
func TestScanCanonical(t *testing.T) {
	for _, tc := range []struct {
		line, group, time string // group "" for a line the short path leaves
	}{
		{`{"v":1,"type":"message","group":"g1@chatroom","member":"m","time":"2026-03-02T08:00:00Z","text":"x"}`, "g1@chatroom", "2026-03-02T08:00:00Z"},
		{`{"v":1,"type":"join","group":"","member":"","time":"2026-03-02T08:00:00+08:00"}`, "", "2026-03-02T08:00:00+08:00"},
		{`{"v":1,"type":"join","group":"g\"x","member":"m","time":"2026-03-02T08:00:00Z"}`, "", ""},
		{`{"v":1,"type":"join","group":"g","member":"m\"","time":"2026-03-02T08:00:00Z"}`, "", ""},
		{`{"v":1,"type":"join","member":"m","group":"g","time":"2026-03-02T08:00:00Z"}`, "", ""},
		{`{"v": 1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "", ""},
		{`{"v":1,"type":"join","group":"g","member":"m"}`, "", ""},
	} {
		g, tm, ok := scanCanonical([]byte(tc.line))
		want := tc.time != ""
		if ok != want || string(g) != tc.group || !bytes.HasPrefix(tm, []byte(tc.time)) {
			t.Errorf("scanCanonical(%s) = %q, %q, %v; want %q, %q, %v", tc.line, g, tm, ok, tc.group, tc.time, want)
			continue
		}
		if ok { // the search finds the same
			i, j := bytes.Index([]byte(tc.line), groupKey), bytes.Index([]byte(tc.line), timeKey)
			if sg := tc.line[i+len(groupKey):]; !strings.HasPrefix(sg, tc.group+`"`) || tc.line[j+len(timeKey):] != string(tm) {
				t.Errorf("%s: the search finds another group or time", tc.line)
			}
		}
	}
}

// TestScanEndsReadsLastQuarters (issue 18): the first pass reads the last
// 1/scanShare of each batch only (from the first line that starts after
// the rest), and its bounds are lower bounds: a group seen only before
// gets none, one seen there gets the latest time seen there.
func TestScanEndsReadsLastQuarters(t *testing.T) {
	var log []byte
	var bounds []int64
	const lines = 5 * scanShare // of one length: the last 5 are read, and the line across the cut is not
	for hour := 8; hour <= 9; hour++ {
		bounds = append(bounds, int64(len(log)))
		for i := range lines {
			g := "early"
			if i >= lines-4 {
				g = "later"
			}
			log = fmt.Appendf(log, `{"v":1,"type":"roster","group":%q,"member":"m","time":"2026-03-02T%02d:%02d:00Z"}`+"\n", g, hour, i)
		}
	}
	bounds = append(bounds, int64(len(log)))
	ends, _ := scanEnds(bytes.NewReader(log), bounds, 2)
	if _, ok := ends["early"]; ok || len(ends) != 1 {
		t.Fatalf("ends %v, want later only", ends)
	}
	if got, want := ends["later"].sec, time.Date(2026, 3, 2, 9, lines-1, 0, 0, time.UTC).Unix()+instantBias; got != want {
		t.Errorf("later ends at %d, want %d (09:%02d)", got, want, lines-1)
	}
}

// TestScanEndsEstimatesIDs: the first pass estimates a group's lines with
// an ID from those in the quarters it reads, times four; a group whose
// lines have no ID (many exports) gets no table made for it, and a text
// that spells the key does not count.
func TestScanEndsEstimatesIDs(t *testing.T) {
	var log []byte
	bounds := []int64{0}
	n := 0
	for batch := range 4 {
		for i := range 200 {
			n++
			switch i % 2 {
			case 0:
				log = fmt.Appendf(log, `{"v":1,"type":"message","group":"a","member":"m","time":"2026-03-02T08:%02d:%02dZ","id":"x%d","text":"hi"}`+"\n", batch, i%60, n)
			default:
				log = fmt.Appendf(log, `{"v":1,"type":"message","group":"b","member":"m","time":"2026-03-02T08:%02d:%02dZ","text":"\",\"id\":\""}`+"\n", batch, i%60)
			}
		}
		bounds = append(bounds, int64(len(log)))
	}
	_, ids := scanEnds(bytes.NewReader(log), bounds, 2)
	if got := ids["a"]; got < 300 || got > 500 {
		t.Errorf("group a: %d IDs estimated, want about 400", got)
	}
	if got := ids["b"]; got != 0 {
		t.Errorf("group b: %d IDs estimated, want 0", got)
	}

	// A hostile layout: the lines with IDs all where the pass reads. The
	// estimate is then scanShare times too high, but never more than the
	// lines of the log, which is what bounds the tables' memory.
	log, bounds, n = nil, []int64{0}, 0
	for batch := range 4 {
		for i := range 8 * scanShare {
			n++
			if i < 7*scanShare {
				log = fmt.Appendf(log, `{"v":1,"type":"message","group":"b","member":"m","time":"2026-03-02T08:%02d:%02dZ","text":"hi"}`+"\n", batch, i%60)
			} else {
				log = fmt.Appendf(log, `{"v":1,"type":"message","group":"c","member":"m","time":"2026-03-02T08:%02d:%02dZ","id":"x%d","text":"hi"}`+"\n", batch, i%60, n)
			}
		}
		bounds = append(bounds, int64(len(log)))
	}
	_, ids = scanEnds(bytes.NewReader(log), bounds, 2)
	if got := ids["c"]; got == 0 || got > n {
		t.Errorf("group c: %d IDs estimated for %d lines of %d with an ID, want 1 to %d", got, 4*scanShare, n, n)
	}
}
