package keyword_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/qunops/qunops/rules/keyword"
)

// A group bot's dictionary, matched through the usual evasions. Offsets are
// byte offsets into the original message and cover the skipped noise.
func ExampleCompile() {
	m, err := keyword.Compile([]string{"加微信", "vx"}, keyword.Options{Fold: true, SkipNoise: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, msg := range []string{"有事加 微 信", "加*微*信聊", "ⓥⓧ号见群公告", "今天天气不错"} {
		for _, mt := range m.FindAll(msg) {
			fmt.Printf("%q: pattern %d at [%d:%d] %q\n", msg, mt.Pattern, mt.Start, mt.End, msg[mt.Start:mt.End])
		}
		if !m.Contains(msg) {
			fmt.Printf("%q: clean\n", msg)
		}
	}
	// Output:
	// "有事加 微 信": pattern 0 at [6:17] "加 微 信"
	// "加*微*信聊": pattern 0 at [0:11] "加*微*信"
	// "ⓥⓧ号见群公告": pattern 1 at [0:6] "ⓥⓧ"
	// "今天天气不错": clean
}

// The three match kinds on the same text: leftmost-longest (FindAll) for
// enforcement, leftmost-first where pattern order is priority, overlapping
// for reports that list every hit.
func ExampleMatcher_AppendAll() {
	m, err := keyword.Compile([]string{"毒品", "毒品销售", "销售"}, keyword.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "禁止毒品销售"
	buf := make([]keyword.Match, 0, 8) // reused across messages: no allocation
	for _, kind := range []keyword.MatchKind{keyword.LeftmostLongest, keyword.LeftmostFirst, keyword.Overlapping} {
		buf = m.AppendAll(buf[:0], text, kind)
		fmt.Println(kind, buf)
	}
	// Output:
	// leftmost-longest [{1 6 18}]
	// leftmost-first [{0 6 12} {2 12 18}]
	// overlapping [{0 6 12} {1 6 18} {2 12 18}]
}

// Masking a message for a moderation log.
func ExampleMatcher_Mask() {
	m, err := keyword.Compile([]string{"加微信"}, keyword.Options{Fold: true, SkipNoise: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Mask("想要资料的加 微 信，谢谢", '*'))
	// Output: 想要资料的*****，谢谢
}

// Per-pattern opt-outs: a literal pattern whose symbol matters, and a
// whole-word Latin pattern.
func ExampleOptions() {
	m, err := keyword.Compile([]string{"+v", "class"}, keyword.Options{
		Fold:      true,
		SkipNoise: true,
		Literal:   []int{0},
		WholeWord: []int{1},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.FindAll("有意+V，classic 不算，上CLASS课"))
	// Output: [{0 6 8} {1 31 36}]
}

// Variants catch what folding cannot: homophones and pinyin, expanded at
// compile time.
func ExampleOptions_variants() {
	m, err := keyword.Compile([]string{"微信"}, keyword.Options{
		Fold:      true,
		SkipNoise: true,
		Variants:  map[string][]string{"微": {"薇", "威"}, "微信": {"vx", "wx"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, msg := range []string{"加薇信", "加 V X", "加微訊"} {
		fmt.Println(msg, m.Contains(msg))
	}
	// Output:
	// 加薇信 true
	// 加 V X true
	// 加微訊 false
}

// Compile names the pattern it rejects.
func ExampleCompile_error() {
	_, err := keyword.Compile([]string{"加微信", "！！"}, keyword.Options{Fold: true, SkipNoise: true})
	fmt.Println(err)
	// Output: keyword: pattern 1 "！！" is nothing but noise
}

// Options read from a configuration file: snake_case keys, checked
// strictly.
func ExampleOptions_UnmarshalJSON() {
	var opts keyword.Options
	err := json.Unmarshal([]byte(`{"fold":true,"skip_noise":true,"whole_word":[1]}`), &opts)
	fmt.Printf("%+v %v\n", opts, err)

	err = json.Unmarshal([]byte(`{"fold":true,"SkipNoise":true}`), &opts)
	fmt.Println(err)
	// Output:
	// {Fold:true SkipNoise:true MaxNoise:0 Literal:[] WholeWord:[1] Variants:map[] MaxVariants:0} <nil>
	// keyword: options: unknown key "SkipNoise"
}

// Invisible characters and look-alike radicals: a Hangul filler (U+3164,
// the blank nickname of WeChat and QQ) or a right-to-left override between
// two characters is noise, and the radical ⻔ (U+2ED4) reads as 门.
func ExampleMatcher_FindAll_invisibleAndRadicals() {
	m, err := keyword.Compile([]string{"加微信", "澳门赌场"}, keyword.Options{Fold: true, SkipNoise: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	show := strings.NewReplacer("\u3164", "<U+3164>", "\u202e", "<U+202E>")
	for _, msg := range []string{"加\u3164微信", "加\u202e微信", "来澳⻔赌场"} {
		for _, mt := range m.FindAll(msg) {
			fmt.Printf("pattern %d at [%d:%d] of %d bytes: %s\n", mt.Pattern, mt.Start, mt.End, len(msg), show.Replace(msg[mt.Start:mt.End]))
		}
	}
	// Output:
	// pattern 0 at [0:12] of 12 bytes: 加<U+3164>微信
	// pattern 0 at [0:12] of 12 bytes: 加<U+202E>微信
	// pattern 1 at [3:15] of 15 bytes: 澳⻔赌场
}
