package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qunops/qunops"
	"golang.org/x/text/cases"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Term is a term of message text and how often it occurred.
type Term struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// defaultStopWords are the stop words every TermCounter leaves out unless
// TermOptions.NoDefaultStopWords is set: Chinese particles and function words,
// and English function words. A single Chinese character in the list is never
// part of a term (so 的 never starts, ends or sits inside one), though it still
// counts as a neighbour of the words around it; longer words are never terms
// and neither is any Chinese word that contains one.
var defaultStopWords = [...]string{
	// Chinese particles: never inside a term.
	"的", "了", "吗", "是", "吧", "呢", "啊", "呀", "哦", "嗯", "哈", "么", "和", "在", "就", "也", "都",
	// Chinese function words: never a term, nor part of one.
	"我们", "你们", "他们", "什么", "怎么", "这个", "那个", "没有", "可以", "一个", "大家", "就是", "还是",
	"但是", "因为", "所以", "如果", "自己", "这样", "现在", "一下", "知道", "不是",
	// English function words.
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "for", "from", "has", "have", "he",
	"her", "his", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "ok", "on", "or",
	"our", "she", "so", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were",
	"what", "when", "which", "who", "will", "with", "yes", "you", "your",
}

// DefaultStopWords returns the default stop words (a new slice each time):
// Chinese particles, which are never part of a term, Chinese function words,
// which are never terms nor part of one, and English function words.
func DefaultStopWords() []string { return append([]string(nil), defaultStopWords[:]...) }

// TermCounter counts the frequent terms of message text (seed F29: export
// the chat log weekly and analyse its frequent words). Text is folded with
// golang.org/x/text (NFKC, which also maps full-width Latin letters and digits
// to ASCII, then Unicode case folding) and cut into runs:
//   - a run of other letters and digits is a word if it has a letter and at
//     least MinLetters characters; it is a term as it stands;
//   - a run of Han characters is where Chinese words are discovered, without
//     a dictionary, from the statistics of all the text counted (Chinese
//     has no spaces); see "Chinese words" below;
//   - everything else separates terms; stop words are dropped.
//
// # Chinese words
//
// The counter keeps the count of every Han character, and for every place
// in a Han run the count of the 2 to 5 characters that start there (fewer
// at the end of the run): the sums of those give the count of every
// substring of 1 to 5 characters (n-gram), at the cost of one n-gram a
// character instead of five. A candidate word is a substring of 2 to 4
// characters (most Chinese words have two characters, and product and
// place names rarely more than four; the fifth character only serves as
// the neighbour of a four-character candidate). When Top, Terms, Count or
// Len needs the words, a candidate becomes a word when, over all the text
// counted so far:
//   - it occurred at least 3 times (ours);
//   - its characters stick together: for every way to cut it in two parts
//     a and b, the pointwise mutual information log(p(ab) / (p(a) p(b))),
//     with p the count over the number of Han characters counted, is at
//     least log 8 (ours: the parts occur together at least eight times
//     more often than if they were independent);
//   - the characters around it vary: the entropy of its left neighbours
//     and that of its right neighbours are both at least 1.0 nats (ours:
//     about three equally likely neighbours), where the start or end of a
//     run (punctuation, a space, a Latin word, the message's edge) counts
//     as a neighbour different from every other, since it is where a
//     person ended a word;
//   - it contains no stop word;
//   - it is not a shorter word with an affix: no word inside it occurs
//     more than four times as often (ours; 天发货 and 找客服 are dropped
//     where 发货 and 客服 are words, and so is a compound such as 物流单号
//     beside a far more frequent 物流, whose parts are listed instead);
//   - it is not a fragment of a longer word: the longer words that contain
//     it account for less than 75% of its occurrences (ours; 优惠 is
//     dropped where it nearly always comes as 优惠券, and stays where it
//     also occurs alone).
//
// This is the usual dictionary-free method (frequency, cohesion and
// freedom; Matrix67, "互联网时代的社会语言学：基于SNS的文本数据挖掘", 2012);
// it needs text in which words occur in more than one context: a few fixed
// phrases repeated verbatim say nothing about where their words end.
//
// # Merging and memory
//
// Counters merge by adding counts, and the words are a function of the
// counts, so counting messages in several counters and merging them gives
// exactly the words and counts of one counter over all messages (messages
// are never cut). Each distinct n-gram kept costs one 24-byte map slot, 30
// to 50 bytes with the map's free space (measured: 33 bytes an n-gram for
// 100,000 characters of random Chinese); a Han character adds at most one,
// so a week of a busy group's chat (100,000 characters) takes at most 5 MB,
// and usually much less, since chat repeats itself. Top allocates about
// 220 bytes an n-gram kept while it runs (measured likewise), and frees
// them.
//
// The counter keeps at most 1<<20 distinct n-grams and Latin words (ours:
// at most about 50 MB), not counting the single characters, which are at
// most the 100,000 or so Han characters of Unicode. When Add or Merge goes
// over, it drops the n-grams of the rarest leading pairs of characters and
// the rarest Latin words: every n-gram whose first two characters start
// n-grams of f occurrences or fewer in all, and every word of f or fewer,
// with f the least count that leaves at most 1<<19 entries, a rule that
// depends only on the counts. From then on a count may be low by up to
// [TermCounter.Slack] (the sum of the f used, added up over merges too),
// and merged counters agree with one counter only within that slack; Slack
// is 0, and every count exact, while nothing was dropped.
//
// Which texts to count (a week, a group, only members) is the caller's
// choice. The zero value is not usable; call [NewTermCounter] (or
// UnmarshalBinary). A TermCounter is not safe for concurrent use, not even
// by readers: Top, Terms, Count and Len cache the words they compute.
type TermCounter struct {
	chars      map[rune]int    // Han characters
	grams      map[gram]int    // Han n-grams of 2..gramMax characters by place
	words      map[string]*int // Latin words
	slack      int             // the most a count may be low after pruning
	entriesMax int             // the cap on len(grams)+len(words)
	// stopRunes and stopTerms are the stop words, folded: Han characters
	// and the rest. Counters made with the default stop words alone share
	// one pair, which nothing writes to (see defaultStops).
	stopRunes  map[rune]bool
	stopTerms  map[string]bool
	minLetters int
	fold       cases.Caser

	foldChain   transform.Transformer // NFKC then fold, made by scan
	raw, folded []byte                // reused by scan
	run         []rune                // reused by scan

	vocab map[gram]int // the Chinese words, nil when stale
}

