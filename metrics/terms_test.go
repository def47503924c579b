package metrics

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

func TestTermsF29(t *testing.T) {
	c, err := NewTermCounter(TermOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"han bigrams", "优惠券领取", []string{"优惠", "惠券", "券领", "领取"}},
		{"stop character splits a run", "今天的优惠", []string{"今天", "优惠"}},
		{"stop bigram dropped", "我们领券", []string{"们领", "领券"}},
		{"single han character gives nothing", "好!", nil},
		{"latin words folded", "iPhone SALE Sale", []string{"iphone", "sale", "sale"}},
		{"full-width latin folds to ascii", "ＳＡＬＥ ５折", []string{"sale"}},
		{"english stop words and one-letter words dropped", "the coupon is a gift I like", []string{"coupon", "gift", "like"}},
		{"digits alone are not words", "2026 618 618day", []string{"618day"}},
		{"mixed scripts switch terms", "买iPhone15送券", []string{"iphone15", "送券"}},
		{"punctuation separates", "福利,福利。福利", []string{"福利", "福利", "福利"}},
		{"invalid UTF-8 is a separator", "ab\xffcd", []string{"ab", "cd"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.Terms(tt.text)); diff != "" {
				t.Errorf("Terms(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestTermCounterTopAndOptions(t *testing.T) {
	c, _ := NewTermCounter(TermOptions{StopWords: []string{"COUPON", "福利"}})
	for _, s := range []string{"优惠 coupon 福利多", "优惠 sale", "sale sale"} {
		c.Add(s)
	}
	want := []Term{{"sale", 3}, {"优惠", 2}}
	if diff := cmp.Diff(want, c.Top(2)); diff != "" {
		t.Errorf("Top(2) (-want +got):\n%s", diff)
	}
	// "福利多": 福利 is a stop bigram, 利多 is kept; ties sort lexically.
	if got := c.Top(10); len(got) != 3 || got[2] != (Term{"利多", 1}) {
		t.Errorf("Top(10) = %v", got)
	}
	if c.Top(0) != nil || c.Count("coupon") != 0 || c.Len() != 3 {
		t.Errorf("Top(0) = %v, Count(coupon) = %d, Len = %d", c.Top(0), c.Count("coupon"), c.Len())
	}
	sw := DefaultStopWords()
	sw[0] = "changed"
	if DefaultStopWords()[0] != "的" {
		t.Error("DefaultStopWords shares its slice with the caller")
	}
	none, _ := NewTermCounter(TermOptions{NoDefaultStopWords: true, MinLetters: 1})
	if got := none.Terms("the 的确 a"); !cmp.Equal(got, []string{"the", "的确", "a"}) {
		t.Errorf("without stop words: %q", got)
	}
	for _, o := range []TermOptions{{StopWords: []string{" "}}, {MinLetters: -1}} {
		if _, err := NewTermCounter(o); err == nil || !strings.HasPrefix(err.Error(), "metrics: term options: ") {
			t.Errorf("NewTermCounter(%+v): error %v", o, err)
		}
	}
}

// Splitting texts over counters and merging adds up, and a space between
// two texts never makes or breaks a term.
func TestTermCounterProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.StringOf(rapid.SampledFrom([]rune("ab的优惠券 Q,")))
		texts := rapid.SliceOf(gen).Draw(t, "texts")
		whole, _ := NewTermCounter(TermOptions{})
		a, _ := NewTermCounter(TermOptions{})
		b, _ := NewTermCounter(TermOptions{})
		for _, s := range texts {
			whole.Add(s)
			if rapid.Bool().Draw(t, "toA") {
				a.Add(s)
			} else {
				b.Add(s)
			}
		}
		if err := a.Merge(b); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(whole.Top(whole.Len()), a.Top(a.Len())); diff != "" {
			t.Fatalf("merged counts differ (-whole +merged):\n%s", diff)
		}
		x, y := gen.Draw(t, "x"), gen.Draw(t, "y")
		if diff := cmp.Diff(append(whole.Terms(x), whole.Terms(y)...), whole.Terms(x+" "+y)); diff != "" {
			t.Fatalf("Terms(x y) is not Terms(x) + Terms(y) (-want +got):\n%s", diff)
		}
	})
}

// A state machine: a TermCounter under Add and Merge against a map of counts
// summed from Terms.
func TestTermCounterStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, _ := NewTermCounter(TermOptions{})
		want := map[string]int{}
		gen := rapid.StringOf(rapid.SampledFrom([]rune("abc的领优惠券 ")))
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				s := gen.Draw(t, "text")
				for _, term := range c.Terms(s) {
					want[term]++
				}
				c.Add(s)
			},
			"merge": func(t *rapid.T) {
				o, _ := NewTermCounter(TermOptions{})
				s := gen.Draw(t, "text")
				o.Add(s)
				for _, term := range o.Terms(s) {
					want[term]++
				}
				if err := c.Merge(o); err != nil {
					t.Fatal(err)
				}
			},
			"": func(t *rapid.T) {
				if c.Len() != len(want) {
					t.Fatalf("Len = %d, want %d", c.Len(), len(want))
				}
				for term, n := range want {
					if c.Count(term) != n {
						t.Fatalf("Count(%q) = %d, want %d", term, c.Count(term), n)
					}
				}
				top := c.Top(c.Len())
				for i := 1; i < len(top); i++ {
					if top[i-1].Count < top[i].Count {
						t.Fatalf("Top out of order: %v", top)
					}
				}
			},
		})
	})
}

func FuzzTerms(f *testing.F) {
	c, err := NewTermCounter(TermOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := c.Terms(text)
		for _, term := range terms {
			if term == "" || !utf8.ValidString(term) || strings.ContainsAny(term, " \t\n") {
				t.Fatalf("Terms(%q) has a bad term %q", text, term)
			}
			if c.stopTerms[term] {
				t.Fatalf("Terms(%q) kept the stop word %q", text, term)
			}
		}
		// Counting the text counts exactly its terms.
		fresh, _ := NewTermCounter(TermOptions{})
		fresh.Add(text)
		sum := 0
		for _, term := range fresh.Top(fresh.Len()) {
			sum += term.Count
		}
		if sum != len(terms) {
			t.Fatalf("Add(%q) counted %d terms, Terms gives %d", text, sum, len(terms))
		}
	})
}

func TestAddMessagesPeriod(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2026, 3, day, 12, 0, 0, 0, shanghai) }
	log := []qunops.Event{
		{Type: qunops.Message, Group: "g", Member: "a", Time: at(1), Text: "early bird"},
		{Type: qunops.Message, Group: "g", Member: "a", Time: at(2), Text: "coupon", ID: "c:1"},
		{Type: qunops.Message, Group: "g", Member: "a", Time: at(3), Text: "coupon", ID: "c:1"}, // repeated ID
		{Type: qunops.Message, Group: "h", Member: "a", Time: at(3), Text: "coupon", ID: "c:1"}, // another group
		{Type: qunops.Rename, Group: "g", Member: "a", Time: at(3), Text: "coupon"},
		{Type: qunops.Message, Group: "g", Member: "a", Time: at(9), Text: "late"},
	}
	c, _ := NewTermCounter(TermOptions{})
	c.AddMessages(log, at(2), at(9))
	if diff := cmp.Diff([]Term{{"coupon", 2}}, c.Top(10)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
