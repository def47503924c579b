package report

import "iter"

// recentBlock is the number of records in a block of a recentList: 256
// records of 88 bytes, 22 KiB, a small allocation.
const recentBlock = 256

// recentFirst is the capacity of a list's first block: a report has a list
// per group, and a log of many groups with few events each (a hostile one:
// a million groups of one event) would otherwise hold a 22 KiB block per
// group (issue 18: 24 GB for a 145 MB log).
const recentFirst = 4

// recentList holds a group's recent events in the order added, in blocks
// of recentBlock records. It grows without copying what it holds, where a
// slice that doubles copies every record into a new array and holds the
// old one until the collector frees it: BenchmarkAdd/builder allocates 14%
// fewer bytes (the time per event did not change measurably, issue 18).
// Only a lone first block starts smaller (recentFirst) and doubles up to
// recentBlock. A sweep that keeps fewer records keeps the emptied blocks
// for the next pushes, as the slice kept its capacity. The zero
// recentList is empty.
type recentList struct {
	blocks [][]record // all full (len = cap) but the last; cap recentBlock but a lone first block
	spare  [][]record // empty blocks of capacity recentBlock
	n      int
}

func (l *recentList) len() int { return l.n }

// push adds r at the end.
func (l *recentList) push(r record) {
	k := len(l.blocks)
	if k == 1 && len(l.blocks[0]) == cap(l.blocks[0]) && cap(l.blocks[0]) < recentBlock {
		b := make([]record, len(l.blocks[0]), min(2*cap(l.blocks[0]), recentBlock))
		copy(b, l.blocks[0])
		l.blocks[0] = b
	}
	if k == 0 || len(l.blocks[k-1]) == cap(l.blocks[k-1]) {
		var b []record
		switch s := len(l.spare); {
		case s > 0:
			b, l.spare = l.spare[s-1], l.spare[:s-1]
		case k == 0:
			b = make([]record, 0, recentFirst)
		default:
			b = make([]record, 0, recentBlock)
		}
		l.blocks = append(l.blocks, b)
		k++
	}
	l.blocks[k-1] = append(l.blocks[k-1], r)
	l.n++
}

// all yields the records in the order added. The caller may change a
// record, not the list.
func (l *recentList) all() iter.Seq[*record] {
	return func(yield func(*record) bool) {
		for _, b := range l.blocks {
			for i := range b {
				if !yield(&b[i]) {
					return
				}
			}
		}
	}
}

// keep keeps, in order, the records for which f returns true; f sees each
// record once, in order. The full-size blocks it empties become spare,
// cleared so that they hold no strings.
func (l *recentList) keep(f func(*record) bool) {
	wb, wi := 0, 0 // where the next kept record goes; never after the one read
	n := 0
	for _, b := range l.blocks {
		for i := range b {
			if !f(&b[i]) {
				continue
			}
			// Every block before the one read is full, so block wb
			// has room up to its length.
			l.blocks[wb][wi] = b[i]
			n++
			if wi++; wi == len(l.blocks[wb]) {
				wb, wi = wb+1, 0
			}
		}
	}
	used := wb
	if wi > 0 {
		clear(l.blocks[wb][wi:])
		l.blocks[wb] = l.blocks[wb][:wi]
		used++
	}
	for j := used; j < len(l.blocks); j++ {
		if cap(l.blocks[j]) == recentBlock {
			clear(l.blocks[j])
			l.spare = append(l.spare, l.blocks[j][:0])
		}
		l.blocks[j] = nil
	}
	l.blocks = l.blocks[:used]
	l.n = n
}
