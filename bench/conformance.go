package bench

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Case is one line of rules/keyword's conformance table.
type Case struct {
	Group, Name string
	Patterns    []string
	Text        string
	Want        []Match
}

// groups lists the table groups that hold for each kind.
var groups = map[string][]string{
	"longest":     {"shared", "nonoverlapping", "longest"},
	"first":       {"shared", "nonoverlapping", "first"},
	"overlapping": {"shared", "overlapping"},
}

// Applies reports whether c holds for kind.
func (c Case) Applies(kind string) bool { return slices.Contains(groups[kind], c.Group) }

// LoadCases reads the conformance table (rules/keyword/testdata/conformance.tsv).
func LoadCases(path string) ([]Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Case
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", n+1, len(f))
		}
		c := Case{Group: f[0], Name: f[1]}
		for rest := f[2]; rest != ""; rest = strings.TrimPrefix(rest, " ") {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: patterns: %v", n+1, err)
			}
			p, _ := strconv.Unquote(q)
			c.Patterns = append(c.Patterns, p)
			rest = rest[len(q):]
		}
		if c.Text, err = strconv.Unquote(f[3]); err != nil {
			return nil, fmt.Errorf("line %d: text: %v", n+1, err)
		}
		for _, w := range strings.Fields(f[4]) {
			var m Match
			if _, err := fmt.Sscanf(w, "%d:%d-%d", &m.Pattern, &m.Start, &m.End); err != nil {
				return nil, fmt.Errorf("line %d: want %q: %v", n+1, w, err)
			}
			c.Want = append(c.Want, m)
		}
		out = append(out, c)
	}
	return out, nil
}

// Failure is a conformance case an engine gets wrong.
type Failure struct {
	Kind string
	Case Case
	Got  []Match
	Err  error
}

// Check runs every applicable case of every kind the engine offers and
// returns the cases it gets wrong and the number it ran. For an engine
// that reports pattern indices only, the sorted set of distinct indices is
// compared.
func Check(e Engine, cases []Case) (fails []Failure, ran int) {
	for _, kind := range Kinds {
		for _, c := range cases {
			if !c.Applies(kind) {
				continue
			}
			got, ok, err := e.Find(c.Patterns, kind, c.Text)
			if !ok {
				break
			}
			ran++
			want := c.Want
			if e.IndicesOnly {
				want = indices(c.Want)
			}
			if err != nil || !slices.Equal(got, want) {
				fails = append(fails, Failure{kind, c, got, err})
			}
		}
	}
	return fails, ran
}

func indices(ms []Match) []Match {
	var ids []int
	for _, m := range ms {
		ids = append(ids, m.Pattern)
	}
	slices.Sort(ids)
	var out []Match
	for _, id := range slices.Compact(ids) {
		out = append(out, Match{Pattern: id})
	}
	return out
}
