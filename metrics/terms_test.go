package metrics

import (
	"bufio"
	"bytes"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// chatLines returns the messages of testdata/terms-chat.txt.
func chatLines(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/terms-chat.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// samplePhrases are the service and perks chatter of package sample
// (sample/sample.go, var chat), which repeats a few fixed messages: the
// source of the bigrams 流好, 个型 and 号有 that word discovery replaced.
var samplePhrases = []string{
	"请问订单什么时候发货？", "退货流程是怎样的", "收到了，谢谢客服", "发票怎么开？", "这个型号有现货吗",
	"物流好慢啊", "已经解决了，感谢", "会员积分怎么用", "尺码偏大还是偏小？", "客服在吗",
	"抢到了！", "今天的券怎么领", "谢谢群主", "下次什么时候有活动", "优惠券用不了怎么办",
	"已下单", "这个价格很划算", "求拼单", "冲冲冲", "好物推荐一下",
}

// chatCorpus is the realistic corpus: the chat lines, and each fixed phrase
// of the sample repeated ten times, as members repeat themselves. (Repeat
// them much more and the neighbours of 型号 are mostly those of 这个型号有现货吗:
// see TermCounter.)
func chatCorpus(t testing.TB) []string {
	lines := chatLines(t)
	for range 10 {
		lines = append(lines, samplePhrases...)
	}
	return lines
}

// termsTB is what counterOf needs of a *testing.T, *testing.B or *rapid.T.
type termsTB interface {
	Helper()
	Fatal(args ...any)
}

func counterOf(t termsTB, o TermOptions, texts []string) *TermCounter {
	t.Helper()
	c, err := NewTermCounter(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range texts {
		c.Add(s)
	}
	return c
}

// The top terms of chat are words a person would write, not the bigrams
// across word boundaries that the bigram counter listed (issue 18, item 7).
func TestTermsDiscoverWords(t *testing.T) {
	corpus := chatCorpus(t)
	// Reference: plain bigram counting, as the counter did before, counts
	// the non-words more often than the 20th term of the top: by frequency
	// alone they would be listed.
	bigrams := map[string]int{}
	for _, s := range corpus {
		rs := []rune(s)
		for i := 0; i+1 < len(rs); i++ {
			if unicode.Is(unicode.Han, rs[i]) && unicode.Is(unicode.Han, rs[i+1]) {
				bigrams[string(rs[i:i+2])]++
			}
		}
	}
	c := counterOf(t, TermOptions{}, corpus)
	top := map[string]int{}
	for _, term := range c.Top(20) {
		top[term.Text] = term.Count
	}
	cut := c.Top(20)[19].Count
	for _, tt := range []struct {
		word, why string
	}{
		{"物流", "logistics, in 22 lines of many shapes"},
		{"型号", "model number"},
		{"客服", "customer service"},
		{"发货", "shipping"},
		{"优惠券", "coupon: three characters, listed whole"},
		{"红包", "red packet"},
		{"积分", "loyalty points"},
	} {
		if _, ok := top[tt.word]; !ok {
			t.Errorf("%s (%s) is not in Top(20) %v", tt.word, tt.why, c.Top(20))
		}
		// Reference count: the word's occurrences in the corpus (none of
		// these words overlaps itself).
		want := 0
		for _, s := range corpus {
			want += strings.Count(s, tt.word)
		}
		if got := c.Count(tt.word); got != want {
			t.Errorf("Count(%s) = %d, the corpus has it %d times", tt.word, got, want)
		}
	}
	for _, tt := range []struct {
		text, why string
		frequent  bool // more frequent than the 20th term
	}{
		{"流好", "the end of 物流 and the start of 好慢 (物流好慢啊)", true},
		{"个型", "the end of 这个 and the start of 型号 (这个型号有现货吗)", true},
		{"号有", "the end of 型号 and 有 (这个型号有现货吗)", true},
		{"惠券", "a fragment of 优惠券: always after 优", true},
		{"优惠", "a fragment of 优惠券 in this corpus: almost always before 券", false},
		{"这个型号", "starts with the stop word 这个", false},
		{"天发货", "发货 with a day before it: 发货 occurs far more often alone", false},
	} {
		if c.Count(tt.text) != 0 {
			t.Errorf("%s (%s) is a term, count %d", tt.text, tt.why, c.Count(tt.text))
		}
		if tt.frequent && bigrams[tt.text] <= cut {
			t.Errorf("%s occurs %d times, not more than the 20th term (%d): the test would not catch bigrams", tt.text, bigrams[tt.text], cut)
		}
	}
}

// The terms of the bundled sample's chatter are words, or whole messages
// where the fixed phrases give no clue, never bigrams across words.
func TestTermsSamplePhrases(t *testing.T) {
	var texts []string
	for range 30 {
		texts = append(texts, samplePhrases[:10]...) // the service group's
	}
	c := counterOf(t, TermOptions{}, texts)
	for _, term := range c.Top(c.Len()) {
		if strings.Contains(term.Text, "流好") || strings.Contains(term.Text, "个型") || strings.Contains(term.Text, "号有") {
			t.Errorf("term %q crosses a word boundary", term.Text)
		}
	}
	// 客服 ends one message and starts another: free on both sides.
	if got := c.Count("客服"); got != 60 {
		t.Errorf("Count(客服) = %d, want 60 (two messages with it, 30 times each)", got)
	}
}

// Terms reads the counter's words out of a text: Latin words as they
// are, Chinese words longest first.
func TestTermsF29(t *testing.T) {
	c, err := NewTermCounter(TermOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A vocabulary given by hand, so that the rows test the reading alone.
	// (Before issue 18 Terms gave every bigram of a run: 优惠券领取 was
	// 优惠 惠券 券领 领取. Now it gives the counter's words, here 优惠券.)
	c.vocab = map[gram]int{}
	for _, w := range []string{"物流", "优惠", "优惠券", "型号", "券包"} {
		c.vocab[packGram([]rune(w))] = 3
	}
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"longest word first", "优惠券包", []string{"优惠券"}},
		{"words in a run", "物流型号优惠", []string{"物流", "型号", "优惠"}},
		{"characters of no word are skipped", "查物流好慢", []string{"物流"}},
		{"stop character between words", "物流的型号", []string{"物流", "型号"}},
		{"single han character gives nothing", "好!", nil},
		{"a word never spans a separator", "物 流,物,流", nil},
		{"latin words folded", "iPhone SALE Sale", []string{"iphone", "sale", "sale"}},
		{"full-width latin folds to ascii", "ＳＡＬＥ ５折", []string{"sale"}},
		{"english stop words and one-letter words dropped", "the coupon is a gift I like", []string{"coupon", "gift", "like"}},
		{"digits alone are not words", "2026 618 618day", []string{"618day"}},
		{"mixed scripts switch terms", "买iPhone15送优惠券", []string{"iphone15", "优惠券"}},
		{"punctuation separates", "物流,物流。物流", []string{"物流", "物流", "物流"}},
		{"invalid UTF-8 is a separator", "ab\xffcd物\xff流", []string{"ab", "cd"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.Terms(tt.text)); diff != "" {
				t.Errorf("Terms(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestTermCounterTopAndOptions(t *testing.T) {
	corpus := chatCorpus(t)
	// Latin words count as they are; "coupon" is a stop word here.
	c := counterOf(t, TermOptions{StopWords: []string{"COUPON", "物流", "客"}}, []string{"vip coupon sale", "sale", "sale SALE"})
	if diff := cmp.Diff([]Term{{"sale", 4}, {"vip", 1}}, c.Top(10)); diff != "" {
		t.Errorf("Top(10) (-want +got):\n%s", diff)
	}
	if c.Top(0) != nil || c.Count("coupon") != 0 || c.Len() != 2 {
		t.Errorf("Top(0) = %v, Count(coupon) = %d, Len = %d", c.Top(0), c.Count("coupon"), c.Len())
	}
	// A stop word is never a term nor part of one; a stop character is
	// never part of one.
	for _, term := range counterOf(t, TermOptions{StopWords: []string{"物流", "客"}}, corpus).Top(1000) {
		if strings.Contains(term.Text, "物流") || strings.Contains(term.Text, "客") {
			t.Errorf("term %q contains a stop word", term.Text)
		}
	}
	if n := counterOf(t, TermOptions{}, corpus).Count("物流单号"); n != 0 {
		t.Errorf("Count(物流单号) = %d: 物流单号 occurs far less often than 物流", n)
	}
	sw := DefaultStopWords()
	sw[0] = "changed"
	if DefaultStopWords()[0] != "的" {
		t.Error("DefaultStopWords shares its slice with the caller")
	}
	none := counterOf(t, TermOptions{NoDefaultStopWords: true, MinLetters: 1}, nil)
	if got := none.Terms("the a"); !cmp.Equal(got, []string{"the", "a"}) {
		t.Errorf("without stop words: %q", got)
	}
	for _, o := range []TermOptions{{StopWords: []string{" "}}, {MinLetters: -1}} {
		if _, err := NewTermCounter(o); err == nil || !strings.HasPrefix(err.Error(), "metrics: term options: ") {
			t.Errorf("NewTermCounter(%+v): error %v", o, err)
		}
	}
}

// drawTexts draws chat-like texts from pieces that make words when they
// recur.
func drawTexts(t *rapid.T) []string {
	piece := rapid.SampledFrom([]string{"物流", "好慢", "查", "型号", "有货", "客服", "在吗", "的", "了", "ok", "VIP", "，", " ", "优惠券", "领"})
	text := rapid.Custom(func(t *rapid.T) string {
		return strings.Join(rapid.SliceOfN(piece, 1, 6).Draw(t, "pieces"), "")
	})
	return rapid.SliceOf(text).Draw(t, "texts")
}

// Counting texts in shards and merging gives exactly one counter over all
// texts: the same bytes, so the same words and counts.
func TestTermCounterMergeExact(t *testing.T) {
	corpus := chatCorpus(t)
	rapid.Check(t, func(t *rapid.T) {
		texts := drawTexts(t)
		if rapid.Bool().Draw(t, "corpus") {
			texts = append(texts, corpus...)
		}
		shards := make([]*TermCounter, rapid.IntRange(1, 4).Draw(t, "shards"))
		for i := range shards {
			shards[i] = counterOf(t, TermOptions{}, nil)
		}
		whole := counterOf(t, TermOptions{}, nil)
		for _, s := range texts {
			whole.Add(s)
			shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")].Add(s)
		}
		for _, o := range shards[1:] {
			if err := shards[0].Merge(o); err != nil {
				t.Fatal(err)
			}
		}
		if diff := cmp.Diff(whole.Top(whole.Len()), shards[0].Top(shards[0].Len())); diff != "" {
			t.Fatalf("merged terms differ (-whole +merged):\n%s", diff)
		}
		a, _ := whole.MarshalBinary()
		b, _ := shards[0].MarshalBinary()
		if string(a) != string(b) {
			t.Fatal("merged counter differs from the whole counter")
		}
	})
}

// The binary form round-trips, options included, into a zero counter.
func TestTermCounterBinaryRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := TermOptions{
			StopWords:          rapid.SliceOf(rapid.SampledFrom([]string{"查", "Ok", "型号", "vip"})).Draw(t, "stop"),
			NoDefaultStopWords: rapid.Bool().Draw(t, "nodefault"),
			MinLetters:         rapid.IntRange(0, 3).Draw(t, "minletters"),
		}
		texts := drawTexts(t)
		c := counterOf(t, o, texts)
		data, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var d TermCounter
		if err := d.UnmarshalBinary(data); err != nil {
			t.Fatal(err)
		}
		again, _ := d.MarshalBinary()
		if string(again) != string(data) {
			t.Fatal("marshal(unmarshal(b)) != b")
		}
		if diff := cmp.Diff(c.Top(c.Len()), d.Top(d.Len())); diff != "" {
			t.Fatalf("decoded terms differ (-before +after):\n%s", diff)
		}
		// The decoded counter counts like the original.
		more := drawTexts(t)
		for _, s := range more {
			c.Add(s)
			d.Add(s)
		}
		if diff := cmp.Diff(c.Top(c.Len()), d.Top(d.Len())); diff != "" {
			t.Fatalf("after more text (-original +decoded):\n%s", diff)
		}
		if err := d.Merge(counterOf(t, o, nil)); err != nil {
			t.Fatalf("merge with a counter of the same options: %v", err)
		}
	})
}

func TestTermCounterMergeErrors(t *testing.T) {
	c := counterOf(t, TermOptions{}, []string{"物流 sale"})
	before, _ := c.MarshalBinary()
	for _, tt := range []struct {
		name string
		o    *TermCounter
		want string
	}{
		{"nil", nil, "merge needs another counter"},
		{"itself", c, "merge needs another counter"},
		{"other min_letters", counterOf(t, TermOptions{MinLetters: 3}, []string{"sale"}), "min_letters 2 and 3 differ"},
		{"other stop words", counterOf(t, TermOptions{StopWords: []string{"物流"}}, []string{"sale"}), "different stop words"},
		{"no default stop words", counterOf(t, TermOptions{NoDefaultStopWords: true}, []string{"sale"}), "different stop words"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Merge(tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "metrics: terms: ") {
				t.Fatalf("Merge: error %v, want %q", err, tt.want)
			}
			if after, _ := c.MarshalBinary(); string(after) != string(before) {
				t.Fatal("a failed Merge changed the counter")
			}
		})
	}
}

func TestTermCounterUnmarshalBinaryErrors(t *testing.T) {
	c := counterOf(t, TermOptions{}, []string{"物流好慢", "查物流 sale"})
	good, _ := c.MarshalBinary()
	// Counts that no counting makes: 慢 once after two characters; 物 once
	// at the start of two n-grams.
	bad := counterOf(t, TermOptions{}, []string{"好慢", "快慢"})
	bad.chars['慢'] = 1
	inconsistent, _ := bad.MarshalBinary()
	bad = counterOf(t, TermOptions{}, []string{"物流好慢", "物流好快"})
	bad.chars['物'] = 1
	startless, _ := bad.MarshalBinary()
	// A Latin word the counter would never count as such.
	bad = counterOf(t, TermOptions{}, []string{"sale"})
	two := 2
	bad.words["SALE"] = &two
	unfolded, _ := bad.MarshalBinary()

	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no magic"},
		{"json", []byte(`{"terms":[]}`), "no magic"},
		{"other version", append([]byte(termsMagic), 2), "version 2, want 1"},
		{"trailing byte", append(slices.Clone(good), 0), "1 bytes after the counter"},
		{"truncated", good[:len(good)-1], "truncated"},
		{"left extensions", inconsistent, `n-gram "慢" has count 1, less than the 2 of the n-grams that extend it on the left`},
		{"n-grams starting with a character", startless, `character '物' has count 1, less than the 2`},
		{"unfolded word", unfolded, `word "SALE"`},
		{"stop character not han", []byte(termsMagic + "\x01\x02\x01a"), `stop character 'a'`},
		{"huge list", []byte(termsMagic + "\x01\x02\x00\x00\x00\x00\xff\xff\xff\xff\x0f"), "words 4294967295 is more than"},
		{"stop word not UTF-8", []byte(termsMagic + "\x01\x02\x00\x01\x02\xff\xfe"), "is not UTF-8"},
		{"version over 64 bits", []byte(termsMagic + strings.Repeat("\xff", 11)), "version: truncated or overlong number"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := counterOf(t, TermOptions{}, []string{"优惠券 vip"})
			before, _ := d.MarshalBinary()
			err := d.UnmarshalBinary(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "metrics: terms: binary: ") {
				t.Fatalf("UnmarshalBinary: error %v, want %q", err, tt.want)
			}
			if after, _ := d.MarshalBinary(); string(after) != string(before) {
				t.Fatal("a failed UnmarshalBinary changed the counter")
			}
		})
	}
	// Every proper prefix of a counter is an error.
	for n := range len(good) {
		var d TermCounter
		if d.UnmarshalBinary(good[:n]) == nil {
			t.Fatalf("the first %d of %d bytes decode", n, len(good))
		}
	}
	var zero TermCounter
	if _, err := zero.MarshalBinary(); err == nil {
		t.Error("MarshalBinary of a zero counter: no error")
	}
}

