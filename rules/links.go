package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A link, for the link rule (seed F6), is a host name in a text: labels
// joined by dots, the last one a top-level domain of the IANA root zone
// (tlds, the full list: "evil.sbs", "例子.中国"), or any dotted name after
// "://" or starting with "www." ("http://127.0.0.1:5030/x").
//
// Hosts are read the way a member's phone or browser would resolve them,
// not the way they are spelled:
//   - invisible characters inside a host are ignored: zero-width spaces and
//     joiners, bidi controls and other format characters (Unicode Cf),
//     Hangul fillers (U+3164 ...), variation selectors: "evil\u200b.com";
//   - full-width, halfwidth and compatibility forms count as the ASCII they
//     stand for (NFKC, as IDNA maps them): "ｅｖｉｌ．ｃｏｍ", "evil｡com",
//     "𝐞𝐯𝐢𝐥.com";
//   - letters of any script make a label (IDN): "例子.com", "例子.中国",
//     and "xn--fsqu00a.xn--fiqs8s" is the same host.
//
// Chinese text runs into hosts without spaces, so a host is cut where its
// script changes: in "访问qunops.cn查看" the host is "qunops.cn". A label
// after the first is all ASCII or all not ("a.com和b.net" is a.com, then
// b.net), and a first label that turns from other letters to ASCII starts
// at the ASCII, except after "://". Labels after the rightmost top-level
// domain are no part of the host either ("evil.com.谢谢" is evil.com).
//
// Not links, to spare what real groups write every day (links_test.go's
// false-positive table has each):
//   - numbers: versions, decimals, times and IP addresses without "://"
//     ("1.2.3", "3.14", "10.30", "192.168.1.1"): a top-level domain has a
//     letter;
//   - a list's numbering: a single digit before the top-level domain
//     ("1.App 2.Windows"), and digits alone before an internationalized one
//     ("1.中国"); "58.com" stays a link;
//   - file names: ".png" or ".pdf" are no top-level domain, and the few
//     that are but name files far more often than sites (extTLDs: "报告.zip",
//     "video.mov", "main.py") make a link only with a path after them
//     ("evil.zip/x"), "://" or "www." before them; ".ai" and ".cc" are no
//     such exception: sites on them are common in spam;
//   - the ideographic full stop "。" ends Chinese sentences, so it is a dot
//     only between two ASCII labels ("evil。com"), never between Chinese
//     words ("好的。手机" is no link to the top-level domain 手机);
//   - ellipses ("等等...", "好的……"): an empty label ends a host, and "…"
//     is no dot;
//   - e-mail addresses ("hr@qunops-hr.com"): an address is contact
//     information, not a page to visit, and work groups share them; a host
//     right after "user@" (unless "://" comes before, as in
//     "https://user@evil.com") or right before "@" is no link.
//
// Still links, knowingly (links_test.go's TestLinksKnowingly): a word that
// is a top-level domain right after a full stop with no space ("done.Now",
// "ok.Google"), and file names on top-level domains outside extTLDs
// ("logo.ai"). List Warnable keywords for spellings such as "evil dot
// com", which no host reading finds.

// extTLDs are top-level domains that are far more often a file's extension
// than a site's in a chat: a bare host on one is a link only with a path.
var extTLDs = [...]string{"zip", "mov", "md", "py", "sh", "rs", "pl", "ps", "pm"}

// isHostByte reports whether c may be in an ASCII host name; normDomain
// checks allowed domains with it.
func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// Classes of the characters of a text, for reading hosts (hostRune).
const (
	clsBreak = iota // ends a host
	clsSkip         // invisible: ignored inside a host
	clsDot          // ".", and its full-width, halfwidth and compatibility forms
	clsStop         // "。": a dot only between two ASCII labels
	clsASCII        // an ASCII letter, digit or hyphen, or a form of one
	clsUni          // a letter, digit or mark of another script
)

