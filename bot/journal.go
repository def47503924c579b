package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qunops/qunops"
)

// The state directory holds generation N as two files: snapshot-N.json, the
// engine's JSON (rules.Engine.MarshalJSON, readable by any rules tool), and
// journal-N.jsonl, what happened after it. Generation 0 has no snapshot: its
// journal starts from a new engine. The highest generation with a snapshot
// (or 0) is the current one; older files are left-overs of an interrupted
// switch and are removed.
//
// A journal is JSON Lines. An event is a line of the root codec
// (qunops.Encoder, schema v1). The runner's own lines are flat objects with
// one key, which no event line has:
//
//	{"last_tick":"2026-03-02T08:00:00+08:00"}  first line: the runner's last tick before the snapshot
//	{"tick":"2026-03-02T08:00:30+08:00"}       the runner called Tick at that time
//	{"done":2}                                 the previous record's first 2 actions are performed
const (
	snapshotPrefix = "snapshot-"
	journalPrefix  = "journal-"
)

func snapshotName(gen uint64) string { return fmt.Sprintf("%s%d.json", snapshotPrefix, gen) }
func journalName(gen uint64) string  { return fmt.Sprintf("%s%d.jsonl", journalPrefix, gen) }

// record is one journal record read back: an event or a tick, and how many
// of its actions were performed.
type record struct {
	tick bool
	at   time.Time // tick time
	ev   qunops.Event
	done int // actions performed, from the done markers
	line int
}

// journalRead is what readJournal found.
type journalRead struct {
	lastTick time.Time
	records  []record
	// dropped is the number of lines after the good prefix: a torn last
	// line, or a corrupt line and everything after it; problem says why.
	dropped int
	problem error
}

// readJournal reads a journal. A file that does not exist is empty. A torn
// last line (no line ending) or a line that does not parse ends the good
// prefix: the rest is dropped and reported in dropped and problem, never
// applied, because a record after a lost one would meet a state it was not
// handled in.
func readJournal(path string) (journalRead, error) {
	var out journalRead
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("bot: journal: %w", err)
	}
	return parseJournal(data), nil
}

func parseJournal(data []byte) journalRead {
	var out journalRead
	// A journal that was not closed ends in the zeros of the space
	// reserved for its mapping; no record contains a zero byte.
	data = bytes.TrimRight(data, "\x00")
	total := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		total++
	}
	var events []byte // the event lines, back to back, for one qunops.Decoder
	var eventRecs, eventLines []int
	lineNo := 0
	rest := data
	// cut ends the good prefix before line n.
	cut := func(n int, err error) {
		out.problem = fmt.Errorf("bot: journal: line %d: %w", n, err)
		out.dropped = total - n + 1
	}
scan:
	for len(rest) > 0 {
		lineNo++
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			cut(lineNo, fmt.Errorf("torn last line (%d bytes, no line ending)", len(rest)))
			break
		}
		line := rest[:i]
		rest = rest[i+1:]
		switch {
		case bytes.HasPrefix(line, []byte(`{"last_tick":`)):
			t, err := markerTime(line, `{"last_tick":`)
			if err == nil && len(out.records) > 0 {
				err = errors.New("last_tick after the first record")
			}
			if err != nil {
				cut(lineNo, err)
				break scan
			}
			out.lastTick = t
		case bytes.HasPrefix(line, []byte(`{"tick":`)):
			t, err := markerTime(line, `{"tick":`)
			if err != nil {
				cut(lineNo, err)
				break scan
			}
			out.records = append(out.records, record{tick: true, at: t, line: lineNo})
		case bytes.HasPrefix(line, []byte(`{"done":`)):
			s := string(line[len(`{"done":`):])
			n, err := strconv.Atoi(strings.TrimSuffix(s, "}"))
			if err != nil || !strings.HasSuffix(s, "}") || n < 1 || len(out.records) == 0 {
				cut(lineNo, fmt.Errorf("bad done marker %.80q", line))
				break scan
			}
			r := &out.records[len(out.records)-1]
			r.done = n
		default:
			eventRecs = append(eventRecs, len(out.records))
			eventLines = append(eventLines, lineNo)
			events = append(events, line...)
			events = append(events, '\n')
			out.records = append(out.records, record{line: lineNo})
		}
	}
	// The event lines are decoded together; the first that does not
	// decode ends the good prefix there.
	dec := qunops.NewDecoder(bytes.NewReader(events))
	for k, ri := range eventRecs {
		ev, err := dec.Decode()
		// The Decoder skips blank lines (empty, blanks, a BOM alone),
		// which the writer never writes: it then gives this record the
		// next event line's event, or io.EOF. A skip shows as the
		// Decoder past line k+1; the blank line is corrupt and ends the
		// good prefix, so that no record is read from another's line.
		if err == io.EOF || dec.Line() != k+1 {
			err = errors.New("blank line")
		}
		if err == nil {
			out.records[ri].ev = ev
			continue
		}
		var le *qunops.LineError
		if errors.As(err, &le) {
			err = le.Err
		}
		cut(eventLines[k], err)
		out.records = out.records[:ri]
		break
	}
	return out
}