// Over the cap, the counter drops the n-grams of rare leading pairs: each
// count is low by at most Slack.
func TestTermCounterPrune(t *testing.T) {
	corpus := chatCorpus(t)
	exact := counterOf(t, TermOptions{}, corpus)
	c := counterOf(t, TermOptions{}, nil)
	c.entriesMax = 600
	for _, s := range corpus {
		c.Add(s)
		if len(c.grams)+len(c.words) > c.entriesMax {
			t.Fatalf("%d entries, more than the cap %d", len(c.grams)+len(c.words), c.entriesMax)
		}
	}
	if c.Slack() == 0 || exact.Slack() != 0 {
		t.Fatalf("Slack = %d pruned, %d exact", c.Slack(), exact.Slack())
	}
	got := c.fullCounts()
	for g, want := range exact.fullCounts() {
		if n := got[g]; n > want || n < want-c.Slack() {
			t.Errorf("count of %q = %d, true %d, slack %d", gramString(g), n, want, c.Slack())
		}
	}
	if !maps.Equal(c.chars, exact.chars) {
		t.Error("pruning changed the counts of single characters")
	}
	// It round-trips.
	data, _ := c.MarshalBinary()
	var d TermCounter
	if err := d.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	// The frequent words survive.
	for _, w := range []string{"物流", "客服", "发货", "优惠券"} {
		if c.Count(w) == 0 {
			t.Errorf("%s was pruned", w)
		}
	}
}

