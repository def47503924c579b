package report

import (
	"cmp"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
)

// pipeline reads the batches of a log with workers decoders and workers
// adders (ReadAt). Decoders take the batches in order, each the next one
// not taken, and list the events of each group (shards.partFor gives its
// part, and so its adder); adder j adds the events of the groups of the
// parts j, j+workers, ... to their builders, batch after batch, group
// after group, so each group's events meet its builder in the order of the
// log. Adding a batch's events group by group rather than in the order of
// the log keeps one group's state in the processor's caches at a time
// (issue 18: about 15% less time per event with a hundred groups); groups
// are independent, so the result is the same. The calling goroutine waits
// for the batches in order, collects their bad lines and frees their slot
// for the decoders: at most len(slots) batches are in flight.
type pipeline struct {
	sh     *shards
	parts  []*Builder
	r      io.ReaderAt
	bounds []int64
	maxBad int

	slots    []*slot
	ready    []chan struct{} // by batch: closed once it is decoded
	done     []chan struct{} // by batch: closed once every adder took it
	tokens   chan struct{}   // one per free slot
	next     atomic.Int64    // the next batch to decode
	stop     atomic.Bool     // a read error: decode no more
	progress func(int)
	touched  []uint64 // by adder: keeps the loads of Builder.prefetch from being optimized away
}

// slot holds one batch between its decoder, its adders and the reader of
// its bad lines.
type slot struct {
	events []lineEvent // in the order of the log
	// The indexes of the events of group number n are
	// order[start[n]:start[n]+count[n]] once the batch is decoded: a
	// counting sort in arrays the slot keeps, so that a log whose groups
	// come one after another (exports concatenated) allocates nothing
	// per batch.
	order    []int32
	start    []int32   // by group number
	count    []int32   // by group number; 0 for the groups not in the batch
	present  [][]int32 // by adder: the numbers of its groups in the batch
	groupOf  []int32   // by event: its group number
	lines    int
	bad      int                 // bad lines the decoder found
	badLines []*qunops.LineError // the first ones, numbered in the batch
	addBad   []addBad            // by adder: events Add rejected
	err      error
	left     atomic.Int32 // adders that have not taken the batch yet
}

type addBad struct {
	n     int
	lines []*qunops.LineError // the first ones in line order, numbered in the batch
}

// note keeps le when it is among the first max lines (the adder meets the
// lines group by group, not in line order).
func (ab *addBad) note(le *qunops.LineError, max int) {
	ab.n++
	if len(ab.lines) < max {
		ab.lines = append(ab.lines, le)
		return
	}
	last := 0
	for i, l := range ab.lines {
		if l.Line > ab.lines[last].Line {
			last = i
		}
	}
	if len(ab.lines) > 0 && le.Line < ab.lines[last].Line {
		ab.lines[last] = le
	}
}

// lineEvent is an event, the number of its line in its batch and the
// part of its group, with the keys that its builder and tracker would
// compute from its strings: the decoder computes them just after it wrote
// the strings, when their bytes are in its cache, where the adder would
// read them from main memory (issue 18).
type lineEvent struct {
	e      qunops.Event
	member memberKey // keyOf(e.Member)
	key    [2]uint64 // trust.EventKey(&e), when e.ID is not empty
	line   int32     // a batch is about batchBytes long, far fewer lines than 2³¹
	part   int32
	num    int32 // the member's number in its group, -1 if not known (see Builder.prefetch)
}

func newPipeline(sh *shards, parts []*Builder, r io.ReaderAt, bounds []int64, o ReadOptions) *pipeline {
	n := len(bounds) - 1
	p := &pipeline{sh: sh, parts: parts, r: r, bounds: bounds, maxBad: o.maxBad(),
		ready: make([]chan struct{}, n), done: make([]chan struct{}, n), progress: o.progress(),
		touched: make([]uint64, sh.workers)}
	for k := range n {
		p.ready[k], p.done[k] = make(chan struct{}), make(chan struct{})
	}
	p.slots = make([]*slot, min(n, 2*sh.workers+2))
	p.tokens = make(chan struct{}, len(p.slots))
	for i := range p.slots {
		p.slots[i] = &slot{present: make([][]int32, sh.workers), addBad: make([]addBad, sh.workers)}
		p.tokens <- struct{}{}
	}
	return p
}

func (p *pipeline) run() readResult {
	var wg sync.WaitGroup
	for j := range p.sh.workers {
		wg.Go(p.decoder)
		wg.Go(func() { p.adder(j) })
	}
	res := readResult{parts: p.parts}
	line := 0
	for k := range p.ready {
		<-p.done[k]
		s := p.slots[k%len(p.slots)]
		if res.err != nil { // the lines after a read error are not reported
			p.tokens <- struct{}{}
			continue
		}
		res.bad += s.bad
		all := slices.Clone(s.badLines)
		for j := range s.addBad {
			res.bad += s.addBad[j].n
			all = append(all, s.addBad[j].lines...)
		}
		slices.SortFunc(all, func(a, b *qunops.LineError) int { return cmp.Compare(a.Line, b.Line) })
		for _, le := range all {
			if len(res.badLines) == p.maxBad {
				break
			}
			res.badLines = append(res.badLines, &qunops.LineError{Line: line + le.Line, Err: le.Err})
		}
		line += s.lines
		if s.err != nil && res.err == nil {
			res.err = s.err
			p.stop.Store(true)
		}
		p.tokens <- struct{}{}
	}
	wg.Wait()
	return res
}