func markerTime(line []byte, prefix string) (time.Time, error) {
	s := string(line[len(prefix):])
	if len(s) < 3 || s[0] != '"' || !strings.HasSuffix(s, `"}`) {
		return time.Time{}, fmt.Errorf("bad marker %.80q", line)
	}
	t, err := time.Parse(time.RFC3339Nano, s[1:len(s)-2])
	if err != nil {
		return time.Time{}, fmt.Errorf("bad marker %.80q: %.100v", line, err) // a parse error quotes the whole value
	}
	return t, nil
}

// journal appends to the current journal file. Each record is stored
// before it is applied, in the kernel's page cache (copied into the file's
// shared mapping on Linux, see journal_map_linux.go; one write call
// elsewhere), so a crash of the process (kill, panic, out of memory) loses
// nothing stored; fsync is batched by the runner (Options.SyncEvery).
type journal struct {
	f      *os.File
	nosync bool // tests only
	enc    *qunops.Encoder
	buf    []byte
	size   int64  // bytes of records
	m      []byte // the file's mapping; nil: write calls
	failed error  // a mapping that could not grow: every later record fails

	// The background fsync (see syncLater); nil when nosync.
	syncReq  chan struct{}
	syncWG   sync.WaitGroup
	syncMu   sync.Mutex
	syncFail error  // the first failed background fsync
	onSync   func() // called after each fsync, from any goroutine
}

type journalBuf struct{ j *journal }

func (w journalBuf) Write(p []byte) (int, error) {
	w.j.buf = append(w.j.buf, p...)
	return len(p), nil
}

// journalOpts are a journal's settings.
type journalOpts struct {
	nosync bool   // no fsync (tests)
	nomap  bool   // write calls even where the file could be mapped (tests)
	onSync func() // called after each fsync, from any goroutine
}

func createJournal(path string, lastTick time.Time, o journalOpts) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("bot: journal: %w", err)
	}
	j := &journal{f: f, buf: make([]byte, 0, 512), nosync: o.nosync, onSync: o.onSync}
	if mapInitial > 0 && !o.nomap {
		if j.m, err = mapJournal(f, mapInitial); err != nil {
			f.Close()
			return nil, fmt.Errorf("bot: journal: %w", err)
		}
	}
	j.enc = qunops.NewEncoder(journalBuf{j})
	if !o.nosync {
		req := make(chan struct{}, 1)
		j.syncReq = req
		j.syncWG.Go(func() { j.syncer(req) })
	}
	if !lastTick.IsZero() {
		j.buf = append(j.buf, `{"last_tick":"`...)
		j.buf = lastTick.AppendFormat(j.buf, time.RFC3339Nano)
		j.buf = append(j.buf, "\"}\n"...)
		if err := j.flush(); err != nil {
			j.abandon()
			return nil, err
		}
	}
	return j, nil
}

// flush stores the record in buf. In the mapping the line ending is
// stored last, so a crash in the middle of the copy leaves a torn line
// (bytes, then the zeros of the reserved space), which readJournal drops.
func (j *journal) flush() error {
	err := j.store()
	j.buf = j.buf[:0]
	return err
}

func (j *journal) store() error {
	if j.failed != nil {
		return j.failed
	}
	if j.m == nil {
		n, err := j.f.Write(j.buf)
		j.size += int64(n)
		if err != nil {
			return fmt.Errorf("bot: journal: %w", err)
		}
		return nil
	}
	n := int64(len(j.buf))
	if j.size+n > int64(len(j.m)) {
		if err := j.grow(j.size + n); err != nil {
			// The file's offset is still 0 (the records went through
			// the mapping): a write call now would overwrite them.
			j.failed = err
			return err
		}
	}
	copy(j.m[j.size:j.size+n-1], j.buf[:n-1])
	j.m[j.size+n-1] = j.buf[n-1]
	j.size += n
	return nil
}

// grow maps the file again with room for at least need bytes: double the
// mapping, or more.
func (j *journal) grow(need int64) error {
	size := 2 * int64(len(j.m))
	for size < need {
		size *= 2
	}
	if err := unmapJournal(j.m); err != nil {
		return fmt.Errorf("bot: journal: munmap: %w", err)
	}
	j.m = nil
	m, err := mapJournal(j.f, size)
	if err == nil && m == nil {
		err = errors.New("the file system stopped reserving blocks")
	}
	if err != nil {
		return fmt.Errorf("bot: journal: %w", err)
	}
	j.m = m
	return nil
}

