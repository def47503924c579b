package tiering

import (
	"encoding/binary"
	"hash/fnv"
	"testing"

	"pgregory.net/rapid"
)

// keyOf must be FNV-1a 128; the standard library's hash/fnv.New128a is the
// reference implementation.
func TestKeyOfIsFNV1a128(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.String().Draw(t, "id")
		h := fnv.New128a()
		h.Write([]byte(id))
		sum := h.Sum(nil)
		want := idKey{binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:])}
		if got := keyOf(id); got != want {
			t.Fatalf("keyOf(%q) = %x, want %x", id, got, want)
		}
	})
}

// TestIDSetMachine checks idSet against a map, through growth, with keys
// drawn from a small pool (so that adds repeat) that includes the zero key
// (which marks empty slots) and keys that share their first slot.
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
			"has": func(t *rapid.T) {
				k := key.Draw(t, "key")
				if s.has(k) != model[k] {
					t.Fatalf("has(%x) = %v, want %v", k, s.has(k), model[k])
				}
			},
			"": func(t *rapid.T) {
				if s.len() != len(model) {
					t.Fatalf("len %d, model %d", s.len(), len(model))
				}
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

// TestMemberIndexMachine checks memberIndex against a map through growth:
// numbers are handed out in order and found again.
func TestMemberIndexMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var m memberIndex
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
			if got, added := m.getOrPut(k, next); got != want || added == known {
				t.Fatalf("getOrPut(%x) = %d, added %v; want %d, added %v", k, got, added, want, !known)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"put": func(t *rapid.T) { put(key.Draw(t, "key")) },
			"many": func(t *rapid.T) {
				for range rapid.IntRange(50, 300).Draw(t, "n") {
					put(idKey{rapid.Uint64().Draw(t, "hi"), 0})
				}
			},
			"get": func(t *rapid.T) {
				k := key.Draw(t, "key")
				want, ok := model[k]
				if got, found := m.get(k); found != ok || got != want {
					t.Fatalf("get(%x) = %d, %v; want %d, %v", k, got, found, want, ok)
				}
			},
			"": func(t *rapid.T) {
				if m.n != len(model) || 4*m.n > 3*len(m.slots) {
					t.Fatalf("%d keys in %d slots, model %d", m.n, len(m.slots), len(model))
				}
			},
		})
	})
}
