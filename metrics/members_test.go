package metrics

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// A group's member index numbers names in order of first appearance, as a
// Go map would, through growth and probes that wrap around.
func TestMemberIndexMatchesMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := rapid.SliceOfNDistinct(rapid.String(), 1, 300, rapid.ID[string]).Draw(t, "pool")
		g := &group{index: newMemberIndex()}
		model := map[string]int32{}
		for range rapid.IntRange(0, 600).Draw(t, "ops") {
			name := rapid.SampledFrom(pool).Draw(t, "name")
			want, known := model[name]
			if !known {
				want = int32(len(model))
			}
			if rapid.Bool().Draw(t, "findOnly") {
				if !known {
					want = -1
				}
				if got := g.find(name); got != want {
					t.Fatalf("find(%q) = %d, want %d", name, got, want)
				}
				continue
			}
			if got := g.member(name); got != want {
				t.Fatalf("member(%q) = %d, want %d", name, got, want)
			}
			model[name] = want
			if x := &g.index; x.n != len(model) || x.n*4 > len(x.slots)*3 {
				t.Fatalf("%d members in an index of n=%d and %d slots", len(model), x.n, len(x.slots))
			}
		}
		for name, want := range model {
			if got := g.find(name); got != want {
				t.Fatalf("at the end, find(%q) = %d, want %d", name, got, want)
			}
		}
	})
}

// Two names whose hashes share the 32-bit tag and the home slot in a new
// index (the top 4 bits) are told apart by the name.
func TestMemberIndexTagCollision(t *testing.T) {
	g := &group{index: newMemberIndex()}
	seen := map[uint64]string{}
	var a, b string
	for i := 0; b == ""; i++ {
		if i == 1<<22 {
			t.Fatal("no two of 4M names share a tag and a home")
		}
		name := "wxid_" + strconv.Itoa(i)
		h := g.index.hash(name)
		tag := h>>60<<32 | uint64(uint32(h))
		if other, ok := seen[tag]; ok {
			a, b = other, name
		}
		seen[tag] = name
	}
	if got := g.member(a); got != 0 {
		t.Fatalf("member(%q) = %d, want 0", a, got)
	}
	if got := g.find(b); got != -1 {
		t.Fatalf("find(%q), whose tag equals that of %q, = %d, want -1", b, a, got)
	}
	if got := g.member(b); got != 1 {
		t.Fatalf("member(%q) = %d, want 1", b, got)
	}
	if ga, gb := g.find(a), g.find(b); ga != 0 || gb != 1 {
		t.Fatalf("find = %d, %d, want 0, 1", ga, gb)
	}
}