// termEntriesMax is the cap on distinct n-grams and Latin words of a
// counter (ours, see TermCounter).
const termEntriesMax = 1 << 20

// NewTermCounter returns an empty counter.
func NewTermCounter(o TermOptions) (*TermCounter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	c := newTermCounter(o.MinLetters)
	if c.minLetters == 0 {
		c.minLetters = 2
	}
	if !o.NoDefaultStopWords && len(o.StopWords) == 0 {
		c.stopRunes, c.stopTerms = defaultStops()
		return c, nil
	}
	var words []string
	if !o.NoDefaultStopWords {
		words = append(words, defaultStopWords[:]...)
	}
	words = append(words, o.StopWords...)
	c.addStops(words)
	return c, nil
}

// addStops adds words, folded, to c's stop words. Validate has checked
// that no word folds to nothing.
func (c *TermCounter) addStops(words []string) {
	for _, w := range words {
		f := strings.TrimSpace(c.foldWord(w))
		switch r, n := utf8.DecodeRuneInString(f); {
		case n == len(f) && unicode.Is(unicode.Han, r):
			c.stopRunes[r] = true
		default:
			c.stopTerms[f] = true
		}
	}
}

// defaultStops returns the default stop words, folded, as NewTermCounter
// sorts them: Han characters and the rest. They are made once and shared
// by every counter made with the default stop words alone, read and never
// written (a counter that reads its stop words from its binary form makes
// its own), so that a report of many small groups, a counter each, does
// not fold and hash a hundred words per group (issue 18: a log of a
// million one-event groups spent most of its time there).
var defaultStops = sync.OnceValues(func() (map[rune]bool, map[string]bool) {
	c := newTermCounter(2)
	c.addStops(defaultStopWords[:])
	return c.stopRunes, c.stopTerms
})

// newTermCounter returns an empty counter without stop words.
func newTermCounter(minLetters int) *TermCounter {
	return &TermCounter{
		chars:      map[rune]int{},
		grams:      map[gram]int{},
		words:      map[string]*int{},
		entriesMax: termEntriesMax,
		stopRunes:  map[rune]bool{},
		stopTerms:  map[string]bool{},
		minLetters: minLetters,
		fold:       cases.Fold(),
	}
}

