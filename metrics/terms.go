package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qunops/qunops"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Term is a term of message text and how often it occurred.
type Term struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// defaultStopWords are the stop words every TermCounter leaves out unless
// TermOptions.NoDefaultStopWords is set: Chinese particles and function words,
// and English function words. A single Chinese character in the list splits
// the text (so 的 never starts or ends a bigram); longer words drop the
// matching term.
var defaultStopWords = [...]string{
	// Chinese particles: split runs of Han characters.
	"的", "了", "吗", "是", "吧", "呢", "啊", "呀", "哦", "嗯", "哈", "么", "和", "在", "就", "也", "都",
	// Chinese function words: dropped as bigrams.
	"我们", "你们", "他们", "什么", "怎么", "这个", "那个", "没有", "可以", "一个", "大家", "就是", "还是",
	"但是", "因为", "所以", "如果", "自己", "这样", "现在", "一下", "知道", "不是",
	// English function words.
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "from", "has", "have", "he",
	"her", "his", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "ok", "on", "or",
	"our", "she", "so", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were",
	"what", "when", "which", "who", "will", "with", "yes", "you", "your",
}

// DefaultStopWords returns the default stop words (a new slice each time):
// Chinese particles, which split runs of Han characters, Chinese function
// words, dropped as bigrams, and English function words.
func DefaultStopWords() []string { return append([]string(nil), defaultStopWords[:]...) }

// TermCounter counts the frequent terms of message text (seed F29: export
// the chat log weekly and analyse its frequent words). Text is folded with
// golang.org/x/text (NFKC, which also maps full-width Latin letters and digits
// to ASCII, then Unicode case folding) and cut into terms:
//   - a run of Han characters gives its character bigrams (Chinese has no
//     spaces; bigrams are the usual dictionary-free unit), after splitting
//     the run at single-character stop words; a run of one character gives
//     nothing;
//   - a run of other letters and digits is a word if it has a letter and at
//     least MinLetters characters;
//   - everything else separates terms; stop words are dropped.
//
// Counters merge by adding counts. Which texts to count (a week, a group,
// only members) is the caller's choice. The zero value is not usable; call
// [NewTermCounter]. A TermCounter is not safe for concurrent use.
type TermCounter struct {
	counts     map[string]int
	stopRunes  map[rune]bool
	stopTerms  map[string]bool
	minLetters int
	fold       cases.Caser
	buf        []rune
}

// NewTermCounter returns an empty counter.
func NewTermCounter(o TermOptions) (*TermCounter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	c := &TermCounter{
		counts:     map[string]int{},
		stopRunes:  map[rune]bool{},
		stopTerms:  map[string]bool{},
		minLetters: o.MinLetters,
		fold:       cases.Fold(),
	}
	if c.minLetters == 0 {
		c.minLetters = 2
	}
	var words []string
	if !o.NoDefaultStopWords {
		words = append(words, defaultStopWords[:]...)
	}
	words = append(words, o.StopWords...)
	for _, w := range words {
		// Validate has checked that no word folds to nothing.
		f := strings.TrimSpace(foldText(c.fold, w))
		switch {
		case utf8.RuneCountInString(f) == 1 && unicode.Is(unicode.Han, []rune(f)[0]):
			c.stopRunes[[]rune(f)[0]] = true
		default:
			c.stopTerms[f] = true
		}
	}
	return c, nil
}

// foldText folds s as the counter folds text: NFKC, then Unicode case
// folding with fold.
func foldText(fold cases.Caser, s string) string {
	return fold.String(norm.NFKC.String(s))
}

// Add counts the terms of text.
func (c *TermCounter) Add(text string) {
	c.scan(text, func(term string) { c.counts[term]++ })
}

// AddMessages counts the text of the message events in log whose time lies
// in [from, to), e.g. one week (F29); a zero from or to leaves that side
// open. Events with an ID already seen in this call, and other event types,
// are skipped.
func (c *TermCounter) AddMessages(log []qunops.Event, from, to time.Time) {
	seen := map[string]bool{}
	for _, e := range log {
		if e.Type != qunops.Message || (!from.IsZero() && e.Time.Before(from)) || (!to.IsZero() && !e.Time.Before(to)) {
			continue
		}
		if e.ID != "" {
			if seen[e.Group+"\x00"+e.ID] {
				continue
			}
			seen[e.Group+"\x00"+e.ID] = true
		}
		c.Add(e.Text)
	}
}

// Terms returns the terms of text in order, without counting them.
func (c *TermCounter) Terms(text string) []string {
	var out []string
	c.scan(text, func(term string) { out = append(out, term) })
	return out
}

// scan folds text and calls emit for each term.
func (c *TermCounter) scan(text string, emit func(string)) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	folded := foldText(c.fold, text)
	han := c.buf[:0]
	wordStart := -1
	flushHan := func() {
		for i := 0; i+1 < len(han); i++ {
			if c.stopRunes[han[i]] || c.stopRunes[han[i+1]] {
				continue
			}
			if t := string(han[i : i+2]); !c.stopTerms[t] {
				emit(t)
			}
		}
		han = han[:0]
	}
	flushWord := func(end int) {
		if wordStart < 0 {
			return
		}
		w := folded[wordStart:end]
		wordStart = -1
		if utf8.RuneCountInString(w) < c.minLetters || c.stopTerms[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			return
		}
		emit(w)
	}
	for i, r := range folded {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord(i)
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (wordStart >= 0 && unicode.IsMark(r)):
			flushHan()
			if wordStart < 0 {
				wordStart = i
			}
		default:
			flushHan()
			flushWord(i)
		}
	}
	flushHan()
	flushWord(len(folded))
	c.buf = han[:0]
}

// Merge adds o's counts to c. o is not changed. The two counters should use
// the same options; merging a counter into itself is an error.
func (c *TermCounter) Merge(o *TermCounter) error {
	if o == nil || o == c {
		return fmt.Errorf("metrics: terms: merge needs another counter")
	}
	for t, n := range o.counts {
		c.counts[t] += n
	}
	return nil
}

// Len returns the number of distinct terms counted.
func (c *TermCounter) Len() int { return len(c.counts) }

// Count returns how often term (as Terms writes it) was counted.
func (c *TermCounter) Count(term string) int { return c.counts[term] }

// Top returns the n most frequent terms, most frequent first, ties in
// lexical order; fewer if fewer were counted, none if n <= 0.
//
// Cost: O(d log d) for d distinct terms.
func (c *TermCounter) Top(n int) []Term {
	if n <= 0 {
		return nil
	}
	out := make([]Term, 0, len(c.counts))
	for t, k := range c.counts {
		out = append(out, Term{t, k})
	}
	slices.SortFunc(out, func(a, b Term) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Text, b.Text)
	})
	return out[:min(n, len(out))]
}