// hostRune classifies r, the first rune of s, for reading hosts, and
// returns what it stands for in a host: lowercase ASCII for clsASCII, the
// lowercase rune for clsUni. s is r's text, for the NFKC look-up (it may be
// empty when r has no compatibility form).
func hostRune(r rune, s string) (cls int, c rune) {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return clsASCII, r
		case r >= 'A' && r <= 'Z':
			return clsASCII, r + 'a' - 'A'
		case r == '.':
			return clsDot, r
		}
		return clsBreak, r
	}
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3:
		return clsUni, r // CJK ideographs and Hangul syllables: the common case, no look-up
	case r == 0x3002:
		return clsStop, '.'
	case r == 0xFF61: // halfwidth ideographic full stop: never a sentence's end in Chinese text
		return clsDot, '.'
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return hostRune(r-0xFEE0, "")
	case invisible(r):
		return clsSkip, r
	}
	if s != "" {
		if d := norm.NFKC.PropertiesString(s).Decomposition(); len(d) == 1 {
			return hostRune(rune(d[0]), "") // "𝐞", "ⓔ", "․", "﹒"
		}
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc) {
		return clsUni, unicode.ToLower(r)
	}
	return clsBreak, r
}

// invisible reports whether r shows nothing, so that a member can put it
// inside a host to hide it from a filter while the reader's eye and many
// linkifiers skip it: format characters (zero-width spaces and joiners,
// bidi controls, the soft hyphen, U+FEFF), the Hangul fillers, the
// combining grapheme joiner and variation selectors.
func invisible(r rune) bool {
	switch {
	case r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0:
		return true
	case r == 0x034F, r >= 0x180B && r <= 0x180F, r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// A dotFinder finds the dots of one text in order: the characters that
// hostRune calls clsDot or clsStop, ".", "。", "․", "﹒", "．" and "｡"
// (TestDotForms checks the list against all of Unicode). A host has at
// least one dot, so the scan looks at nothing else until it finds one.
type dotFinder struct {
	text string
}

func newDotFinder(text string) dotFinder { return dotFinder{text} }

// next returns the index of the first dot at or after i, or -1. It skips
// eight bytes at a time while none of them is a lead byte (mayLead).
func (f *dotFinder) next(i int) int {
	s := f.text
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if !mayLead(w) {
			continue
		}
		for k := i; k < i+8; k++ {
			if dotLead[s[k]] && isDotAt(s, k) {
				return k
			}
		}
	}
	for ; i < len(s); i++ {
		if dotLead[s[i]] && isDotAt(s, i) {
			return i
		}
	}
	return -1
}

// mayLead reports whether one of the eight bytes of w may be in dotLead
// ('.', E2, E3, EF), with the zero-byte test of "Bit Twiddling Hacks"
// (Sean Eron Anderson, "Determine if a word has a zero byte") on w
// xor'ed with each lead byte; E2 and E3 differ in their lowest bit, so
// one test covers both.
func mayLead(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := w ^ ('.' * ones)
	y := (w | ones) ^ (0xE3 * ones)
	z := w ^ (0xEF * ones)
	return ((x-ones)&^x|(y-ones)&^y|(z-ones)&^z)&highs != 0
}

// dotLead marks the first bytes of the dots: ".", then E3 for "。", E2
// for "․", EF for "﹒", "．" and "｡".
var dotLead = [256]bool{'.': true, 0xE2: true, 0xE3: true, 0xEF: true}

// isDotAt reports whether a dot starts at text[i:].
func isDotAt(text string, i int) bool {
	if text[i] == '.' {
		return true
	}
	if i+3 > len(text) {
		return false
	}
	switch b1, b2 := text[i+1], text[i+2]; text[i] {
	case 0xE3: // U+3002
		return b1 == 0x80 && b2 == 0x82
	case 0xE2: // U+2024
		return b1 == 0x80 && b2 == 0xA4
	case 0xEF: // U+FE52, U+FF0E, U+FF61
		return b1 == 0xB9 && b2 == 0x92 || b1 == 0xBC && b2 == 0x8E || b1 == 0xBD && b2 == 0xA1
	}
	return false
}

// A label is a label being read: text[a:end], invisible characters at its
// edges excluded.
type label struct {
	a, end    int
	n         int  // characters, invisible ones not counted
	ascii     bool // whether its first character is ASCII
	lastASCII bool // whether its last character is
	digits    bool // whether every character is a digit
	tail      int  // start of its trailing ASCII run after other letters, else a
}

func (l *label) add(i, size int, ascii bool, c rune) {
	if l.n == 0 {
		*l = label{a: i, ascii: ascii, digits: true, tail: i}
	} else if ascii && !l.lastASCII {
		l.tail = i
	}
	l.end = i + size
	l.lastASCII = ascii
	l.digits = l.digits && unicode.IsDigit(c)
	l.n++
}

// A hostScan is a host being read.
type hostScan struct {
	first, prev, cur label
	n                int // labels read
	end              int // end of the last label
	tldA, tldEnd     int // the rightmost label that is a top-level domain; tldEnd is 0 when none is
	tldUni           bool
	before           label // the label before it
}

// closeLabel ends the label being read.
func (h *hostScan) closeLabel(text string) {
	l := h.cur
	h.cur = label{}
	if l.n == 0 {
		return
	}
	if !l.lastASCII {
		l.tail = l.a
	}
	// A label neither starts nor ends with a hyphen: "-evil.com-" is
	// evil.com.
	l.a, l.end = trimHyphens(text, l.a, l.end)
	if l.tail < l.a || l.tail >= l.end { // "中-": the ASCII run was hyphens
		l.tail = l.a
	}
	if h.n == 0 {
		h.first = l
	} else if isTLD(text[l.a:l.end]) {
		h.tldA, h.tldEnd, h.tldUni, h.before = l.a, l.end, !l.ascii, h.prev
	}
	h.prev = l
	h.n++
	h.end = l.end
}

// trimHyphens trims hyphens (and invisible characters) from both ends of
// text[a:b].
func trimHyphens(text string, a, b int) (int, int) {
	for a < b {
		if c := text[a]; c < utf8.RuneSelf && c != '-' {
			break
		}
		r, size := utf8.DecodeRuneInString(text[a:b])
		if cls, c := hostRune(r, text[a:b]); cls != clsSkip && c != '-' {
			break
		}
		a += size
	}
	for a < b {
		if c := text[b-1]; c < utf8.RuneSelf && c != '-' {
			break
		}
		r, size := utf8.DecodeLastRuneInString(text[a:b])
		if cls, c := hostRune(r, text[b-size:b]); cls != clsSkip && c != '-' {
			break
		}
		b -= size
	}
	return a, b
}

// read reads one host from text[i:] into h, going on from what h holds
// (the zero hostScan starts one): labels joined by single dots. It returns where
// it stopped, and whether that is a character that is in no host (or the
// end of text) rather than a separator between two hosts ("..", a "。"
// that is no dot).
func (h *hostScan) read(text string, i int) (stop int, brk bool) {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		cls, c := hostRune(r, text[i:])
		switch cls {
		case clsBreak:
			h.closeLabel(text)
			return i, true
		case clsASCII, clsUni:
			if ascii := cls == clsASCII; h.n > 0 && h.cur.n > 0 && ascii != h.cur.ascii {
				// A label after the first is of one kind: "evil.com领红包"
				// ends with com, and the rest is read again.
				h.closeLabel(text)
				return i, false
			}
			h.cur.add(i, size, cls == clsASCII, c)
		case clsDot, clsStop:
			if cls == clsStop && (h.cur.n == 0 || !h.cur.lastASCII || !asciiNext(text, i+size)) {
				h.closeLabel(text)
				return i + size, false
			}
			if h.cur.n == 0 {
				if h.n > 0 {
					return i, false // "..": the next host starts at this dot
				}
				break // dots before a host are no part of it
			}
			h.closeLabel(text)
		}
		i += size
	}
	h.closeLabel(text)
	return len(text), true
}

