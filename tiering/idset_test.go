package tiering

import (
	"testing"
	"unsafe"

	"pgregory.net/rapid"
)

func TestIDSetMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s idSet
		model := map[idKey]bool{}
		// Keys whose hi^lo is equal collide in home(); the pool mixes them
		// with the zero key and random ones.
		pool := []idKey{{}, {1, 0}, {0, 1}, {5, 5}, {7, 7}, {3, 2}}
		for range rapid.IntRange(0, 40).Draw(t, "random keys") {
			pool = append(pool, idKey{rapid.Uint64().Draw(t, "hi"), rapid.Uint64().Draw(t, "lo")})
		}
		key := rapid.SampledFrom(pool)
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				k := key.Draw(t, "key")
				if got, want := s.add(k), !model[k]; got != want {
					t.Fatalf("add(%x) = %v, want %v", k, got, want)
				}
				model[k] = true
			},
			"many": func(t *rapid.T) { // push the set through a growth
				for range rapid.IntRange(500, 1500).Draw(t, "n") {
					k := idKey{rapid.Uint64().Draw(t, "hi"), 0}
					s.add(k)
					model[k] = true
				}
			},
			"reserve": func(t *rapid.T) { // as Merge does: may grow by several doublings
				n := s.n + rapid.IntRange(0, 5000).Draw(t, "extra")
				s.reserve(n)
				if 4*n > 3*len(s.slots) {
					t.Fatalf("reserve(%d): %d slots", n, len(s.slots))
				}
			},
			"has": func(t *rapid.T) {
				k := key.Draw(t, "key")
				if s.has(k) != model[k] {
					t.Fatalf("has(%x) = %v, want %v", k, s.has(k), model[k])
				}
			},
			"": func(t *rapid.T) {
				n := 0
				s.each(func(k idKey) {
					if !model[k] {
						t.Fatalf("each yields %x, not in the model", k)
					}
					n++
				})
				if n != len(model) {
					t.Fatalf("each yields %d keys, want %d", n, len(model))
				}
				if 4*s.n > 3*len(s.slots) {
					t.Fatalf("%d keys in %d slots: more than 3/4 full", s.n, len(s.slots))
				}
			},
		})
	})
}

// TestMemberTableMachine checks memberTable against a map through growth:
// member numbers are handed out in order and found again, and a record
// written through one lookup is read back through later ones, however the
// table grew in between.
func TestMemberTableMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var m memberTable
		model := map[idKey]int32{}
		pool := []idKey{{}, {1, 0}, {0, 1}, {5, 5}, {7, 7}}
		for range rapid.IntRange(0, 40).Draw(t, "random keys") {
			pool = append(pool, idKey{rapid.Uint64().Draw(t, "hi"), rapid.Uint64().Draw(t, "lo")})
		}
		key := rapid.SampledFrom(pool)
		put := func(k idKey) {
			next := int32(len(model)) // the number a new key gets
			want, known := model[k]
			if !known {
				want = next
				model[k] = want
			}
			wantRec := int32(0) // a new slot has an empty record
			if known {
				wantRec = 2 * want
			}
			s, added := m.getOrPut(k, next)
			if s.name-1 != want || added == known || s.messages != wantRec {
				t.Fatalf("getOrPut(%x) = %d, added %v, record %d; want %d, added %v, record %d",
					k, s.name-1, added, s.messages, want, !known, wantRec)
			}
			s.messages = 2 * want // a record the checks can recognise
		}
		t.Repeat(map[string]func(*rapid.T){
			"put": func(t *rapid.T) { put(key.Draw(t, "key")) },
			"many": func(t *rapid.T) {
				for range rapid.IntRange(50, 300).Draw(t, "n") {
					put(idKey{rapid.Uint64().Draw(t, "hi"), 0})
				}
			},
			"reserve": func(t *rapid.T) {
				n := m.n + rapid.IntRange(0, 1000).Draw(t, "extra")
				m.reserve(n)
				if 8*n > 7*len(m.slots) {
					t.Fatalf("reserve(%d): %d slots", n, len(m.slots))
				}
			},
			"get": func(t *rapid.T) {
				k := key.Draw(t, "key")
				want, ok := model[k]
				s := m.get(k)
				if (s != nil) != ok || (ok && (s.name-1 != want || s.messages != 2*want)) {
					t.Fatalf("get(%x) = %+v; want number %d, found %v", k, s, want, ok)
				}
			},
			"": func(t *rapid.T) {
				if m.n != len(model) || 8*m.n > 7*len(m.slots) {
					t.Fatalf("%d keys in %d slots, model %d", m.n, len(m.slots), len(model))
				}
			},
		})
	})
}

// A member slot must fill one cache line exactly: a smaller slot would
// straddle lines, a larger one take two.
func TestMemberSlotSize(t *testing.T) {
	if n := unsafe.Sizeof(memberSlot{}); n != 64 {
		t.Errorf("memberSlot takes %d bytes, want 64", n)
	}
}
