package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/qunops/qunops"
)

// DefaultMaxBad is how many bad lines of one input ReadOptions.Bad is
// given by default (ours: what a person reads on a terminal; the rest are
// counted).
const DefaultMaxBad = 100

// minChunkBytes is the least size of the chunk of a file that one worker
// decodes (ours: below it, starting a worker and merging its builder costs
// more than decoding the chunk). Tests lower it.
var minChunkBytes int64 = 1 << 20

// ReadOptions are the settings of reading a log into a Builder. The zero
// value means the defaults.
type ReadOptions struct {
	// Workers is how many goroutines decode one file, each a contiguous
	// chunk of it into a Builder of its own; zero means
	// runtime.GOMAXPROCS(0). A file is cut into fewer chunks when they
	// would be under 1 MiB. Reading a stream (Builder.Read) uses one.
	Workers int
	// Bad, when not nil, is given the first MaxBad bad lines of each input,
	// in line order, with their exact line numbers; it is called from the
	// goroutine that called the Read method, never concurrently.
	Bad func(name string, err *qunops.LineError)
	// MaxBad is how many bad lines of each input Bad is given; zero means
	// DefaultMaxBad. The others are only counted (a file of nothing but
	// bad lines must not fill the memory with their errors).
	MaxBad int
	// Progress, when not nil, is told how many events were decoded since
	// its last call, about every 65,536 events of a worker and at the end
	// of each chunk. Calls never overlap, but come from the workers.
	Progress func(events int)
}

// progressEvery is how many events a worker decodes between calls of
// ReadOptions.Progress.
const progressEvery = 1 << 16

// progress returns o.Progress made safe for concurrent calls, or nil.
func (o ReadOptions) progress() func(int) {
	if o.Progress == nil {
		return nil
	}
	var mu sync.Mutex
	return func(n int) {
		mu.Lock()
		defer mu.Unlock()
		o.Progress(n)
	}
}

func (o ReadOptions) validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("report: read options: workers %d must not be negative", o.Workers)
	}
	if o.MaxBad < 0 {
		return fmt.Errorf("report: read options: max_bad %d must not be negative", o.MaxBad)
	}
	return nil
}

func (o ReadOptions) maxBad() int {
	if o.MaxBad == 0 {
		return DefaultMaxBad
	}
	return o.MaxBad
}

// Read adds the events of a JSON Lines log read from r, in one goroutine,
// and returns the number of bad lines (see qunops.Decoder; an event that Add
// rejects counts as a bad line too). name is the input's name in errors. A
// read error of r ends it: the events before it stay added.
func (b *Builder) Read(r io.Reader, name string, o ReadOptions) (bad int, err error) {
	if err := o.validate(); err != nil {
		return 0, err
	}
	c := chunk{name: name}
	budget := o.maxBad()
	c.decode(b, r, budget, o.Progress)
	c.report(0, o.Bad, &budget)
	if c.err != nil {
		return c.bad, fmt.Errorf("report: %s: %w", name, c.err)
	}
	return c.bad, nil
}

// ReadFile adds the events of the named JSON Lines file, decoding it in
// parallel (see ReadAt).
func (b *Builder) ReadFile(name string, o ReadOptions) (bad int, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	return b.ReadAt(f, st.Size(), name, o)
}

// ReadAt adds the events of a JSON Lines log of size bytes held in r,
// decoded in parallel: the log is cut at line boundaries into up to
// o.Workers chunks, each decoded by a goroutine into a Builder of its own,
// and those are merged into b in the order of the chunks. The result is
// byte for byte that of Read over the same bytes, and so are the bad lines
// and their numbers. A line that starts with a byte order mark is never
// the first of a chunk (the decoder strips one only at the start of a
// stream). The memory of the workers' builders is held until the merge.
// The log is read twice: a first, light pass finds when each group ends,
// so that the builders keep only the events of each group's last window;
// when a line it read turns out bad and a group ends earlier than it
// found, the log is decoded once more without it (and Progress hears of
// its events twice).
// A read error of r is returned naming the input, and nothing of the log
// is added (the bad lines of the chunks before it are reported).
func (b *Builder) ReadAt(r io.ReaderAt, size int64, name string, o ReadOptions) (bad int, err error) {
	if err := o.validate(); err != nil {
		return 0, err
	}
	bounds, err := cut(r, size, o.Workers)
	if err != nil {
		return 0, fmt.Errorf("report: %s: %w", name, err)
	}
	ends := scanEnds(r, bounds)
	chunks, builders := b.decodeChunks(r, bounds, name, o, ends)
	if ends != nil && !endsHeld(builders, ends) {
		builders = nil // let the collector have them during the second decoding
		chunks, builders = b.decodeChunks(r, bounds, name, o, nil)
	}
	line, budget := 0, o.maxBad()
	for i := range chunks {
		c := &chunks[i]
		bad += c.report(line, o.Bad, &budget)
		line += c.lines
		if c.err != nil {
			return bad, fmt.Errorf("report: %s: %w", name, c.err)
		}
	}
	for i, cb := range builders {
		builders[i] = nil       // let the collector have it once merged
		if len(b.groups) == 0 { // nothing to merge with: take the chunk's state
			b.tr, b.groups, b.lastName, b.last = cb.tr, cb.groups, "", nil
			continue
		}
		if err := b.Merge(cb); err != nil {
			return bad, err
		}
	}
	return bad, nil
}