// asciiNext reports whether the first visible character of text[i:] is
// clsASCII.
func asciiNext(text string, i int) bool {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch cls, _ := hostRune(r, text[i:]); cls {
		case clsSkip:
			i += size
		case clsASCII:
			return true
		default:
			return false
		}
	}
	return false
}

// link reports whether the host read is a link, and its bounds in text.
func (h *hostScan) link(text string) (a, b int, ok bool) {
	if h.n < 2 || h.first.a == h.first.end {
		return 0, 0, false
	}
	a = h.first.a
	scheme := strings.HasSuffix(text[:a], "://")
	if !scheme {
		a = h.first.tail
	}
	www := isWWW(text[a:h.first.end])
	if h.tldEnd == 0 {
		if scheme || www {
			return a, h.end, true
		}
		return 0, 0, false
	}
	b = h.tldEnd
	if scheme || www {
		return a, b, true
	}
	before := h.before
	if before.a < a { // the first label, cut
		before = label{a: a, n: utf8.RuneCountInString(text[a:before.end]), digits: isDigits(text[a:before.end])}
	}
	switch {
	case before.digits && (before.n == 1 || h.tldUni):
		return 0, 0, false // a list's numbering
	case email(text, a, b):
		return 0, 0, false
	case (b == len(text) || text[b] != '/') && isExtTLD(text[h.tldA:b]):
		return 0, 0, false // a file name
	}
	return a, b, true
}