// foldWord returns foldText(c.fold, w), by foldFast when it knows every
// rune of w: the default stop words are all such, and a report makes a
// counter per group (issue 18: x/text's transformers took 165 µs per
// counter, most of the time of a log with 20,000 small groups).
func (c *TermCounter) foldWord(w string) string {
	if b, ok := foldFast(nil, w); ok {
		return string(b)
	}
	return foldText(c.fold, w)
}

// foldText folds s as the counter folds text: NFKC, then Unicode case
// folding with fold.
func foldText(fold cases.Caser, s string) string {
	return fold.String(norm.NFKC.String(s))
}

// foldFast appends to dst what NFKC and then full case folding (foldText)
// make of s, and reports true, when every rune of s is one whose result it
// knows; otherwise it reports false and dst holds a part. Those runes are
// what most Chinese chat is written in: ASCII (A-Z folded to a-z), the CJK
// ideographs U+3400-U+4DBF and U+4E00-U+9FFF and the CJK punctuation
// 、。〈〉《》「」『』【】, which both leave as they are; the ideographic
// space U+3000 and the full-width forms U+FF01-U+FF5E, which NFKC maps to
// ASCII (a space, U+0021-U+007E) before folding. None of them decomposes
// otherwise, and none composes with a neighbour (composition needs a
// combining mark or a Hangul jamo, which send s the slow way), so the
// result is foldText's, rune by rune (TestFoldFast checks every rune of
// the set and mixed strings). It spares golang.org/x/text's transformer
// chain, a third of the time of Add on such text.
func foldFast(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case 0x4E00 <= r && r <= 0x9FFF, 0x3400 <= r && r <= 0x4DBF, r == 0x3001, r == 0x3002, 0x3008 <= r && r <= 0x3011:
			dst = append(dst, s[i:i+size]...)
		case r == 0x3000:
			dst = append(dst, ' ')
		case 0xFF01 <= r && r <= 0xFF5E:
			c := byte(r - 0xFEE0)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		default:
			return dst, false
		}
		i += size
	}
	return dst, true
}

// Add counts the text of one message. Once the counter has seen text as
// long, and the n-grams and words of text, it allocates nothing, except
// inside golang.org/x/text's normaliser when NFKC changes text beyond
// ASCII, CJK ideographs and punctuation and full-width forms (which Add
// folds itself).
//
// Cost: O(len(text)).
func (c *TermCounter) Add(text string) {
	c.scan(text, c.countRun, c.countWord)
	c.vocab = nil
	if len(c.grams)+len(c.words) > c.entriesMax {
		c.prune()
	}
}

// AddN counts the text of n messages that all read text: exactly what n
// calls of Add(text) in a row would count, at the cost of two. A caller
// that counts many messages can count each distinct text once with the
// number of messages that read it, since chat repeats itself (收到, 好的,
// +1); the counts, and so the words, are those of adding the messages one
// by one in any order, as long as the counter stays under its cap (see
// TermCounter: over it, which n-grams are dropped depends on the order of
// the additions, as it does for Add). n <= 0 counts nothing.
func (c *TermCounter) AddN(text string, n int) {
	if n <= 0 {
		return
	}
	c.Add(text)
	if n == 1 {
		return
	}
	// Each entry of text (an n-gram or a word) starts at one of its
	// characters, so the next call creates at most that many and later
	// calls none. When those fit under the cap, no call prunes, and the
	// n-1 more calls add n-1 to each entry of text; otherwise (a text of
	// hundreds of thousands of characters), they are made one by one.
	if len(c.grams)+len(c.words)+utf8.RuneCountInString(text) > c.entriesMax {
		for range n - 1 {
			c.Add(text)
		}
		return
	}
	more := n - 1
	c.scan(text, func(run []rune) { c.countRunBy(run, more) }, func(w []byte) { c.countWordBy(w, more) })
	c.vocab = nil
}

// countRun counts the characters of a Han run, and the n-gram that
// starts at each place but the last.
func (c *TermCounter) countRun(run []rune) { c.countRunBy(run, 1) }