// decodeChunks decodes each chunk of a log into a fresh builder, in
// parallel, the builders given the bounds of the groups' ends (nil: none).
func (b *Builder) decodeChunks(r io.ReaderAt, bounds []int64, name string, o ReadOptions, ends map[string]instant) ([]chunk, []*Builder) {
	chunks := make([]chunk, len(bounds)-1)
	builders := make([]*Builder, len(chunks))
	var wg sync.WaitGroup
	progress := o.progress()
	for i := range chunks {
		c := &chunks[i]
		c.name = name
		builders[i] = b.fresh()
		builders[i].ends = ends
		wg.Go(func() {
			c.decode(builders[i], io.NewSectionReader(r, bounds[i], bounds[i+1]-bounds[i]), o.maxBad(), progress)
		})
	}
	wg.Wait()
	return chunks, builders
}

// endsHeld reports whether every bound of ends is at or before the last
// event that the builders took of its group (or the group has none), so
// that no event was folded that may fall in a window.
func endsHeld(builders []*Builder, ends map[string]instant) bool {
	for name, end := range ends {
		var last instant
		for _, cb := range builders {
			if g := cb.groups[name]; g != nil {
				later(&last, instantOf(g.last))
			}
		}
		if last != (instant{}) && end.after(last) {
			return false
		}
	}
	return true
}

// BuildFiles returns the report of the named JSON Lines files, each read
// with ReadFile, and the number of bad lines.
func BuildFiles(names []string, o Options, ro ReadOptions) (*Report, int, error) {
	b, err := New(o)
	if err != nil {
		return nil, 0, err
	}
	bad := 0
	for _, name := range names {
		n, err := b.ReadFile(name, ro)
		bad += n
		if err != nil {
			return nil, bad, err
		}
	}
	rep, err := b.Build()
	return rep, bad, err
}

// fresh returns an empty builder with b's options.
func (b *Builder) fresh() *Builder {
	nb, err := New(b.opts)
	if err != nil {
		panic("report: resolved options do not validate: " + err.Error()) // New validated them
	}
	return nb
}

// chunk is what a worker found in its chunk of a log.
type chunk struct {
	name     string
	lines    int                 // lines read
	bad      int                 // bad lines
	badLines []*qunops.LineError // the first ones, numbered from the chunk's start
	err      error               // a read error, which ended the chunk
}

// decode adds the events of r to b, telling progress (if not nil) how
// many it decoded.
func (c *chunk) decode(b *Builder, r io.Reader, maxBad int, progress func(int)) {
	dec := qunops.NewDecoder(r)
	events := 0
	defer func() {
		if progress != nil && events > 0 {
			progress(events)
		}
	}()
	for {
		e, err := dec.Decode()
		if err == io.EOF {
			break
		}
		var le *qunops.LineError
		if err == nil {
			if events++; events == progressEvery && progress != nil {
				progress(events)
				events = 0
			}
			if aerr := b.Add(e); aerr != nil {
				le = &qunops.LineError{Line: dec.Line(), Err: aerr}
			}
		} else if !errors.As(err, &le) {
			c.err = err
			break
		}
		if le != nil {
			c.bad++
			if len(c.badLines) < maxBad {
				c.badLines = append(c.badLines, le)
			}
		}
	}
	c.lines = dec.Line()
}

// report gives the chunk's bad lines to bad, renumbered after the given
// lines of the chunks before it, while the input's budget lasts, and
// returns how many bad lines the chunk had.
func (c *chunk) report(before int, bad func(string, *qunops.LineError), budget *int) int {
	for _, le := range c.badLines {
		if bad == nil || *budget <= 0 {
			break
		}
		*budget--
		bad(c.name, &qunops.LineError{Line: before + le.Line, Err: le.Err})
	}
	return c.bad
}

// cut returns the boundaries of up to workers chunks of a log of size
// bytes: 0, the starts of lines, and size.
func cut(r io.ReaderAt, size int64, workers int) ([]int64, error) {
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := int64(workers)
	if most := size / minChunkBytes; n > most {
		n = max(most, 1)
	}
	bounds := []int64{0}
	for i := int64(1); i < n; i++ {
		at := max(size*i/n, bounds[len(bounds)-1])
		next, err := lineStart(r, size, at)
		if err != nil {
			return nil, err
		}
		if next < size && next > bounds[len(bounds)-1] {
			bounds = append(bounds, next)
		}
	}
	return append(bounds, size), nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// lineStart returns the start of the first line that begins after offset
// at and does not begin with a byte order mark, or size when there is none.
func lineStart(r io.ReaderAt, size, at int64) (int64, error) {
	buf := make([]byte, 64<<10)
	for at < size {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), size-at)], at)
		if n == 0 && err != nil {
			return 0, err
		}
		i := bytes.IndexByte(buf[:n], '\n')
		if i < 0 {
			at += int64(n)
			continue
		}
		at += int64(i) + 1
		if at >= size {
			return size, nil
		}
		var head [3]byte
		k, err := r.ReadAt(head[:min(3, size-at)], at)
		if k < int(min(3, size-at)) && err != nil {
			return 0, err
		}
		if !bytes.HasPrefix(head[:k], bom) {
			return at, nil
		}
	}
	return size, nil
}