// isWWW reports whether the label s, as written, is "www".
func isWWW(s string) bool {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		cls, c := hostRune(r, s[i:])
		i += size
		if cls == clsSkip {
			continue
		}
		if cls != clsASCII || c != 'w' || n == 3 {
			return false
		}
		n++
	}
	return n == 3
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isExtTLD(s string) bool {
	var buf [maxLabel]byte
	a, _ := aLabel(buf[:0], s)
	for _, t := range extTLDs {
		if string(a) == t {
			return true
		}
	}
	return false
}

// email reports whether the host text[a:b] is part of an e-mail address:
// the domain after "user@" (but not a URL's "://user@host"), or a local
// part right before "@".
func email(text string, a, b int) bool {
	if b < len(text) && text[b] == '@' {
		return true
	}
	if a < 2 || text[a-1] != '@' {
		return false
	}
	k := a - 1
	for k > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:k])
		if cls, _ := hostRune(r, text[k-size:]); cls != clsASCII && cls != clsDot && r != '_' && r != '+' && r != '%' {
			break
		}
		k -= size
	}
	return k < a-1 && !strings.HasSuffix(text[:k], "://")
}

// A linkScanner finds the links of a text in order (next).
type linkScanner struct {
	text string
	dots dotFinder
	i    int // where the next search starts
}

func newLinkScanner(text string) linkScanner {
	return linkScanner{text: text, dots: newDotFinder(text)}
}

// next finds the next link: text[start:end] is its host as written. ok is
// false when there is none. It allocates nothing, and a scan of a whole
// text reads each byte at most a few times: a run of host characters is
// read forward from its first dot, back to its start only when it may
// hold a link, forward again from there, and once more from a link's end.
func (s *linkScanner) next() (start, end int, ok bool) {
	text, i := s.text, s.i
	for {
		d := s.dots.next(i)
		if d < 0 {
			s.i = len(text)
			return 0, 0, false
		}
		// Most dots are in no link ("3.14", "好的。明天"): read on from the
		// dot first, as if the label before it were there, and read that
		// label only when a top-level domain after the dot, or "://" or
		// "www" before it, says that a link may be there.
		var h hostScan
		if cls := lastVisible(text, i, d); cls == clsASCII || cls == clsUni {
			h.cur = label{a: d, end: d, n: 1, ascii: cls == clsASCII, lastASCII: cls == clsASCII, tail: d}
		}
		stop, _ := h.read(text, d)
		if h.tldEnd == 0 && !wwwBefore(text, i, d) && !strings.Contains(text[i:d], "://") {
			i = stop
			continue
		}
		a := d
		for a > i {
			r, size := utf8.DecodeLastRuneInString(text[i:a])
			if cls, _ := hostRune(r, text[a-size:]); cls == clsBreak {
				break
			}
			a -= size
		}
		for {
			h = hostScan{}
			stop, brk := h.read(text, a)
			if start, end, ok := h.link(text); ok {
				s.i = end
				return start, end, true
			}
			if brk {
				i = stop
				break
			}
			a = stop
		}
	}
}