// A state machine: a TermCounter under Add, Merge and a binary round trip
// against the texts it was given: it must always equal one fresh counter
// over all of them.
func TestTermCounterStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := counterOf(t, TermOptions{}, nil)
		var all []string
		t.Repeat(map[string]func(*rapid.T){
			"add": func(t *rapid.T) {
				for _, s := range drawTexts(t) {
					c.Add(s)
					all = append(all, s)
				}
			},
			"merge": func(t *rapid.T) {
				texts := drawTexts(t)
				if err := c.Merge(counterOf(t, TermOptions{}, texts)); err != nil {
					t.Fatal(err)
				}
				all = append(all, texts...)
			},
			"round trip": func(t *rapid.T) {
				data, err := c.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				c = new(TermCounter)
				if err := c.UnmarshalBinary(data); err != nil {
					t.Fatal(err)
				}
			},
			"": func(t *rapid.T) {
				want := counterOf(t, TermOptions{}, all)
				if diff := cmp.Diff(want.Top(want.Len()), c.Top(c.Len())); diff != "" {
					t.Fatalf("(-one counter +state machine):\n%s", diff)
				}
				for _, term := range want.Top(want.Len()) {
					if c.Count(term.Text) != term.Count {
						t.Fatalf("Count(%q) = %d, want %d", term.Text, c.Count(term.Text), term.Count)
					}
				}
			},
		})
	})
}

