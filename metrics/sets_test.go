package metrics

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestMemberSetModel: any sequence of adds leaves a memberSet holding what
// a map would, listed in increasing order by each, in the smaller of its
// two forms (within one add of the switch), and its words read back by
// setWords give the same set and the same words.
func TestMemberSetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s memberSet
		model := map[int32]bool{}
		top := rapid.Int32Range(0, 5000).Draw(t, "top")
		for _, mi := range rapid.SliceOf(rapid.Int32Range(0, top)).Draw(t, "adds") {
			s.add(mi)
			model[mi] = true
		}
		for mi := range top + 70 {
			if s.has(mi) != model[mi] {
				t.Fatalf("has(%d) = %v, want %v", mi, s.has(mi), model[mi])
			}
		}
		var got []int32
		s.each(func(mi int32) { got = append(got, mi) })
		want := make([]int32, 0, len(model))
		for mi := range model {
			want = append(want, mi)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("each gives %v, want %v", got, want)
		}
		if len(want) > 0 {
			words := int(want[len(want)-1]>>6) + 1
			if s.bits == nil && 4*len(s.list) > 8*words {
				t.Fatalf("a list of %d members where %d words would do", len(s.list), words)
			}
			if s.bits != nil && (8*len(s.bits) > 4*(len(want)+1) || s.n != len(want)) {
				t.Fatalf("a bit set of %d words for %d members (n %d)", len(s.bits), len(want), s.n)
			}
		}
		var back memberSet
		back.setWords(s.words())
		if !slices.Equal(back.words(), s.words()) {
			t.Fatalf("words %v read back as %v", s.words(), back.words())
		}
		var again []int32
		back.each(func(mi int32) { again = append(again, mi) })
		if !slices.Equal(again, want) {
			t.Fatalf("read back %v, want %v", again, want)
		}
	})
}

// TestSparseReadersMemory: an item read by one member of many costs a few
// bytes, not a bit set up to that member (a hostile log of 300,000 items
// read by the last of 100,000 members took 6 GB before issue 18).
func TestSparseReadersMemory(t *testing.T) {
	var it item
	it.read(99_999)
	if it.readers.bits != nil || len(it.readers.list) != 1 || !it.isReader(99_999) || it.isReader(99_998) {
		t.Fatalf("one reader: %+v", it.readers)
	}
	for mi := range int32(100_000) {
		it.read(mi)
	}
	if it.readers.bits == nil || len(it.readers.bits) != 1563 {
		t.Fatalf("every member reads: list of %d, %d words", len(it.readers.list), len(it.readers.bits))
	}
	// A dense start then one far member: the set goes back to a list.
	var s memberSet
	for mi := range int32(3) {
		s.add(mi)
	}
	s.add(99_999)
	if s.bits != nil || !slices.Equal(s.list, []int32{0, 1, 2, 99_999}) {
		t.Fatalf("members 0, 1, 2 and 99,999: %d words, list %v", len(s.bits), s.list)
	}
}

// TestClaimSetModel: claims added in any order, repeats included, read back
// as the distinct instants in increasing order, and the set never holds
// more than twice the distinct ones plus a short tail.
func TestClaimSetModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c claimSet
		model := map[instant]bool{}
		for _, s := range rapid.SliceOf(rapid.Int64Range(-5, 60)).Draw(t, "seconds") {
			at := instant{sec: s, nsec: int32(s % 3)}
			c.add(at)
			model[at] = true
			if len(c.ats) > 2*len(model)+17 {
				t.Fatalf("%d instants held for %d distinct", len(c.ats), len(model))
			}
		}
		want := make([]instant, 0, len(model))
		for at := range model {
			want = append(want, at)
		}
		slices.SortFunc(want, compareInstants)
		if got := c.all(); !slices.Equal(got, want) {
			t.Fatalf("all() = %v, want %v", got, want)
		}
	})
}

// TestInsertTransMatchesInPlace: joins and leaves added in any order, many
// at one instant, and sorted in by flush give the list that inserting each
// in place gave before issue 18 (ties in the order added), read at any
// point.
func TestInsertTransMatchesInPlace(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tr := NewTracker(nil)
		tr.init()
		g := tr.group("g")
		mi := g.member("m")
		var want []transition
		for i, n := 0, rapid.IntRange(0, 300).Draw(t, "n"); i < n; i++ {
			x := transition{at: instant{sec: rapid.Int64Range(0, 20).Draw(t, "sec")}, join: rapid.Bool().Draw(t, "join"),
				hasID: true, id: idKey{uint64(i), 1}}
			tr.insertTrans(g, mi, x)
			j := len(want)
			for j > 0 && want[j-1].after(&x) {
				j--
			}
			want = slices.Insert(want, j, x)
			if rapid.IntRange(0, 20).Draw(t, "read") == 0 {
				tr.flush()
				if !slices.Equal(g.members[mi].trans, want) {
					t.Fatalf("after %d: %v, want %v", i+1, g.members[mi].trans, want)
				}
			}
		}
		tr.flush()
		if m := &g.members[mi]; !slices.Equal(m.trans, want) || int(m.sorted) != len(want) || len(g.unsorted) != 0 || len(tr.unsettled) != 0 {
			t.Fatalf("%v (sorted %d), want %v", m.trans, m.sorted, want)
		}
	})
}