// lastVisible returns the class of the last character of text[i:d] that
// is not invisible, clsBreak when there is none.
func lastVisible(text string, i, d int) int {
	for d > i {
		r, size := utf8.DecodeLastRuneInString(text[i:d])
		if cls, _ := hostRune(r, text[d-size:]); cls != clsSkip {
			return cls
		}
		d -= size
	}
	return clsBreak
}

// wwwBefore reports whether the last three visible characters of
// text[i:d] are "www".
func wwwBefore(text string, i, d int) bool {
	n := 0
	for d > i && n < 3 {
		r, size := utf8.DecodeLastRuneInString(text[i:d])
		cls, c := hostRune(r, text[d-size:])
		d -= size
		if cls == clsSkip {
			continue
		}
		if cls != clsASCII || c != 'w' {
			return false
		}
		n++
	}
	return n == 3
}

// outsideLink reports whether text holds a link to a host outside the
// allowed domains. It costs one pass over the text (linkScanner)
// and allocates nothing.
func (e *Engine) outsideLink(text string) bool {
	_, outside := e.links(text)
	return outside
}

// links reports whether text holds a link to an allowed host (inside) and
// whether it holds one to any other host (outside), reading up to the
// first outside one.
func (e *Engine) links(text string) (inside, outside bool) {
	sc := newLinkScanner(text)
	for {
		a, b, ok := sc.next()
		if !ok {
			return inside, false
		}
		if !e.allowedHost(text[a:b]) {
			return inside, true
		}
		inside = true
	}
}

// allowedHost reports whether host, as linkScanner found it, is an allowed
// domain or a subdomain of one, label by label: "ｑｕｎｏｐｓ.cn" is
// qunops.cn, and "例子.com" is xn--fsqu00a.com (an internationalized
// allowed domain is written in punycode, as normDomain takes ASCII only).
func (e *Engine) allowedHost(host string) bool {
	for _, d := range e.domains {
		if within(host, d) {
			return true
		}
	}
	return false
}

// within reports whether host, as written, is the domain d (lowercase
// ASCII, as normDomain leaves it) or a subdomain of it.
func within(host, d string) bool {
	for {
		k := strings.LastIndexByte(d, '.')
		var l string
		host, l = cutLastLabel(host)
		var buf [maxLabel]byte
		if a, ok := aLabel(buf[:0], l); !ok || string(a) != d[k+1:] {
			return false
		}
		if k < 0 {
			return true
		}
		d = d[:k]
	}
}

// cutLastLabel splits host at its last dot of any form.
func cutLastLabel(host string) (rest, label string) {
	for j := len(host); j > 0; {
		r, size := utf8.DecodeLastRuneInString(host[:j])
		if cls, _ := hostRune(r, host[j-size:]); cls == clsDot || cls == clsStop {
			return host[:j-size], host[j:]
		}
		j -= size
	}
	return "", host
}

// allowedLinkMessage reports whether a message of kind "link" points inside
// the allowed domains: its text names at least one allowed host and no
// other link.
func (e *Engine) allowedLinkMessage(text string) bool {
	if len(e.domains) == 0 {
		return false
	}
	inside, outside := e.links(text)
	return inside && !outside
}