func FuzzTerms(f *testing.F) {
	c := counterOf(f, TermOptions{}, chatCorpus(f))
	for _, s := range []string{"物流好慢啊", "ＳＡＬＥ ５折", "ab\xffcd", "买iPhone15送优惠券"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, term := range c.Terms(text) {
			if term == "" || !utf8.ValidString(term) || strings.ContainsAny(term, " \t\n") {
				t.Fatalf("Terms(%q) has a bad term %q", text, term)
			}
			if r, _ := utf8.DecodeRuneInString(term); c.stopTerms[term] || unicode.Is(unicode.Han, r) && c.hasStopWord([]rune(term)) {
				t.Fatalf("Terms(%q) kept the stop word %q", text, term)
			}
			if r, _ := utf8.DecodeRuneInString(term); unicode.Is(unicode.Han, r) && c.Count(term) == 0 {
				t.Fatalf("Terms(%q) gives %q, which the counter never counted", text, term)
			}
		}
		// Counting the text counts its Latin words once each, and its Han
		// characters.
		fresh := counterOf(t, TermOptions{}, nil)
		latin := fresh.Terms(text) // no Chinese words yet
		fresh.Add(text)
		sum := 0
		for _, n := range fresh.words {
			sum += *n
		}
		if sum != len(latin) {
			t.Fatalf("Add(%q) counted %d words, Terms gives %d", text, sum, len(latin))
		}
		if err := fresh.checkGrams(); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzTermCounterUnmarshalBinary(f *testing.F) {
	for _, texts := range [][]string{nil, {"物流好慢", "sale"}, chatCorpus(f)[:40]} {
		data, err := counterOf(f, TermOptions{}, texts).MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c TermCounter
		if err := c.UnmarshalBinary(data); err != nil {
			return
		}
		// A decoded counter works: it lists, counts and round-trips.
		c.Top(c.Len())
		c.Add("物流好慢 sale")
		b, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var d TermCounter
		if err := d.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoded counter: %v", err)
		}
		if b2, _ := d.MarshalBinary(); string(b2) != string(b) {
			t.Fatal("marshal is not stable")
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

// BenchmarkTermCounterAdd measures Add on one message of the chat corpus
// at a time.
func BenchmarkTermCounterAdd(b *testing.B) {
	corpus := chatCorpus(b)
	c := counterOf(b, TermOptions{}, corpus)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.Add(corpus[i%len(corpus)])
	}
}

// BenchmarkTermCounterTop measures the discovery of the words of the chat
// corpus.
func BenchmarkTermCounterTop(b *testing.B) {
	c := counterOf(b, TermOptions{}, chatCorpus(b))
	b.ReportAllocs()
	for range b.N {
		c.vocab = nil
		c.Top(20)
	}
}

// TestDefaultStopWordsShared: counters made with the default stop words
// share one folded set (issue 18), which a counter with stop words of its
// own, made before or after, never changes; and the shared set leaves out
// what the defaults leave out.
func TestDefaultStopWordsShared(t *testing.T) {
	mk := func(o TermOptions) *TermCounter {
		c, err := NewTermCounter(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"Thanks 物流好慢", "the 查物流 cargo", "等物流吧 cargo thanks", "物流太差", "cargo 物流呢 thanks the", "cargo thanks 催物流", "THANKS cargo"} {
			c.Add(text)
		}
		return c
	}
	own := mk(TermOptions{StopWords: []string{"物流", "CARGO"}})
	def := mk(TermOptions{})
	own2 := mk(TermOptions{StopWords: []string{"thanks"}})
	if own.Count("cargo") != 0 || own.Count("thanks") != 5 {
		t.Errorf("own stop words: cargo %d, thanks %d, want 0 and 5", own.Count("cargo"), own.Count("thanks"))
	}
	if def.Count("cargo") != 5 || def.Count("thanks") != 5 {
		t.Errorf("default counter: cargo %d, thanks %d, want 5 each (another counter's stop words leaked?)",
			def.Count("cargo"), def.Count("thanks"))
	}
	if def.Count("the") != 0 || own2.Count("thanks") != 0 || own2.Count("the") != 0 {
		t.Errorf("stop words counted: the %d (default), thanks %d and the %d (own)", def.Count("the"), own2.Count("thanks"), own2.Count("the"))
	}
	r1, t1 := defaultStops()
	if len(r1) == 0 || len(t1) == 0 || len(def.stopRunes) != len(r1) || len(def.stopTerms) != len(t1) {
		t.Errorf("the shared set: %d characters and %d words; the default counter has %d and %d",
			len(r1), len(t1), len(def.stopRunes), len(def.stopTerms))
	}
}

// AddN(text, n) is n calls of Add(text) in a row: the same bytes, over the
// cap too (a small cap makes the counters prune as they go).
func TestTermCounterAddNIsRepeatedAdd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		texts := drawTexts(t)
		ns := rapid.SliceOfN(rapid.IntRange(-1, 6), len(texts), len(texts)).Draw(t, "ns")
		one, each := counterOf(t, TermOptions{}, nil), counterOf(t, TermOptions{}, nil)
		if rapid.Bool().Draw(t, "small cap") {
			one.entriesMax = rapid.IntRange(4, 40).Draw(t, "cap")
			each.entriesMax = one.entriesMax
		}
		for i, text := range texts {
			one.AddN(text, ns[i])
			for range ns[i] {
				each.Add(text)
			}
		}
		a, err := one.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		b, err := each.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("AddN and repeated Add differ: slack %d and %d, top %v and %v", one.Slack(), each.Slack(), one.Top(10), each.Top(10))
		}
	})
}
