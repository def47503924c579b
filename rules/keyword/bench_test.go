package keyword

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// benchCorpus is a small stand-in for bench/'s data (see bench/gen.go for
// the full generator and the peer comparison): 2,000 patterns, 70% Chinese
// words of 2-6 characters drawn from 3,500 Han characters, and chat
// messages whose characters follow a Zipf law, with ASCII words,
// punctuation and emoji.
var benchCorpus = sync.OnceValues(func() ([]string, []string) {
	r := rand.New(rand.NewPCG(3, 3))
	pool := make([]string, 3500)
	for i := range pool {
		pool[i] = string(rune(0x4E00 + r.IntN(0x5000)))
	}
	var patterns []string
	for len(patterns) < 2000 {
		var b strings.Builder
		if r.IntN(10) < 7 {
			for n := 2 + r.IntN(5); n > 0; n-- {
				b.WriteString(pool[r.IntN(len(pool))])
			}
		} else {
			for n := 4 + r.IntN(5); n > 0; n-- {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		patterns = append(patterns, b.String())
	}
	zipf := rand.NewZipf(r, 1.1, 1, uint64(len(pool)-1))
	extra := []string{"，", "。", " ok ", "😀", "!", "1"}
	var msgs []string
	for len(msgs) < 500 {
		var b strings.Builder
		for n := 5 + r.IntN(60); n > 0; n-- {
			if r.IntN(10) < 8 {
				b.WriteString(pool[zipf.Uint64()])
			} else {
				b.WriteString(extra[r.IntN(len(extra))])
			}
		}
		msgs = append(msgs, b.String())
	}
	return patterns, msgs
})

func benchScan(b *testing.B, opts Options, scan func(m *Matcher, s string) int) {
	patterns, msgs := benchCorpus()
	m, err := Compile(patterns, opts)
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, s := range msgs {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	sink := 0
	for b.Loop() {
		for _, s := range msgs {
			sink += scan(m, s)
		}
	}
	_ = sink
}

// BenchmarkFindAll is the rule engine's hot path: one call per message.
func BenchmarkFindAll(b *testing.B) {
	findAll := func(m *Matcher, s string) int { return len(m.FindAll(s)) }
	b.Run("exact", func(b *testing.B) { benchScan(b, Options{}, findAll) })
	b.Run("fold-skipnoise", func(b *testing.B) { benchScan(b, Options{Fold: true, SkipNoise: true}, findAll) })
}

func BenchmarkContains(b *testing.B) {
	contains := func(m *Matcher, s string) int {
		if m.Contains(s) {
			return 1
		}
		return 0
	}
	b.Run("fold-skipnoise", func(b *testing.B) { benchScan(b, Options{Fold: true, SkipNoise: true}, contains) })
}

func BenchmarkCompile(b *testing.B) {
	patterns, _ := benchCorpus()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(patterns, Options{Fold: true, SkipNoise: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileAdversarial compiles issue 15's adversarial sets: a
// Variants value that folds to its key on a 26-letter pattern (12.9 s
// before), and 0.9 M runes of nested patterns (1.7 GB before). MB-kept is
// the memory the Matcher holds; B/op is all Compile allocates.
func BenchmarkCompileAdversarial(b *testing.B) {
	foldTableOnce()
	sets := []struct {
		name     string
		patterns []string
		opts     Options
	}{
		{"variant-folds-to-key", []string{"abcdefghijklmnopqrstuvwxyz"}, Options{Fold: true, SkipNoise: true, Variants: map[string][]string{"a": {"A"}}}},
		{"nested-0.9M-runes", nestedPatterns(), Options{Fold: true, SkipNoise: true}},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			b.ReportAllocs()
			var m *Matcher
			for b.Loop() {
				var err error
				if m, err = Compile(set.patterns, set.opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.size())/1e6, "MB-kept")
		})
	}
}

// BenchmarkFindAllNested is issue 15's slow scan: a 2,000-character message
// against the nested patterns (1.5 s before). The forward scan gives up
// after 2,064 dropped outputs and the reverse scan answers.
func BenchmarkFindAllNested(b *testing.B) {
	m, err := Compile(nestedPatterns(), Options{Fold: true, SkipNoise: true})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("a", 2000)
	m.FindAll(text) // builds the reverse automaton, once per Matcher
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		m.FindAll(text)
	}
}