// decoder decodes batches until none is left.
func (p *pipeline) decoder() {
	events := 0 // since the last call of progress
	defer func() {
		if p.progress != nil && events > 0 {
			p.progress(events)
		}
	}()
	local := map[string]groupSlot{} // partOf, without the lock
	var dec *qunops.Decoder
	for {
		<-p.tokens
		k := int(p.next.Add(1) - 1)
		if k >= len(p.ready) {
			p.tokens <- struct{}{} // for the other decoders to see the end
			return
		}
		s := p.slots[k%len(p.slots)]
		s.events = s.events[:0]
		for j, gs := range s.present {
			for _, n := range gs {
				s.count[n] = 0
			}
			s.present[j] = gs[:0]
		}
		s.groupOf = s.groupOf[:0]
		for j := range s.addBad {
			s.addBad[j] = addBad{lines: s.addBad[j].lines[:0]}
		}
		s.lines, s.bad, s.badLines, s.err = 0, 0, s.badLines[:0], nil
		if !p.stop.Load() {
			section := io.NewSectionReader(p.r, p.bounds[k], p.bounds[k+1]-p.bounds[k])
			if cap(s.events) == 0 {
				// Room for lines of 128 bytes (ours: the generated logs'
				// lines are 155 on average), so that the slice rarely
				// grows.
				s.events = make([]lineEvent, 0, section.Size()/128)
			}
			if dec == nil {
				dec = qunops.NewDecoder(section)
				// The builders copy the strings they keep
				// (sharedStrings).
				dec.ShareStrings()
			} else {
				dec.Reset(section)
			}
			given := make([]int64, p.sh.workers)
			for {
				e, err := dec.Decode()
				if err == io.EOF {
					break
				}
				if err != nil {
					var le *qunops.LineError
					if !errors.As(err, &le) {
						s.err = err
						break
					}
					s.bad++
					if len(s.badLines) < p.maxBad {
						s.badLines = append(s.badLines, le)
					}
					continue
				}
				if events++; events == progressEvery && p.progress != nil {
					p.progress(events)
					events = 0
				}
				gs, ok := local[e.Group]
				if !ok {
					gs = p.sh.partFor(e.Group, given)
					local[e.Group] = gs
				}
				adder := int(gs.part) % p.sh.workers
				given[adder]++
				for int(gs.n) >= len(s.count) {
					s.count = append(s.count, 0)
					s.start = append(s.start, 0)
				}
				if s.count[gs.n] == 0 {
					s.present[adder] = append(s.present[adder], gs.n)
				}
				s.count[gs.n]++
				s.groupOf = append(s.groupOf, gs.n)
				le := lineEvent{e: e, member: keyOf(e.Member), line: int32(dec.Line()), part: gs.part, num: -1}
				if e.ID != "" {
					le.key = trust.EventKey(&e)
				}
				s.events = append(s.events, le)
			}
			s.sortByGroup()
			s.lines = dec.Line()
			p.sh.mu.Lock()
			for j, n := range given {
				p.sh.load[j] += n
			}
			p.sh.mu.Unlock()
		}
		s.left.Store(int32(p.sh.workers))
		close(p.ready[k])
	}
}

// sortByGroup lists the indexes of the batch's events group by group, in
// the order of the log within each group (see slot.order).
func (s *slot) sortByGroup() {
	at := int32(0)
	for _, gs := range s.present {
		for _, n := range gs {
			s.start[n] = at
			at += s.count[n]
		}
	}
	if cap(s.order) < len(s.events) {
		s.order = make([]int32, len(s.events), cap(s.events))
	}
	s.order = s.order[:len(s.events)]
	for i, n := range s.groupOf {
		s.order[s.start[n]] = int32(i)
		s.start[n]++
	}
	for _, gs := range s.present {
		for _, n := range gs {
			s.start[n] -= s.count[n]
		}
	}
}

// adder adds the events of its parts, batch after batch.
func (p *pipeline) adder(j int) {
	var touched uint64
	defer func() { p.touched[j] = touched }()
	for k := range p.ready {
		<-p.ready[k]
		s := p.slots[k%len(p.slots)]
		ab := &s.addBad[j]
		for _, n := range s.present[j] {
			run := s.order[s.start[n] : s.start[n]+s.count[n]]
			first := &s.events[run[0]]
			b := p.parts[first.part]
			touched += b.prefetch(first.e.Group, s.events, run)
			for _, i := range run {
				le := &s.events[i]
				var key *[2]uint64
				if le.e.ID != "" {
					key = &le.key
				}
				if err := b.addValid(&le.e, le.member, key, le.num); err != nil { // the decoder validated it
					ab.note(&qunops.LineError{Line: int(le.line), Err: err}, p.maxBad)
				}
				le.e = qunops.Event{} // let go of the line's strings
			}
		}
		if s.left.Add(-1) == 0 {
			close(p.done[k])
		}
	}
}
