package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qunops/qunops/rules/keyword"
)

// WelcomeNamesMax is the most members a Welcome names, ours: a burst of
// joins (or a hostile one of 5,000) gets one welcome of at most this many
// names and "and N more", not a megabyte of names. Action.Members still
// lists every welcomed member.
const WelcomeNamesMax = 20

// nameMaxRunes is the longest display name the bot repeats, ours: WeChat
// caps group nicknames at 16 characters (32 in some clients); a longer
// "name" is a message in disguise.
const nameMaxRunes = 32

// setName records the display name of member id, as a join, rename or
// roster event gives it.
func (g *group) setName(id, name string) {
	if g.names == nil {
		g.names = map[string]string{}
	}
	if old, ok := g.names[id]; ok && old == name {
		return
	}
	g.names[strings.Clone(id)] = strings.Clone(name)
}

// nameOf returns what the texts call member id of group: its display name
// if known and safe to repeat (see displayName), else the id.
func (e *Engine) nameOf(group, id string) string {
	if g := e.groups[group]; g != nil {
		return e.displayName(g, id)
	}
	return id
}

// displayName returns the name of id in g, or id when the name is unknown
// or fails safeName.
func (e *Engine) displayName(g *group, id string) string {
	if n, ok := g.names[id]; ok && e.safeName(n) {
		return n
	}
	return id
}

// safeName reports whether the bot may repeat name in a group: a member
// controls their display name, and a name such as "加微信abc123领红包 evil.com"
// would otherwise be posted by the bot itself. A name is unsafe if it holds
// a prohibited or warnable keyword or an outside link (the rules a
// member's own message is held to), control or format characters (line
// breaks, bidi overrides such as U+202E that reorder the bot's text), or is
// longer than nameMaxRunes. It is checked when it is used, under the policy
// of the moment.
func (e *Engine) safeName(name string) bool {
	if utf8.RuneCountInString(name) > nameMaxRunes {
		return false
	}
	for _, r := range name {
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			return false
		}
	}
	if !e.off[idLink] && e.outsideLink(name) {
		return false
	}
	if e.kw != nil {
		var buf [8]keyword.Match
		for _, m := range e.kw.AppendAll(buf[:0], name, keyword.Overlapping) {
			if c := e.kwClass[m.Pattern]; c == classProhibited || c == classWarnable {
				return false
			}
		}
	}
	return true
}
