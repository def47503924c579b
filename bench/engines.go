package bench

import (
	"slices"

	bobu "github.com/BobuSumisu/aho-corasick"
	cloudflare "github.com/cloudflare/ahocorasick"
	coregx "github.com/coregx/ahocorasick"
	petar "github.com/petar-dambovaliev/aho-corasick"

	"github.com/qunops/qunops/rules/keyword"
)

// Match is a library-neutral match: pattern index and byte offsets.
type Match struct{ Pattern, Start, End int }

// Scan is one call per message; it gets the message both as a string and as
// bytes (made once, outside the timing) so that no engine pays for a
// conversion, and returns the number of matches so the work is not skipped.
type Scan func(s string, b []byte) int

// Engine is one matcher under test.
type Engine struct {
	Name string
	// Build compiles the patterns with the engine's fastest leftmost
	// configuration (or what it has) and returns the per-message scan.
	Build func(patterns []string) (Scan, error)
	// Find returns the matches of kind ("longest", "first" or
	// "overlapping"), or ok false when the engine does not offer it.
	// IndicesOnly engines report pattern indices with zero offsets.
	Find        func(patterns []string, kind, text string) (ms []Match, ok bool, err error)
	IndicesOnly bool
}

// Kinds are the match kinds of the conformance table.
var Kinds = []string{"longest", "first", "overlapping"}

// Engines returns qunops (with Fold and SkipNoise, and exact) and the peers.
func Engines() []Engine {
	return []Engine{qunops(true), qunops(false), petarEngine(), coregxEngine(), bobuEngine(), cloudflareEngine()}
}

func qunops(fold bool) Engine {
	opts := keyword.Options{Fold: fold, SkipNoise: fold}
	name := "qunops exact"
	if fold {
		name = "qunops Fold+SkipNoise"
	}
	e := Engine{
		Name: name,
		Build: func(p []string) (Scan, error) {
			m, err := keyword.Compile(p, opts)
			if err != nil {
				return nil, err
			}
			return func(s string, _ []byte) int { return len(m.FindAll(s)) }, nil
		},
	}
	if fold {
		// SkipNoise drops the "/" and NUL of some table cases by design;
		// rules/keyword checks its letter-only cases with Fold and SkipNoise.
		return e
	}
	e.Find = func(p []string, kind, text string) ([]Match, bool, error) {
		m, err := keyword.Compile(p, opts)
		if err != nil {
			return nil, true, err
		}
		k := map[string]keyword.MatchKind{"longest": keyword.LeftmostLongest, "first": keyword.LeftmostFirst, "overlapping": keyword.Overlapping}[kind]
		var out []Match
		for _, x := range m.AppendAll(nil, text, k) {
			out = append(out, Match(x))
		}
		return out, true, nil
	}
	return e
}

func petarEngine() Engine {
	build := func(p []string, kind string, dfa bool) petar.AhoCorasick {
		o := petar.Opts{MatchKind: petar.LeftMostLongestMatch, DFA: dfa}
		switch kind {
		case "first":
			o.MatchKind = petar.LeftMostFirstMatch
		case "overlapping":
			o.MatchKind = petar.StandardMatch
		}
		b := petar.NewAhoCorasickBuilder(o)
		return b.Build(p)
	}
	return Engine{
		Name: "petar-dambovaliev (DFA, leftmost-longest)",
		Build: func(p []string) (Scan, error) {
			ac := build(p, "longest", true)
			return func(s string, _ []byte) int { return len(ac.FindAll(s)) }, nil
		},
		Find: func(p []string, kind, text string) ([]Match, bool, error) {
			ac := build(p, kind, petarConformanceDFA)
			var out []Match
			if kind == "overlapping" {
				it := ac.IterOverlapping(text)
				for m := it.Next(); m != nil; m = it.Next() {
					out = append(out, Match{m.Pattern(), m.Start(), m.End()})
				}
				return out, true, nil
			}
			for _, m := range ac.FindAll(text) {
				out = append(out, Match{m.Pattern(), m.Start(), m.End()})
			}
			return out, true, nil
		},
	}
}

func coregxEngine() Engine {
	build := func(p []string, kind string) (*coregx.Automaton, error) {
		k := coregx.LeftmostLongest
		if kind == "first" {
			k = coregx.LeftmostFirst
		}
		return coregx.NewBuilder().SetMatchKind(k).AddStrings(p).Build()
	}
	return Engine{
		Name: "coregx v0.3.1 (leftmost-longest)",
		Build: func(p []string) (Scan, error) {
			a, err := build(p, "longest")
			if err != nil {
				return nil, err
			}
			return func(_ string, b []byte) int { return len(a.FindAll(b, -1)) }, nil
		},
		Find: func(p []string, kind, text string) ([]Match, bool, error) {
			a, err := build(p, kind)
			if err != nil {
				return nil, true, err
			}
			var ms []coregx.Match
			if kind == "overlapping" {
				ms = a.FindAllOverlapping([]byte(text))
			} else {
				ms = a.FindAll([]byte(text), -1)
			}
			var out []Match
			for _, m := range ms {
				out = append(out, Match{m.PatternID, m.Start, m.End})
			}
			return out, true, nil
		},
	}
}

func bobuEngine() Engine {
	build := func(p []string) *bobu.Trie { return bobu.NewTrieBuilder().AddStrings(p).Build() }
	return Engine{
		Name: "BobuSumisu (overlapping only)",
		Build: func(p []string) (Scan, error) {
			tr := build(p)
			return func(_ string, b []byte) int { return len(tr.Match(b)) }, nil
		},
		Find: func(p []string, kind, text string) ([]Match, bool, error) {
			if kind != "overlapping" {
				return nil, false, nil
			}
			var out []Match
			for _, m := range build(p).Match([]byte(text)) {
				out = append(out, Match{int(m.Pattern()), int(m.Pos()), int(m.Pos()) + len(m.Match())})
			}
			return out, true, nil
		},
	}
}

func cloudflareEngine() Engine {
	return Engine{
		Name: "cloudflare (pattern indices only)",
		Build: func(p []string) (Scan, error) {
			m := cloudflare.NewStringMatcher(p)
			return func(_ string, b []byte) int { return len(m.Match(b)) }, nil
		},
		IndicesOnly: true,
		Find: func(p []string, kind, text string) ([]Match, bool, error) {
			if kind != "overlapping" {
				return nil, false, nil
			}
			hits := cloudflare.NewStringMatcher(p).MatchThreadSafe([]byte(text))
			slices.Sort(hits)
			var out []Match
			for _, h := range hits {
				out = append(out, Match{Pattern: h})
			}
			return out, true, nil
		},
	}
}

// petarConformanceDFA selects the DFA for the petar-dambovaliev conformance
// run, as in the benchmark.
var petarConformanceDFA = true