// event appends ev. An event that does not validate is not written: its
// error is a *qunops.FieldError.
func (j *journal) event(ev qunops.Event) error {
	if err := j.enc.Encode(ev); err != nil {
		j.buf = j.buf[:0]
		return err
	}
	return j.flush()
}

func (j *journal) tick(t time.Time) error {
	j.buf = append(j.buf, `{"tick":"`...)
	j.buf = t.AppendFormat(j.buf, time.RFC3339Nano)
	j.buf = append(j.buf, "\"}\n"...)
	return j.flush()
}

func (j *journal) done(n int) error {
	j.buf = append(j.buf, `{"done":`...)
	j.buf = strconv.AppendInt(j.buf, int64(n), 10)
	j.buf = append(j.buf, "}\n"...)
	return j.flush()
}

// sync flushes the journal to disk now.
func (j *journal) sync() error {
	if j.nosync {
		return nil
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("bot: journal: %w", err)
	}
	j.synced()
	return nil
}

func (j *journal) synced() {
	if j.onSync != nil {
		j.onSync()
	}
}

// syncLater asks the journal's goroutine for an fsync, so that the loop
// does not wait for the disk (a flush of a second's records takes
// milliseconds on the development VM, longer than a thousand events'
// work). A request while one is pending is the same request. It returns
// the error of an earlier background fsync: the journal cannot keep its
// promise after one.
func (j *journal) syncLater() error {
	if j.nosync {
		return nil
	}
	j.syncMu.Lock()
	err := j.syncFail
	j.syncMu.Unlock()
	if err != nil {
		return fmt.Errorf("bot: journal: %w", err)
	}
	select {
	case j.syncReq <- struct{}{}:
	default:
	}
	return nil
}

func (j *journal) syncer(req <-chan struct{}) {
	for range req {
		if err := j.f.Sync(); err != nil {
			j.syncMu.Lock()
			if j.syncFail == nil {
				j.syncFail = err
			}
			j.syncMu.Unlock()
			continue
		}
		j.synced()
	}
}

// stopSyncer ends the background fsync and returns its first error.
func (j *journal) stopSyncer() error {
	if j.syncReq == nil {
		return nil
	}
	close(j.syncReq)
	j.syncReq = nil
	j.syncWG.Wait()
	return j.syncFail
}

// close ends the journal: the reserved space after the records is cut
// off, and the file synced and closed.
func (j *journal) close() error {
	err := j.stopSyncer()
	if j.m != nil {
		if uerr := unmapJournal(j.m); err == nil {
			err = uerr
		}
		j.m = nil
		if err == nil {
			err = j.f.Truncate(j.size)
		}
	}
	if !j.nosync && err == nil {
		err = j.f.Sync()
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("bot: journal: %w", err)
	}
	return nil
}

// abandon lets the journal go as a crash would: no sync, and the reserved
// space stays (readJournal ignores it). For a journal a snapshot has
// replaced, and for the crash tests.
func (j *journal) abandon() {
	j.stopSyncer()
	if j.m != nil {
		unmapJournal(j.m)
		j.m = nil
	}
	j.f.Close()
}

// generations lists the generations of the snapshots in dir, ascending.
func generations(dir string) ([]uint64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("bot: state dir: %w", err)
	}
	var gens []uint64
	for _, e := range ents {
		name, ok := strings.CutPrefix(e.Name(), snapshotPrefix)
		if !ok {
			continue
		}
		name, ok = strings.CutSuffix(name, ".json")
		if !ok {
			continue
		}
		if g, err := strconv.ParseUint(name, 10, 64); err == nil {
			gens = append(gens, g)
		}
	}
	slices.Sort(gens)
	return gens, nil
}

// writeSnapshot writes data as snapshot gen atomically: a temporary file,
// fsync, rename, fsync of the directory.
func writeSnapshot(dir string, gen uint64, data []byte, nosync bool) error {
	tmp, err := os.CreateTemp(dir, "snapshot-*.tmp")
	if err != nil {
		return fmt.Errorf("bot: snapshot: %w", err)
	}
	_, err = tmp.Write(data)
	if err == nil && !nosync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, snapshotName(gen)))
	}
	if err == nil && !nosync {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("bot: snapshot: %w", err)
	}
	return nil
}

// syncDir makes a rename in dir durable. Windows has no directory handle to
// flush (FlushFileBuffers refuses one) and makes renames durable through its
// journaling file system, so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