// countRunBy is countRun for k occurrences of run.
func (c *TermCounter) countRunBy(run []rune, k int) {
	for i, r := range run {
		c.chars[r] += k
		if len(run)-i < 2 {
			continue
		}
		var g gram
		for n := 0; n < gramMax && i+n < len(run); n++ {
			g = g.with(n, run[i+n])
		}
		c.grams[g] += k
	}
}

// countWord counts a Latin word.
func (c *TermCounter) countWord(w []byte) { c.countWordBy(w, 1) }

// countWordBy is countWord for k occurrences of w.
func (c *TermCounter) countWordBy(w []byte, k int) {
	if p := c.words[string(w)]; p != nil {
		*p += k // through a pointer: m[string(w)] += k would copy w each time
		return
	}
	n := k
	c.words[string(w)] = &n // a copy of w, so that the map does not keep c.folded
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

// Terms returns the terms of text in order, without counting them: its
// Latin words, and the Chinese words of the counter (those Top can list)
// that its Han runs contain, read from left to right taking the longest
// word at each place.
func (c *TermCounter) Terms(text string) []string {
	vocab := c.vocabulary()
	var out []string
	c.scan(text, func(run []rune) {
		for i := 0; i < len(run); {
			n := min(wordMax, len(run)-i)
			for ; n >= 2; n-- {
				if vocab[packGram(run[i:i+n])] > 0 {
					break
				}
			}
			if n < 2 {
				i++
				continue
			}
			out = append(out, string(run[i:i+n]))
			i += n
		}
	}, func(w []byte) { out = append(out, string(w)) })
	return out
}

// scan folds text and calls han for each run of Han characters and word for
// each Latin word that is long enough and not a stop word. The arguments
// are valid only during the call.
func (c *TermCounter) scan(text string, han func([]rune), word func([]byte)) {
	folded, ok := foldFast(c.folded[:0], text) // declines text that is not UTF-8
	if !ok {
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, " ")
		}
		if c.foldChain == nil {
			c.foldChain = transform.Chain(norm.NFKC, c.fold)
		}
		c.raw = append(c.raw[:0], text...)
		var err error
		folded, _, err = transform.Append(c.foldChain, c.folded[:0], c.raw)
		if err != nil {
			// Not seen with valid UTF-8; fold the slow way rather than lose text.
			folded = append(folded[:0], foldText(c.fold, text)...)
		}
	}
	c.folded = folded
	run := c.run[:0]
	wordStart := -1
	flushRun := func() {
		if len(run) > 0 {
			han(run)
			run = run[:0]
		}
	}
	flushWord := func(end int) {
		if wordStart < 0 {
			return
		}
		w := folded[wordStart:end]
		wordStart = -1
		if utf8.RuneCount(w) < c.minLetters || c.stopTerms[string(w)] || !hasLetter(w) {
			return
		}
		word(w)
	}
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRune(folded[i:])
		switch {
		case r >= 0x2E80 && unicode.Is(unicode.Han, r):
			flushWord(i)
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (wordStart >= 0 && unicode.IsMark(r)):
			flushRun()
			if wordStart < 0 {
				wordStart = i
			}
		default:
			flushRun()
			flushWord(i)
		}
		i += size
	}
	flushRun()
	flushWord(len(folded))
	c.run = run[:0]
}

