package wordhash

import (
	"fmt"
	"testing"

	"github.com/qunops/qunops/internal/fnv128"
	"pgregory.net/rapid"
)

// The values testdata/reference.py prints: an implementation in Python,
// written from the package documentation. They pin the hash, which the
// binary forms of metrics.Tracker store: a change here breaks them.
func TestSumMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		s      string
		hi, lo uint64
	}{
		{"", 0xc26ad5e8813d15b3, 0x6e869d5788ec880e},
		{"a", 0x24d48ca1780ecba5, 0xed60b4ab94d34661},
		{"chatlog:1", 0x2c5253c2bdca2a7c, 0xb17c3b6961443093},
		{"wxid_abcdefgh12345", 0x035a1de76c0907e9, 0x3f84b096e74a29ed},
		{"群成员变动", 0x9ce81dc179bba308, 0x06e0d390d8d106aa},
		{"\xff\x00", 0x7456f120609cb32b, 0x28ef138fbafbe337},
	} {
		if hi, lo := Sum(tc.s); hi != tc.hi || lo != tc.lo {
			t.Errorf("Sum(%q) = %#x %#x, want %#x %#x", tc.s, hi, lo, tc.hi, tc.lo)
		}
	}
	h := New()
	h.String("ab")
	h.String("c")
	h.Word(1772409600)
	if hi, lo := h.Sum(); hi != 0x9c413bfae25f5842 || lo != 0x66aa3412f500b72b {
		t.Errorf(`"ab", "c", 1772409600: %#x %#x, want 0x9c413bfae25f5842 0x66aa3412f500b72b`, hi, lo)
	}
}

// Strings that differ get different sums (a collision of 128 bits among a
// few thousand strings would be a defect, not bad luck), and strings hashed
// one after the other do not run into each other.
func TestSumSeparates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.StringOfN(rapid.RuneFrom([]rune("ab群\x00")), 0, 20, -1).Draw(t, "a")
		b := rapid.StringOfN(rapid.RuneFrom([]rune("ab群\x00")), 0, 20, -1).Draw(t, "b")
		ahi, alo := Sum(a)
		bhi, blo := Sum(b)
		if (a == b) != (ahi == bhi && alo == blo) {
			t.Fatalf("Sum(%q) = %x %x, Sum(%q) = %x %x", a, ahi, alo, b, bhi, blo)
		}
		if len(a) > 0 {
			// a[:1] then a[1:]+b against a then b.
			x, y := New(), New()
			x.String(a[:1])
			x.String(a[1:] + b)
			y.String(a)
			y.String(b)
			xhi, xlo := x.Sum()
			yhi, ylo := y.Sum()
			if len(a) > 1 && xhi == yhi && xlo == ylo {
				t.Fatalf("%q+%q and %q+%q collide", a[:1], a[1:]+b, a, b)
			}
		}
	})
}

// Sum allocates nothing.
func TestSumAllocatesNothing(t *testing.T) {
	s := "wxid_abcdefgh12345"
	if n := testing.AllocsPerRun(100, func() { Sum(s) }); n != 0 {
		t.Errorf("%v allocations per Sum", n)
	}
}

var sinkHi, sinkLo uint64

// BenchmarkSum compares Sum with FNV-1a 128 on IDs of the lengths logs
// carry (a chat log's message ID, a WeChat member ID, a long ID):
//
//	go test ./internal/wordhash -run '^$' -bench Sum
func BenchmarkSum(b *testing.B) {
	for _, s := range []string{"wxid_1234", "chatlog:12345678", "wxid_abcdefgh12345", "chatlog:20001@chatroom:1234567890123"} {
		b.Run(fmt.Sprintf("wordhash/%d", len(s)), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				sinkHi, sinkLo = Sum(s)
			}
		})
		b.Run(fmt.Sprintf("fnv128/%d", len(s)), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				sinkHi, sinkLo = fnv128.Sum(s)
			}
		})
	}
}

// TestStringMatchesBytewise: String's loads (overlapping words, two 4-byte
// loads, first-middle-last bytes) give the words of the definition, each
// string's bytes as little-endian words with the last padded with zeros,
// for every length.
func TestStringMatchesBytewise(t *testing.T) {
	bytewise := func(s string) (uint64, uint64) {
		h := New()
		h.Word(uint64(len(s)))
		for i := 0; i < len(s); i += 8 {
			var w uint64
			for j := i; j < len(s) && j < i+8; j++ {
				w |= uint64(s[j]) << (8 * (j - i))
			}
			h.Word(w)
		}
		return h.Sum()
	}
	rapid.Check(t, func(t *rapid.T) {
		s := string(rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "s"))
		hi, lo := Sum(s)
		whi, wlo := bytewise(s)
		if hi != whi || lo != wlo {
			t.Fatalf("Sum(%q) = %#x %#x, bytewise %#x %#x", s, hi, lo, whi, wlo)
		}
	})
}
