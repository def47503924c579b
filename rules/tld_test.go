package rules

import (
	"strings"
	"testing"
)

// TestTLDData pins the embedded root zone list: its source as the header
// records it (npm package tlds 1.261.0, 2025-10-24, built from IANA's
// tlds-alpha-by-domain.txt), its size, and entries the link rule relies
// on, internationalized ones by the punycode that the Public Suffix List
// gives for them (Debian package publicsuffix 20230209.2326-1,
// public_suffix_list.dat, e.g. "// xn--fiqs8s ("Zhongguo/China", Chinese,
// Simplified) : CN").
func TestTLDData(t *testing.T) {
	for _, want := range []string{"npm package tlds, version 1.261.0", "2025-10-24", "tlds-alpha-by-domain.txt", "1,438"} {
		if !strings.Contains(tldData, want) {
			t.Errorf("the header of testdata/tlds.txt does not say %q", want)
		}
	}
	if len(tlds) != 1438 {
		t.Errorf("%d top-level domains, want the 1,438 of tlds 1.261.0", len(tlds))
	}
	if maxTLDRunes != 18 { // "travelersinsurance"
		t.Errorf("the longest top-level domain has %d characters, want 18", maxTLDRunes)
	}
	for _, a := range []string{
		"com", "cn", "sbs", "ltd", "xin", "cyou", "tk", "ai", "top", "zip", "mov",
		"xn--fiqs8s",              // 中国
		"xn--fiqz9s",              // 中國
		"xn--j6w193g",             // 香港
		"xn--55qx5d",              // 公司
		"xn--io0a7i",              // 网络
		"xn--6qq986b3xl",          // 我爱你
		"xn--kput3i",              // 手机
		"xn--ses554g",             // 网址
		"xn--p1ai",                // рф
		"xn--q9jyb4c",             // みんな
		"xn--vermgensberater-ctb", // vermögensberater
	} {
		if _, ok := tlds[a]; !ok {
			t.Errorf("tlds has no %q", a)
		}
	}
	for _, a := range []string{"png", "pdf", "txt", "jpg", "doc", "exe", "zz", "中国", "c"} {
		if _, ok := tlds[a]; ok {
			t.Errorf("tlds has %q, which is no top-level domain or not an A-label", a)
		}
	}
}

func TestIsTLD(t *testing.T) {
	for _, c := range []struct {
		label string
		want  bool
	}{
		{"com", true},
		{"COM", true},
		{"ｃｏｍ", true},
		{"c\u200bom", true},
		{"中国", true},
		{"xn--fiqs8s", true},
		{"XN--FIQS8S", true},
		{"手机", true},
		{"РФ", true}, // capitals, as IDNA lowercases them
		{"sbs", true},
		{"png", false},
		{"中国人", false},
		{"co m", false},
		{"", false},
		{"c", false},
		{"14", false},
		{strings.Repeat("a", 100), false},
		{strings.Repeat("中", 30), false},
	} {
		if got := isTLD(c.label); got != c.want {
			t.Errorf("isTLD(%q) = %v, want %v", c.label, got, c.want)
		}
	}
}

func TestParseTLDsErrors(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"com\nco m\n", `rules: tlds: line 2: "co m" is not a top-level domain`},
		{"# head\n\nc\n", `rules: tlds: line 3: "c" is not a top-level domain`},
		{"a-b\n", `rules: tlds: line 1: "a-b" is not a top-level domain`},
		{strings.Repeat("x", 64) + "\n", `rules: tlds: line 1: "` + strings.Repeat("x", 64) + `" is not a top-level domain`},
	} {
		if _, _, err := parseTLDs(c.data); err == nil || err.Error() != c.want {
			t.Errorf("parseTLDs(%q): error %v, want %s", c.data, err, c.want)
		}
	}
	m, most, err := parseTLDs("# a comment\nCOM\n中国\n\n")
	if err != nil || len(m) != 2 || most != 3 {
		t.Fatalf("parseTLDs: %v, %d entries, longest %d; want 2 entries, longest 3", err, len(m), most)
	}
	if _, ok := m["xn--fiqs8s"]; !ok {
		t.Errorf("parseTLDs stored 中国 as %v, want xn--fiqs8s", m)
	}
}