// hasLetter reports whether w has a letter.
func hasLetter(w []byte) bool {
	for _, r := range string(w) {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// Merge adds o's counts to c. o is not changed. Both counters must have the
// same options (stop words and min_letters); merging a counter into itself
// is an error. On error c is unchanged.
//
// Cost: O(d) for d distinct n-grams and words of o.
func (c *TermCounter) Merge(o *TermCounter) error {
	if o == nil || o == c {
		return fmt.Errorf("metrics: terms: merge needs another counter")
	}
	if err := c.sameOptions(o); err != nil {
		return err
	}
	for r, n := range o.chars {
		c.chars[r] += n
	}
	for g, n := range o.grams {
		c.grams[g] += n
	}
	for w, p := range o.words {
		if q := c.words[w]; q != nil {
			*q += *p
		} else {
			n := *p
			c.words[w] = &n
		}
	}
	c.slack += o.slack
	c.vocab = nil
	if len(c.grams)+len(c.words) > c.entriesMax {
		c.prune()
	}
	return nil
}

// sameOptions reports an error when o counts differently from c.
func (c *TermCounter) sameOptions(o *TermCounter) error {
	if c.minLetters != o.minLetters {
		return fmt.Errorf("metrics: terms: merge: min_letters %d and %d differ", c.minLetters, o.minLetters)
	}
	same := len(c.stopRunes) == len(o.stopRunes) && len(c.stopTerms) == len(o.stopTerms)
	for r := range o.stopRunes {
		same = same && c.stopRunes[r]
	}
	for w := range o.stopTerms {
		same = same && c.stopTerms[w]
	}
	if !same {
		return fmt.Errorf("metrics: terms: merge: the counters have different stop words")
	}
	return nil
}

// prune drops the n-grams of the rarest leading pairs and the rarest
// Latin words, as TermCounter says. Dropping every n-gram that starts with a
// pair keeps the counts consistent: an n-gram w of two or more characters
// is counted by the n-grams that start with w, all of which go or stay
// together, and then its count was at most f.
//
// Cost: O(d log d) for d entries, at most once every entriesMax/2 new
// entries.
func (c *TermCounter) prune() {
	type level struct{ total, entries int }
	pairs := map[gram]level{}
	for g, n := range c.grams {
		l := pairs[g.sub(0, 2)]
		pairs[g.sub(0, 2)] = level{l.total + n, l.entries + 1}
	}
	levels := make([]level, 0, len(pairs)+len(c.words))
	for _, l := range pairs {
		levels = append(levels, l)
	}
	for _, p := range c.words {
		levels = append(levels, level{*p, 1})
	}
	slices.SortFunc(levels, func(a, b level) int { return cmp.Compare(b.total, a.total) })
	// f is the total of the first level that does not fit with all the
	// levels of a greater total.
	floor, kept := 0, 0
	for i := 0; i < len(levels); {
		j, entries := i, 0
		for ; j < len(levels) && levels[j].total == levels[i].total; j++ {
			entries += levels[j].entries
		}
		if kept+entries > c.entriesMax/2 {
			floor = levels[i].total
			break
		}
		kept += entries
		i = j
	}
	// New maps, since a map keeps the room of its deleted entries.
	grams := map[gram]int{}
	for g, n := range c.grams {
		if pairs[g.sub(0, 2)].total > floor {
			grams[g] = n
		}
	}
	words := map[string]*int{}
	for w, p := range c.words {
		if *p > floor {
			words[w] = p
		}
	}
	c.grams, c.words = grams, words
	c.slack += floor
	c.vocab = nil
}

// Slack returns the most by which a count of the counter may be below the
// true count of the text added, because the counter went over its cap on
// distinct n-grams and dropped rare ones (see TermCounter); 0 means every
// count is exact.
func (c *TermCounter) Slack() int { return c.slack }

// Len returns the number of distinct terms counted: the Latin words and the
// Chinese words Top can list.
//
// Cost: that of Top when text was added since the last call.
func (c *TermCounter) Len() int { return len(c.words) + len(c.vocabulary()) }

// Count returns how often term (as Terms writes it) was counted, or 0 when
// it is not a term. The count of a Chinese word includes its occurrences
// inside longer words (优惠 in 优惠券).
//
// Cost: that of Top when text was added since the last call.
func (c *TermCounter) Count(term string) int {
	if p := c.words[term]; p != nil {
		return *p
	}
	rs := []rune(term)
	if len(rs) < 2 || len(rs) > wordMax {
		return 0
	}
	for _, r := range rs {
		if r <= 0 || !unicode.Is(unicode.Han, r) {
			return 0
		}
	}
	return c.vocabulary()[packGram(rs)]
}

// Top returns the n most frequent terms, most frequent first, ties in
// lexical order; fewer if fewer were counted, none if n <= 0.
//
// Cost: O(d log d) for d distinct n-grams and words, when text was added
// since the last call (the Chinese words are discovered then), otherwise
// O(w log w) for w terms.
func (c *TermCounter) Top(n int) []Term {
	if n <= 0 {
		return nil
	}
	vocab := c.vocabulary()
	out := make([]Term, 0, len(c.words)+len(vocab))
	for t, k := range c.words {
		out = append(out, Term{t, *k})
	}
	var buf [gramMax]rune
	for g, k := range vocab {
		out = append(out, Term{string(g.runes(&buf)), k})
	}
	slices.SortFunc(out, func(a, b Term) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Text, b.Text)
	})
	return out[:min(n, len(out))]
}
