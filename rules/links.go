package rules

import "strings"

// A link, for the link rule (seed F6), is a host name in a text that is
// preceded by "://", starts with "www.", or ends in one of the top-level
// domains below, such as "t.cn/abc" or "Example.COM". Hosts written with
// full-width dots or spelled out ("example dot com") are not found: list
// such spellings as Warnable keywords.
var linkTLDs = [...]string{
	"com", "cn", "net", "org", "info", "io", "me", "co", "cc", "tv", "top", "xyz", "vip", "shop",
	"site", "club", "online", "app", "link", "ly", "gl", "im", "so", "biz", "asia", "hk", "tw",
	"us", "uk", "jp", "kr", "ru", "de", "fun", "ink", "wang", "live", "store", "tech", "icu",
}

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// outsideLink reports whether text holds a link to a host outside the
// allowed domains. It costs one pass over the text and allocates nothing.
func (e *Engine) outsideLink(text string) bool {
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '.')
		if j < 0 {
			return false
		}
		dot := i + j
		a, b := dot, dot+1
		for a > 0 && isHostByte(text[a-1]) {
			a--
		}
		for b < len(text) && isHostByte(text[b]) {
			b++
		}
		ha, hb := a, b // the host: trimmed of dots and dashes
		for ha < hb && (text[ha] == '.' || text[ha] == '-') {
			ha++
		}
		for hb > ha && (text[hb-1] == '.' || text[hb-1] == '-') {
			hb--
		}
		host := text[ha:hb]
		if isLink(text, a, host) && !e.allowedHost(host) {
			return true
		}
		i = b
	}
	return false
}

// isLink reports whether host, found at text[a:], looks like a link.
func isLink(text string, a int, host string) bool {
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 {
		return false
	}
	if a >= 3 && text[a-3:a] == "://" {
		return true
	}
	if len(host) > 4 && strings.EqualFold(host[:4], "www.") {
		return true
	}
	return isTLD(host[dot+1:])
}

// isTLD reports whether s is one of linkTLDs, in any case. It lowercases s
// into a small buffer and compares, so that "3.14" or "好.的" cost a length
// check.
func isTLD(s string) bool {
	var buf [maxTLD]byte
	if len(s) < 2 || len(s) > maxTLD {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			return false // a TLD is letters only
		}
		buf[i] = c
	}
	low := buf[:len(s)]
	for _, t := range linkTLDs {
		if string(low) == t {
			return true
		}
	}
	return false
}

// maxTLD is the length of the longest of linkTLDs.
const maxTLD = 6

// allowedHost reports whether host is an allowed domain or a subdomain of
// one.
func (e *Engine) allowedHost(host string) bool {
	for _, d := range e.domains {
		if len(host) == len(d) && strings.EqualFold(host, d) {
			return true
		}
		if len(host) > len(d) && host[len(host)-len(d)-1] == '.' && strings.EqualFold(host[len(host)-len(d):], d) {
			return true
		}
	}
	return false
}

// allowedLinkMessage reports whether a message of kind "link" points inside
// the allowed domains: its text names at least one allowed host and no
// other.
func (e *Engine) allowedLinkMessage(text string) bool {
	if len(e.domains) == 0 || e.outsideLink(text) {
		return false
	}
	for _, d := range e.domains {
		if containsFold(text, d) {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