// TestPunycode checks the encoder against the sample strings of RFC 3492
// section 7.1 (A to S), as transcribed with the RFC's errata in
// golang.org/x/net v0.63.0, idna/punycode_test.go. Basic code points keep
// their case, as the RFC's outputs do.
func TestPunycode(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"(A) Arabic (Egyptian)", "ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"},
		{"(B) Chinese (simplified)", "他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"},
		{"(C) Chinese (traditional)", "他們爲什麽不說中文", "ihqwctvzc91f659drss3x8bo0yb"},
		{"(D) Czech", "Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"},
		{"(E) Hebrew", "למההםפשוטלאמדבריםעברית", "4dbcagdahymbxekheh6e0a7fei0b"},
		{"(F) Hindi (Devanagari)", "यहलोगहिन्दीक्योंनहींबोलसकतेहैं", "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd"},
		{"(G) Japanese (kanji and hiragana)", "なぜみんな日本語を話してくれないのか", "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"},
		{"(H) Korean (Hangul syllables)", "세계의모든사람들이한국어를이해한다면얼마나좋을까", "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c"},
		{"(I) Russian (Cyrillic)", "почемужеонинеговорятпорусски", "b1abfaaepdrnnbgefbadotcwatmq2g4l"},
		{"(J) Spanish", "PorquénopuedensimplementehablarenEspañol", "PorqunopuedensimplementehablarenEspaol-fmd56a"},
		{"(K) Vietnamese", "TạisaohọkhôngthểchỉnóitiếngViệt", "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"},
		{"(L) 3<nen>B<gumi><kinpachi><sensei>", "3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"},
		{"(M) <amuro><namie>-with-SUPER-MONKEYS", "安室奈美恵-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
		{"(N) Hello-Another-Way-<sorezore><no><basho>", "Hello-Another-Way-それぞれの場所", "Hello-Another-Way--fc4qua05auwb3674vfr0b"},
		{"(O) <hitotsu><yane><no><shita>2", "ひとつ屋根の下2", "2-u9tlzr9756bt3uc0v"},
		{"(P) Maji<de>Koi<suru>5<byou><mae>", "MajiでKoiする5秒前", "MajiKoi5-783gue6qz075azm5e"},
		{"(Q) <pafii>de<runba>", "パフィーdeルンバ", "de-jg4avhby1noc0d"},
		{"(R) <sono><supiido><de>", "そのスピードで", "d9juau41awczczp"},
		{"(S) -> $1.00 <-", "-> $1.00 <-", "-> $1.00 <--"},
	} {
		var buf [128]byte
		got, ok := punycode(buf[:0], []rune(c.in))
		if !ok || string(got) != c.want {
			t.Errorf("%s: punycode(%q) = %q, %v; want %q", c.name, c.in, got, ok, c.want)
		}
	}
	// A result that does not fit is refused, not cut.
	var small [10]byte
	if got, ok := punycode(small[:0], []rune("他们为什么不说中文")); ok {
		t.Errorf("punycode into 10 bytes = %q, true; want false", got)
	}
	if _, ok := punycode(small[:0], []rune{-1}); ok {
		t.Error("punycode of rune -1: ok, want false")
	}
}

// TestALabel checks the A-labels of labels as members write them against
// the forms the Public Suffix List and IANA's IDN test domains (例子.测试 is
// xn--fsqu00a.xn--0zwm56d) give.
func TestALabel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"例子", "xn--fsqu00a"},
		{"测试", "xn--0zwm56d"},
		{"中国", "xn--fiqs8s"},
		{"ＥＸＡＭＰＬＥ", "example"},
		{"Ex\u200bample", "example"},
		{"𝐞𝐯𝐢𝐥", "evil"},
		{"ⓔⓥⓘⓛ", "evil"},
		{"vermögensberater", "xn--vermgensberater-ctb"},
		{"VERMÖGENSBERATER", "xn--vermgensberater-ctb"},
	} {
		var buf [maxLabel]byte
		got, ok := aLabel(buf[:0], c.in)
		if !ok || string(got) != c.want {
			t.Errorf("aLabel(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"", "\u200b", "a.b", "a b", "a/b", strings.Repeat("a", 64)} {
		var buf [maxLabel]byte
		if got, ok := aLabel(buf[:0], in); ok {
			t.Errorf("aLabel(%q) = %q, true; want false", in, got)
		}
	}
}
