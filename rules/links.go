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
		host := strings.Trim(text[a:b], ".-")
		if isLink(text, a, host) && !e.allowedHost(host) {
			return true
		}
		i = b
	}
	return false
}

// isLink reports whether host, found at text[a:], looks like a link.
func isLink(text string, a int, host string) bool {
	if !strings.Contains(host, ".") {
		return false
	}
	if a >= 3 && text[a-3:a] == "://" {
		return true
	}
	if len(host) > 4 && strings.EqualFold(host[:4], "www.") {
		return true
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	for _, t := range linkTLDs {
		if strings.EqualFold(tld, t) {
			return true
		}
	}
	return false
}

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
