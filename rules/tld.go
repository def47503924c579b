package rules

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"
)

// tldData is the IANA root zone's list of top-level domains; its header
// says where it comes from and how to refresh it.
//
//go:embed testdata/tlds.txt
var tldData string

// tlds holds every top-level domain of tldData as its A-label: lowercase
// ASCII, internationalized ones in punycode ("xn--fiqs8s" for 中国). It is
// built once, when the package loads, and only read after. maxTLDRunes is
// the most characters a top-level domain has in its written form: a longer
// label is rejected before it is encoded.
var tlds, maxTLDRunes = mustTLDs(tldData)

// maxLabel is the longest label DNS allows, in bytes of its A-label (RFC
// 1035 section 2.3.4).
const maxLabel = 63

func mustTLDs(data string) (map[string]struct{}, int) {
	m, most, err := parseTLDs(data)
	if err != nil {
		panic(err) // the data is embedded, and TestTLDData loads it
	}
	return m, most
}

// parseTLDs reads a list of top-level domains, one a line, "#" comments
// and blank lines skipped, each stored as its A-label. most is the most
// characters of one as written.
func parseTLDs(data string) (m map[string]struct{}, most int, err error) {
	m = make(map[string]struct{}, 1500)
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		var rs [maxLabel]rune
		k, wide, ok := foldLabel(&rs, line)
		var buf [maxLabel]byte
		a, fits := encodeLabel(buf[:0], rs[:k], wide)
		if !ok || !fits || k < 2 || strings.ContainsRune(line, '-') && !strings.HasPrefix(line, "xn--") {
			return nil, 0, fmt.Errorf("rules: tlds: line %d: %q is not a top-level domain", n+1, line)
		}
		m[string(a)] = struct{}{}
		most = max(most, k)
	}
	return m, most, nil
}

// isTLD reports whether the label s, as written (any case, full-width or
// internationalized, invisible characters ignored), is a top-level domain
// of the IANA root zone. It allocates nothing.
func isTLD(s string) bool {
	if s == "" || s[0] < utf8.RuneSelf && (s[0]|0x20 < 'a' || s[0]|0x20 > 'z') {
		return false // a top-level domain starts with a letter: "3.14" costs this much
	}
	var rs [maxLabel]rune
	n, wide, ok := foldLabel(&rs, s)
	if !ok || n < 2 || n > maxTLDRunes {
		return false
	}
	var buf [maxLabel]byte
	a, ok := encodeLabel(buf[:0], rs[:n], wide)
	if !ok {
		return false
	}
	_, ok = tlds[string(a)]
	return ok
}

// aLabel appends to dst (whose capacity bounds the result) the A-label of
// the label s as written (foldLabel, encodeLabel). It reports false when s
// holds a character that cannot be in a label or the result does not fit.
func aLabel(dst []byte, s string) ([]byte, bool) {
	var rs [maxLabel]rune
	n, wide, ok := foldLabel(&rs, s)
	if !ok {
		return dst, false
	}
	return encodeLabel(dst, rs[:n], wide)
}

// foldLabel puts into rs the characters of the label s as written, folded
// by hostRune: lowercase, full-width and compatibility forms as ASCII,
// invisible ones dropped. n is their count, wide whether any is not ASCII.
// It reports false when s is empty, holds a character that cannot be in a
// label, or holds more than a label's 63.
func foldLabel(rs *[maxLabel]rune, s string) (n int, wide, ok bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		cls, c := hostRune(r, s[i:])
		i += size
		switch cls {
		case clsSkip:
			continue
		case clsASCII:
		case clsUni:
			wide = true
		default:
			return 0, false, false
		}
		if n == len(rs) {
			return 0, false, false
		}
		rs[n] = c
		n++
	}
	return n, wide, n > 0
}

// encodeLabel appends to dst, within its capacity, the A-label of the
// folded label rs: rs itself when it is ASCII (wide false), else "xn--"
// and its punycode.
func encodeLabel(dst []byte, rs []rune, wide bool) ([]byte, bool) {
	if !wide {
		if len(rs) > cap(dst)-len(dst) {
			return dst, false
		}
		for _, c := range rs {
			dst = append(dst, byte(c))
		}
		return dst, true
	}
	if cap(dst)-len(dst) < 4 {
		return dst, false
	}
	return punycode(append(dst, "xn--"...), rs)
}

// Punycode's parameters (RFC 3492 section 5).
const (
	pcBase = 36
	pcTMin = 1
	pcTMax = 26
	pcSkew = 38
	pcDamp = 700
	pcBias = 72
	pcN    = 0x80
)

// punycode appends the Punycode encoding of src (RFC 3492 section 6.3) to
// dst, within dst's capacity: the basic (ASCII) code points in order, a
// "-" when there were any, then the others as generalized variable-length
// integers. It reports false when the result does not fit or src holds an
// invalid code point. It allocates nothing.
//
// src is at most a label long (63 runes), so delta stays far below
// overflow: at most 0x10FFFF * 64 per step.
func punycode(dst []byte, src []rune) ([]byte, bool) {
	basic := 0
	for _, r := range src {
		if r < 0 || r > utf8.MaxRune {
			return dst, false
		}
		if r < pcN {
			basic++
		}
	}
	room := cap(dst) - len(dst)
	if basic > 0 {
		room--
	}
	if room < basic {
		return dst, false
	}
	for _, r := range src {
		if r < pcN {
			dst = append(dst, byte(r))
		}
	}
	if basic > 0 {
		dst = append(dst, '-')
	}
	n, delta, bias := rune(pcN), 0, pcBias
	for h := basic; h < len(src); {
		m := rune(utf8.MaxRune + 1) // the smallest code point not handled yet
		for _, r := range src {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range src {
			if r < n {
				delta++
				continue
			}
			if r > n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := min(max(k-bias, pcTMin), pcTMax)
				if q < t {
					break
				}
				if len(dst) == cap(dst) {
					return dst, false
				}
				dst = append(dst, pcDigit(t+(q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			if len(dst) == cap(dst) {
				return dst, false
			}
			dst = append(dst, pcDigit(q))
			bias = pcAdapt(delta, h+1, h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return dst, true
}

// pcDigit is the basic code point of the digit d in 0..35: a-z, then 0-9.
func pcDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// pcAdapt is the bias adaptation function of RFC 3492 section 6.1.
func pcAdapt(delta, points int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (pcBase-pcTMin)*pcTMax/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}
