// Package keyword finds many keywords at once in chat messages, through the
// spacing, symbols, invisible characters and styled letters people use to
// slip past plain matchers, and reports where they are in the original text.
//
// # Model
//
// [Compile] turns a dictionary of patterns (prohibited words, ad phrases:
// seed F6, F34, F38) into an immutable [Matcher], an Aho-Corasick automaton
// over runes. Each rune of a message maps to one symbol through a table
// built once per Matcher:
//
//   - With [Options].Fold, the rune is folded by one per-rune table built
//     once with golang.org/x/text (NFKC compatibility forms, width, case
//     folding): "ＶＸ", "ⓥⓧ", "𝐯𝐱" and "Vx" all read "vx". CJK radicals
//     read as the ideographs they stand for: the Kangxi Radicals through
//     NFKC, the CJK Radicals Supplement through the Unicode property
//     Equivalent_Unified_Ideograph (a table in radicals.go, Unicode
//     15.1.0), so that 澳⻔赌场 reads 澳门赌场. Patterns are folded by the
//     same table. The hot path never runs an x/text transform, only the
//     table.
//   - With [Options].SkipNoise, white space, punctuation, symbols, emoji and
//     their modifiers, variation selectors, combining marks, control and
//     format characters (zero-width space and joiners, bidi controls) and
//     the invisible Hangul fillers (U+3164, the blank nickname of WeChat and
//     QQ, U+FFA0, U+115F, U+1160) are noise; CJK radicals, symbols by
//     category, never are. Noise is skipped between two characters of a
//     match, never at its ends, at most [Options].MaxNoise runes in a row
//     (default [DefaultMaxNoise]). The same runes are removed from the
//     patterns, so "加 微信" is the pattern "加微信"; a pattern that is
//     nothing but noise is an error.
//   - The zero Options match the patterns' bytes exactly.
//
// A [Match] holds the pattern's index and byte offsets into the original
// text: text[Start:End] covers the matched runes and the noise between
// them, so that a bot can quote or mask exactly what was written. Invalid
// UTF-8 never panics and never matches: an invalid byte is neither a
// pattern character nor noise, so it breaks a match.
//
// # Choosing an API
//
// [Matcher.Contains] answers "does this message break a rule" and stops at
// the first match. [Matcher.FindAll] returns leftmost-longest,
// non-overlapping matches, the right default for enforcement: "毒品销售"
// wins over "毒品". [Matcher.FindAllFirst] gives leftmost-first matches,
// where the pattern given first wins, for dictionaries ordered by
// priority. [Matcher.FindOverlapping] returns every occurrence of every
// pattern, for reports. These semantics are those of the Rust crate
// aho-corasick (MatchKind LeftmostLongest, LeftmostFirst and Standard with
// overlapping search); testdata/conformance.tsv restates its test tables.
// [Matcher.AppendAll] does any of the three, chosen by a [MatchKind]
// ("leftmost-longest", "leftmost-first", "overlapping" in text and JSON),
// into a caller's buffer, the allocation-free choice for a hot path; [Matcher.Mask] and
// [Matcher.AppendMask] replace each matched rune with a mask rune for logs.
//
// Per-pattern opt-outs: [Options].Literal patterns keep their symbols and
// match contiguous text only ("+v", "c++"); [Options].WholeWord patterns
// match only outside Latin words ("class" not inside "classic"; Han, kana
// and Hangul never count as word characters).
//
// [Options] can be kept in a configuration file: its JSON has snake_case
// keys ("fold", "skip_noise", "max_noise", "literal", "whole_word",
// "variants", "max_variants"), zero fields left out, and decoding rejects a
// key that is unknown, given twice or spelled in another case, naming it.
// [Options.Validate] checks the options alone; [Compile] also checks them
// against the patterns.
//
// # What folding cannot catch
//
// Folding is one rune to one rune. It does not catch homophones and pinyin
// (薇信 or vx for 微信), traditional characters (微訊), characters split in
// two (弓长 for 张), letters spelled out, or look-alikes from other scripts
// (Cyrillic а for Latin a). [Options].Variants expands patterns at compile
// time from caller-supplied tables for these; the package ships no
// dictionary of its own. A value may be any string: empty to let its key
// be left out, or nothing but noise ("+" for 加, "." for 点), kept as
// written and matched contiguously. Runes whose compatibility form is several runes
// (the ligature ﬁ, ㎏, ß folding to ss) fold to their simple lower case
// only, so that every rune of a text stays one symbol and offsets always
// fall on rune boundaries. Composed and decomposed accents are not unified
// (é against e + U+0301), though the combining mark itself is noise. Fold
// covers runes below U+30000; runes above only lose their case.
//
// # Concurrency and cost
//
// A Matcher is immutable after Compile (a leftmost search may build its
// reverse automaton once, see below) and safe for concurrent use by any
// number of goroutines. Compile takes time and memory linear in the total
// length of the patterns and their variants, plus a rune table of 384 KiB
// per automaton (one, or two when Literal patterns are present); the fold
// table is built once per process, on first use. A state stores only the
// patterns that end exactly there and shares the rest through a link, so
// nested patterns (a, aa, aaa, ... inside a long one) cost no more than
// others. For the 10,000-pattern dictionary of bench/ Compile takes about
// 30 ms and keeps about 5 MB; for 0.9 M runes of nested patterns it takes
// about 0.1 s of CPU and keeps 37 MB. Expanding Variants visits each
// (position, output) pair once, so a value that folds to its key, or keys
// that overlap, cannot make it exponential.
//
// [Matcher.Contains] costs time linear in the text. [Matcher.FindAll] and
// [Matcher.FindAllFirst] cost time linear in the text plus the matches
// they return (without Literal patterns, which have an automaton of their
// own and make them select from the overlapping matches of both): the
// scan keeps only the candidates that can still win, and when nested
// patterns would make it drop more outputs than the text has bytes, it
// hands over to a scan from the end with the patterns written backwards,
// which finds the preferred match at each start directly. That reverse
// automaton is built on first need and kept, about the size of the
// forward one. [Matcher.FindOverlapping] costs the text plus its m
// matches, plus O(m log m) when patterns longer than 16 runes match.
// Whole-word patterns add their length per occurrence.
//
// The automaton reads one class per rune: three-byte runes (all of
// CJK) are decoded inline, a per-class signature of the states with an edge
// on that class answers the common "no continuation" with the load that
// also gives the next state, and Latin states have dense rows over the
// ASCII classes, so Latin words do not walk failure chains. Contains
// allocates nothing; FindAll allocates only when it finds something;
// AppendAll allocates nothing once the buffer is large enough. bench/ in
// this repository measures it against Go peer libraries.
package keyword
