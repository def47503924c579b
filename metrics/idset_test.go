package metrics

import (
	"fmt"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/wordhash"
	"pgregory.net/rapid"
)

// keyOf returns a key for a string, hashed as the tracker hashes an event
// ID: enough for tests of idSet, which tell keys apart by their bits only.
func keyOf(id string) idKey {
	hi, lo := wordhash.Sum(id)
	return idKey{hi, lo}
}

// idSetMachine checks idSet against a Go map through finds, puts, merges and
// growth. Keys come from a small pool so that duplicates are common, and
// tables stay small so that homes collide and probes wrap around.
type idSetMachine struct {
	s     idSet
	model map[idSlot]int32 // key (ref zero) -> ref
	pool  []idKey
}

func (m *idSetMachine) key(t *rapid.T) idSlot {
	return slotKey(m.pool[rapid.IntRange(0, len(m.pool)-1).Draw(t, "key")])
}

func (m *idSetMachine) Add(t *rapid.T) {
	k := m.key(t)
	ref := rapid.Int32Range(-3, 3).Draw(t, "ref")
	m.s.reserve(1)
	i, dup := m.s.lookup(k)
	if _, want := m.model[k]; dup != want {
		t.Fatalf("find(%v) dup = %v, want %v", k, dup, want)
	}
	if !dup {
		m.s.put(i, k, ref)
		m.model[k] = ref
	}
}

func (m *idSetMachine) Merge(t *rapid.T) {
	var o idSet
	oModel := map[idSlot]int32{}
	for range rapid.IntRange(0, 40).Draw(t, "n") {
		k := m.key(t)
		o.reserve(1)
		if i, dup := o.lookup(k); !dup {
			ref := rapid.Int32Range(-3, 3).Draw(t, "ref")
			o.put(i, k, ref)
			oModel[k] = ref
		}
	}
	var got []int32
	m.s.merge(&o, func(ref int32) { got = append(got, ref) })
	var want []int32
	for k, ref := range oModel {
		if _, ok := m.model[k]; ok {
			want = append(want, ref)
		} else {
			m.model[k] = ref
		}
	}
	// The callbacks come in slot order; compare them as multisets.
	if diff := cmp.Diff(count(want), count(got)); diff != "" {
		t.Fatalf("duplicate refs (-want +got):\n%s", diff)
	}
}

func count(refs []int32) map[int32]int {
	c := map[int32]int{}
	for _, r := range refs {
		c[r]++
	}
	return c
}

func (m *idSetMachine) Check(t *rapid.T) {
	if m.s.n != len(m.model) {
		t.Fatalf("n = %d, want %d", m.s.n, len(m.model))
	}
	if m.s.n*16 > len(m.s.slots)*13 {
		t.Fatalf("%d entries in %d slots: over 13/16 full", m.s.n, len(m.s.slots))
	}
	got := map[idSlot]int32{}
	for _, sl := range m.s.slots {
		if sl.lo != 0 {
			ref := sl.ref
			sl.ref = 0
			got[sl] = ref
		}
	}
	if !maps.Equal(got, m.model) {
		t.Fatalf("slots hold %v, want %v", got, m.model)
	}
	for _, k := range m.pool {
		if _, want := m.model[slotKey(k)]; m.s.has(k) != want {
			t.Fatalf("has(%v) = %v, want %v", k, !want, want)
		}
	}
}

func TestIDSetStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := make([]idKey, rapid.IntRange(1, 120).Draw(t, "pool"))
		for i := range pool {
			pool[i] = keyOf(fmt.Sprintf("chatlog:%d", i))
		}
		t.Repeat(rapid.StateMachineActions(&idSetMachine{model: map[idSlot]int32{}, pool: pool}))
	})
}

// Logs of up to 150 members (member numbers past one 64-bit word, rows that
// grow, shards that number members differently) split over trackers and
// merged answer what one tracker answers, and one tracker's days (with
// excluded members in several words) match the model.
func TestMergeWideLogsEqualsOneTracker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 300).Draw(t, "events")
		log := make([]qunops.Event, n)
		for i := range log {
			log[i] = genEvent(t, i)
			log[i].Member = fmt.Sprintf("m%d", rapid.IntRange(0, 149).Draw(t, "member"))
		}
		single, md := NewTracker(shanghai), newModel(shanghai)
		mustAdd(t, single, log...)
		for _, e := range log {
			if err := md.add(e); err != nil {
				t.Fatal(err)
			}
		}
		excl := []string{"m3", "m70", "m149"}
		for _, g := range []string{"g1", "g2"} {
			days, err := single.DaysWith(g, Options{Exclude: excl})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(md.days(g, setOf(excl)), days); diff != "" {
				t.Fatalf("Days(%s) (-model +tracker):\n%s", g, diff)
			}
		}
		shards := make([]*Tracker, rapid.IntRange(2, 4).Draw(t, "shards"))
		for i := range shards {
			shards[i] = NewTracker(shanghai)
		}
		for _, e := range rapid.Permutation(log).Draw(t, "perm") {
			mustAdd(t, shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")], e)
		}
		for _, s := range shards[1:] {
			if err := shards[0].Merge(s); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(takeSnapshot(t, single), takeSnapshot(t, shards[0])); diff != "" {
			t.Fatalf("merged shards differ from one tracker (-one +merged):\n%s", diff)
		}
		if got, want := shards[0].Len(), single.Len(); got != want {
			t.Fatalf("Len = %d, want %d", got, want)
		}
	})
}
