package report

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
)

// smallChunks makes ReadAt cut even a small log into many batches of
// about n bytes.
func smallChunks(t *testing.T, n int64) {
	old := batchBytes
	batchBytes = n
	t.Cleanup(func() { batchBytes = old })
}

func withProcs(t *testing.T, n int) {
	old := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

type badLine struct {
	Name string
	Line int
	Msg  string
}

// readAll reads log with Read (parallel false) or ReadAt, and returns the
// report's JSON, the bad lines given to Bad and the count returned.
func readAll(t tb, log []byte, parallel bool, ro ReadOptions) ([]byte, []badLine, int) {
	t.Helper()
	b := mustNew(t, Options{Groups: sampleGroups()})
	var bad []badLine
	ro.Bad = func(name string, le *qunops.LineError) { bad = append(bad, badLine{name, le.Line, le.Error()}) }
	var n int
	var err error
	if parallel {
		n, err = b.ReadAt(bytes.NewReader(log), int64(len(log)), "log", ro)
	} else {
		n, err = b.Read(bytes.NewReader(log), "log", ro)
	}
	if err != nil {
		t.Fatal(err)
	}
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return jsonOf(t, rep), bad, n
}

// TestReadAtByteIdentical: decoding a log in parallel batches gives the
// bytes of the sequential report, for GOMAXPROCS 1, 2 and 8, on the sample
// and on a generated log of two months.
func TestReadAtByteIdentical(t *testing.T) {
	var sampleLog bytes.Buffer
	if err := sample.Write(&sampleLog); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	logs := map[string][]byte{"sample": sampleLog.Bytes(), "generated": encode(t, genLog(30000, 3, 400, 60, end, 2))}
	smallChunks(t, 16<<10)
	for name, log := range logs {
		if int64(len(log)) < 8*batchBytes {
			t.Fatalf("%s: %d bytes make fewer than 8 batches of %d", name, len(log), batchBytes)
		}
		want, _, _ := readAll(t, log, false, ReadOptions{})
		for _, procs := range []int{1, 2, 8} {
			t.Run(fmt.Sprintf("%s/GOMAXPROCS=%d", name, procs), func(t *testing.T) {
				withProcs(t, procs)
				got, bad, n := readAll(t, log, true, ReadOptions{})
				if !bytes.Equal(want, got) || len(bad) != 0 || n != 0 {
					t.Errorf("parallel report differs (%d bad lines):\n%s", n, cmp.Diff(string(want), string(got)))
				}
			})
		}
	}
}

// TestReadAtBadLines: the bad lines of a log decoded in chunks are those of
// the sequential decoder, with the same numbers: in the first chunk, at the
// start of a later one, in the last, a line with a byte order mark in the
// middle of the log (the decoder strips one only at the start), after blank
// and CRLF lines.
func TestReadAtBadLines(t *testing.T) {
	end := time.Date(2026, 3, 31, 23, 0, 0, 0, qunops.DefaultLocation())
	lines := strings.SplitAfter(string(encode(t, genLog(3000, 2, 100, 20, end, 3))), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	bad := map[int]string{       // line number (1-based, in the final log) -> line
		1:    `{"v":1}` + "\n",
		1500: "\xEF\xBB\xBF" + lines[1499],
		1501: `{"v":1,"type":"join"}` + "\r\n",
		2999: "not json\n",
		3005: `{"v":2,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00+08:00"}` + "\n",
	}
	var log []string
	for i := 0; i < len(lines) || bad[len(log)+1] != ""; {
		if b, ok := bad[len(log)+1]; ok {
			log = append(log, b)
			continue
		}
		l := lines[i]
		switch i {
		case 700:
			l = "\n" // a blank line, which counts as a line
		case 701:
			l = strings.TrimSuffix(l, "\n") + "\r\n"
		}
		log = append(log, l)
		i++
	}
	data := []byte(strings.Join(log, ""))
	smallChunks(t, 4<<10)
	want, wantBad, wantN := readAll(t, data, false, ReadOptions{})
	var numbers []int
	for _, b := range wantBad {
		numbers = append(numbers, b.Line)
	}
	if !slices.Equal(numbers, []int{1, 1500, 1501, 2999, 3005}) || wantN != 5 {
		t.Fatalf("sequential bad lines %v (%d), want 1, 1500, 1501, 2999, 3005", numbers, wantN)
	}
	for _, procs := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			withProcs(t, procs)
			got, gotBad, n := readAll(t, data, true, ReadOptions{})
			if diff := cmp.Diff(wantBad, gotBad); diff != "" || n != wantN {
				t.Errorf("bad lines (-sequential +parallel), %d counted:\n%s", n, diff)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("parallel report differs:\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
	// MaxBad holds for the whole input, not per chunk; the rest are counted.
	withProcs(t, 8)
	_, gotBad, n := readAll(t, data, true, ReadOptions{MaxBad: 2})
	if len(gotBad) != 2 || gotBad[1].Line != 1500 || n != 5 {
		t.Errorf("MaxBad 2: given %v, counted %d; want lines 1 and 1500 of 5", gotBad, n)
	}
}

// TestCut: the batches of a log start at lines (the first that begins
// after each even share of the bytes), never at one that starts with a
// byte order mark, and cover the log exactly.
func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name   string
		log    string
		pieces int64
		want   []int64
	}{
		{"empty", "", 4, []int64{0, 0}},
		{"one line", "abc\n", 4, []int64{0, 4}},
		{"even", "aa\nbb\ncc\ndd\n", 2, []int64{0, 9, 12}},
		{"no final newline", "aa\nbb\ncc\ndd", 2, []int64{0, 6, 11}},
		{"long line", "aaaaaaaaaaaaaaaaaaaa\nb\n", 4, []int64{0, 21, 23}},
		{"byte order mark", "aa\nbb\n\xEF\xBB\xBFcc\ndd\nee\n", 4, []int64{0, 12, 15, 18}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cut(strings.NewReader(tc.log), int64(len(tc.log)), tc.pieces)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("cut: %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

// TestReadFileAndBuildFiles: BuildFiles over two files equals one builder
// over their events, and a missing file is an error naming it.
func TestBuildFiles(t *testing.T) {
	dir := t.TempDir()
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(4000, 2, 100, 30, end, 4)
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, encode(t, events[:2500]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, encode(t, events[2500:]), 0o644); err != nil {
		t.Fatal(err)
	}
	smallChunks(t, 8<<10)
	rep, bad, err := BuildFiles([]string{a, b}, Options{}, ReadOptions{})
	if err != nil || bad != 0 {
		t.Fatal(bad, err)
	}
	if got, want := jsonOf(t, rep), build(t, events, Options{}); !bytes.Equal(got, want) {
		t.Errorf("BuildFiles differs from one builder:\n%s", cmp.Diff(string(want), string(got)))
	}
	_, _, err = BuildFiles([]string{a, filepath.Join(dir, "missing.jsonl")}, Options{}, ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("missing file: %v", err)
	}
	for _, ro := range []ReadOptions{{Workers: -1}, {MaxBad: -1}} {
		if _, _, err := BuildFiles([]string{a}, Options{}, ro); err == nil {
			t.Errorf("%+v: no error", ro)
		}
	}
}

// TestReadProgress: Progress is told of every good event once, in
// parallel and in sequence.
func TestReadProgress(t *testing.T) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(progressEvery+5000, 2, 100, 30, end, 6)
	log := append(encode(t, events), "bad\n"...)
	smallChunks(t, 64<<10)
	withProcs(t, 4)
	for _, parallel := range []bool{false, true} {
		total, calls := 0, 0
		readAll(t, log, parallel, ReadOptions{Progress: func(n int) { total += n; calls++ }})
		if total != len(events) || calls < 2 {
			t.Errorf("parallel %v: %d events in %d calls, want %d in 2 or more", parallel, total, calls, len(events))
		}
	}
}

// failingAt is a log whose bytes from off on cannot be read.
type failingAt struct {
	data []byte
	off  int64
}

var errDisk = errors.New("disk on fire")

func (f failingAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.off {
		return 0, errDisk
	}
	return copy(p, f.data[off:]), nil
}

// TestReadAtError: a read error in a later chunk is returned with the
// input's name, and the builder is left as it was.
func TestReadAtError(t *testing.T) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	log := encode(t, genLog(5000, 2, 100, 30, end, 8))
	smallChunks(t, 64<<10)
	b := mustNew(t, Options{})
	before := buildOf(t, b)
	_, err := b.ReadAt(failingAt{log, int64(len(log)) - 10}, int64(len(log)), "big.jsonl", ReadOptions{Workers: 4})
	if !errors.Is(err, errDisk) || !strings.HasPrefix(err.Error(), "report: big.jsonl: ") {
		t.Errorf("ReadAt: %v, want the read error naming big.jsonl", err)
	}
	if got := buildOf(t, b); !bytes.Equal(before, got) {
		t.Error("a failed ReadAt added events")
	}
}

// TestReadAtSharedIDsAcrossBatches (issue 18): two different events that
// share an ID (a broken or hostile export) far apart in a log: the parallel
// read gives the sequential report byte for byte, because every event of a
// group meets the others in one Builder, in the order of the log. Builders
// of contiguous chunks merged at the end (the design before) counted both
// in the day of the second one.
func TestReadAtSharedIDsAcrossBatches(t *testing.T) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(6000, 2, 100, 30, end, 9)
	for _, pair := range [][2]int{{10, 5990}, {100, 3100}, {2000, 5000}} {
		first, second := events[pair[0]], &events[pair[1]]
		second.Group, second.ID = first.Group, first.ID
		second.Member = "wxid_stranger" + strconv.Itoa(pair[1])
	}
	log := encode(t, events)
	smallChunks(t, 8<<10)
	want, _, _ := readAll(t, log, false, ReadOptions{})
	for _, workers := range []int{2, 8} {
		got, bad, n := readAll(t, log, true, ReadOptions{Workers: workers})
		if !bytes.Equal(want, got) || len(bad) != 0 || n != 0 {
			t.Errorf("%d workers: parallel report differs (%d bad lines):\n%s", workers, n, cmp.Diff(string(want), string(got)))
		}
	}
}

// TestBuildFilesByteIdentical (issue 18): BuildFiles, which builds the
// parts of the groups in parallel instead of merging them, gives the bytes
// of the sequential report, on one and on two files, for GOMAXPROCS 1, 2
// and 8.
func TestBuildFilesByteIdentical(t *testing.T) {
	dir := t.TempDir()
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(20000, 12, 200, 40, end, 11)
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, encode(t, events[:13000]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, encode(t, events[13000:]), 0o644); err != nil {
		t.Fatal(err)
	}
	smallChunks(t, 16<<10)
	for _, files := range [][]string{{a}, {a, b}} {
		seq := mustNew(t, Options{})
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := seq.Read(bytes.NewReader(data), f, ReadOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		want := buildOf(t, seq)
		for _, procs := range []int{1, 2, 8} {
			t.Run(fmt.Sprintf("files=%d/GOMAXPROCS=%d", len(files), procs), func(t *testing.T) {
				withProcs(t, procs)
				rep, bad, err := BuildFiles(files, Options{}, ReadOptions{})
				if err != nil || bad != 0 {
					t.Fatal(bad, err)
				}
				if got := jsonOf(t, rep); !bytes.Equal(want, got) {
					t.Errorf("BuildFiles differs from Read (-want +got):\n%s", cmp.Diff(string(want), string(got)))
				}
			})
		}
	}
}

// TestAddBadKeepsFirstLines: an adder meets the lines Add rejects group
// by group, out of line order, and keeps the first max of them in line
// order, counting all.
func TestAddBadKeepsFirstLines(t *testing.T) {
	var ab addBad
	for _, line := range []int{40, 7, 90, 3, 55, 8, 1} {
		ab.note(&qunops.LineError{Line: line}, 3)
	}
	var got []int
	for _, le := range ab.lines {
		got = append(got, le.Line)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{1, 3, 7}) || ab.n != 7 {
		t.Errorf("kept lines %v of %d, want [1 3 7] of 7", got, ab.n)
	}
}

// TestMaxDays: a report whose groups would list more day rows in all than
// Options.MaxDays fails with an error naming the longest group (of two as
// long, the first by ID), whether built by one Builder or read in parallel
// from a file; at the limit, or with -1, it builds. A hostile log of 300
// groups with two events 27 years apart each (81 KB) asked for 3 million
// rows, 1.4 GB of memory and 400 MB of JSON before issue 18's limit.
func TestMaxDays(t *testing.T) {
	line := func(group, at string) string {
		return `{"v":1,"type":"message","group":"` + group + `","member":"u1","time":"` + at + `","id":"` + group + at + `","kind":"text","text":"hi"}` + "\n"
	}
	// g1 and g3 span 1,001 days, g2 11; 2,013 in all.
	log := line("g3", "2001-01-01T10:00:00+08:00") + line("g1", "2001-01-01T10:00:00+08:00") + line("g2", "2003-09-18T23:59:59+08:00") +
		line("g2", "2003-09-28T00:00:00+08:00") + line("g3", "2003-09-28T10:00:00+08:00") + line("g1", "2003-09-28T10:00:00+08:00")
	path := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = `report: the 3 groups would list 2013 days in all, more than MaxDays (2012): a report lists every calendar day from a group's first event to its last, and the longest, "g1", spans 1001 days, 2001-01-01 to 2003-09-28; raise MaxDays (Options.MaxDays, qunops report -max-days; -1: no limit), or report fewer groups or a shorter span`
	for _, tc := range []struct {
		max     int
		wantErr string
	}{{2012, want}, {2013, ""}, {-1, ""}, {0, ""}} {
		b := mustNew(t, Options{MaxDays: tc.max})
		if _, err := b.Read(strings.NewReader(log), "log", ReadOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err := b.Build()
		_, bad, ferr := BuildFiles([]string{path}, Options{MaxDays: tc.max}, ReadOptions{Workers: 2})
		for how, err := range map[string]error{"Build": err, "BuildFiles": ferr} {
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("MaxDays %d, %s: error %q, want %q", tc.max, how, got, tc.wantErr)
			}
		}
		if bad != 0 {
			t.Errorf("MaxDays %d: %d bad lines", tc.max, bad)
		}
	}
	// The limit is Build's: builders with different limits merge.
	a, b := mustNew(t, Options{MaxDays: 5}), mustNew(t, Options{})
	if err := a.Merge(b); err != nil {
		t.Errorf("builders with different MaxDays: %v", err)
	}
}

// TestParallelReadKeepsNoBlock: the decoders of a parallel read cut the
// events' strings from shared blocks (qunops.Decoder.ShareStrings), so
// every string a builder keeps must be a copy, or it keeps a block of
// other lines' texts. A log of 4,000 members, each new on its line with a
// 4 KB text that nobody keeps, over 120 days (a week of it in the tier
// window), in time order and shuffled: kept are the member IDs, their
// tables and the last week's events, about 4 MB; a kept part of a block
// keeps the texts, more than the log's 17 MB (a member ID not copied: 21
// MB; the last week's events not copied, in the shuffled log: 18 MB).
func TestParallelReadKeepsNoBlock(t *testing.T) {
	smallChunks(t, 1<<20)
	const members = 4000
	text := strings.Repeat("长", 1400) // 4,200 bytes
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lines := make([]string, members)
	for i := range lines {
		at := start.Add(time.Duration(i) * 120 * 24 * time.Hour / members)
		lines[i] = fmt.Sprintf(`{"v":1,"type":"message","group":"g%d@chatroom","member":"wxid_%05d","time":%q,"id":"m%d","text":%q}`+"\n",
			i%3, i, at.Format(time.RFC3339), i, text)
	}
	for _, order := range []string{"time", "shuffled"} {
		t.Run(order, func(t *testing.T) {
			if order == "shuffled" {
				r := rand.New(rand.NewPCG(1, 2))
				r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
			}
			path := filepath.Join(t.TempDir(), "log.jsonl")
			if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			logBytes := members * len(lines[0])
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.ReadFile(path, ReadOptions{Workers: 2}); err != nil {
				t.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			runtime.KeepAlive(b)
			t.Logf("kept %d KB of a %d KB log", kept>>10, logBytes>>10)
			if kept > int64(logBytes)/2 {
				t.Errorf("the builder keeps %d KB after reading a %d KB log: some kept string keeps a block", kept>>10, logBytes>>10)
			}
		})
	}
}
