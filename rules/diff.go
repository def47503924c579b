package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Change is one difference between two policies, as Diff reports it. Key
// is the setting's JSON key, stable across versions of this package; an
// entry of a map or of the replies carries its key in brackets:
// "group_names[g1]", "replies[hours]", "texts.reasons[link]". A list of
// words (admins, keywords, domains, rules switched off) gives the words
// Added and Removed; any other setting gives its Old and New JSON values,
// "" for absent.
type Change struct {
	Key            string
	Old, New       string
	Added, Removed []string
}

// String says the change in English words, keeping the key:
//
//	warn_limit: 2 → 3
//	admins: added "a4"; removed "a1"
//	admins: reordered ["a1","a2"] → ["a2","a1"]
//	replies[hours]: added
func (c Change) String() string {
	var parts []string
	if len(c.Added) > 0 {
		parts = append(parts, "added "+quoteAll(c.Added))
	}
	if len(c.Removed) > 0 {
		parts = append(parts, "removed "+quoteAll(c.Removed))
	}
	switch {
	case len(parts) > 0:
	case c.Old == "":
		parts = append(parts, "added "+c.New)
	case c.New == "":
		parts = append(parts, "removed "+c.Old)
	case c.Added == nil && c.Removed == nil && isList(c.Old):
		parts = append(parts, "reordered "+c.Old+" → "+c.New)
	default:
		parts = append(parts, c.Old+" → "+c.New)
	}
	return c.Key + ": " + strings.Join(parts, "; ")
}

func quoteAll(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return strings.Join(q, ", ")
}

func isList(s string) bool { return strings.HasPrefix(s, "[") }

// Diff lists what changed from old to new, for the yearly review of the
// rules (seed F41: 群规迭代, rules reviewed every year with the members'
// feedback), in the order of the policy's JSON keys; nil when the two
// policies act the same. Zero fields are compared as the defaults they
// stand for, so a policy that spells out a default differs in nothing from
// one that leaves it out. A list's order is a change only where it counts
// (admins, the dispute ladder; replies, tried in order); Policy.Version
// is compared like any setting. Neither policy is validated.
func Diff(old, new Policy) []Change {
	a, b := policyMap(old), policyMap(new)
	var out []Change
	for _, key := range policyKeys() {
		x, y := a[key], b[key]
		if bytes.Equal(x, y) {
			continue
		}
		switch key {
		case "group_names":
			out = append(out, diffMap(key, x, y)...)
		case "texts":
			out = append(out, diffTexts(x, y)...)
		case "replies":
			out = append(out, diffReplies(x, y)...)
		default:
			var xs, ys []string
			if json.Unmarshal(orNull(x), &xs) == nil && json.Unmarshal(orNull(y), &ys) == nil && (xs != nil || ys != nil) {
				c := Change{Key: key, Added: minus(ys, xs), Removed: minus(xs, ys)}
				if c.Added == nil && c.Removed == nil { // the same words in another order
					if key != "admins" {
						continue
					}
					c.Old, c.New = string(x), string(y)
				}
				out = append(out, c)
				continue
			}
			out = append(out, Change{Key: key, Old: string(x), New: string(y)})
		}
	}
	return out
}

func orNull(b json.RawMessage) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return b
}

// minus returns the words of a not in b, counting repeats, in a's order.
func minus(a, b []string) []string {
	left := slices.Clone(b)
	var out []string
	for _, w := range a {
		if i := slices.Index(left, w); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		out = append(out, w)
	}
	return out
}

// policyMap is p, defaults filled in, as its JSON object.
func policyMap(p Policy) map[string]json.RawMessage {
	b, err := json.Marshal(clonePolicy(p).withDefaults())
	if err != nil {
		return nil // only a Reaction out of range fails; Diff compares what it can
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}

// policyKeys lists the JSON keys of a policy in the order of policyJSON.
func policyKeys() []string {
	t := reflect.TypeFor[policyJSON]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get("json"), ",")
	}
	return keys
}

// diffMap compares two JSON objects of strings entry by entry.
func diffMap(key string, x, y json.RawMessage) []Change {
	var a, b map[string]string
	_ = json.Unmarshal(orNull(x), &a)
	_ = json.Unmarshal(orNull(y), &b)
	var out []Change
	for _, k := range slices.Sorted(maps.Keys(mergeKeys(a, b))) {
		if va, vb := a[k], b[k]; va != vb {
			c := Change{Key: fmt.Sprintf("%s[%s]", key, k)}
			if _, ok := a[k]; ok {
				c.Old = quote(va)
			}
			if _, ok := b[k]; ok {
				c.New = quote(vb)
			}
			out = append(out, c)
		}
	}
	return out
}

func mergeKeys[V any](a, b map[string]V) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// diffTexts compares the texts field by field, and the reasons by rule.
func diffTexts(x, y json.RawMessage) []Change {
	var a, b map[string]json.RawMessage
	_ = json.Unmarshal(orNull(x), &a)
	_ = json.Unmarshal(orNull(y), &b)
	var out []Change
	t := reflect.TypeFor[textsJSON]()
	for i := range t.NumField() {
		k, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if bytes.Equal(a[k], b[k]) {
			continue
		}
		if k == "reasons" {
			out = append(out, diffMap("texts.reasons", a[k], b[k])...)
			continue
		}
		out = append(out, Change{Key: "texts." + k, Old: string(a[k]), New: string(b[k])})
	}
	return out
}

// diffReplies compares the replies by key (AutoReply.Name, or the
// keywords), then their order.
func diffReplies(x, y json.RawMessage) []Change {
	var a, b []replyJSON
	_ = json.Unmarshal(orNull(x), &a)
	_ = json.Unmarshal(orNull(y), &b)
	keyOf := func(r replyJSON) string { return replyKey(AutoReply(r)) }
	find := func(rs []replyJSON, k string) (replyJSON, bool) {
		i := slices.IndexFunc(rs, func(r replyJSON) bool { return keyOf(r) == k })
		if i < 0 {
			return replyJSON{}, false
		}
		return rs[i], true
	}
	var out []Change
	var order []string
	for _, r := range a {
		order = append(order, keyOf(r))
	}
	for _, r := range b {
		if !slices.Contains(order, keyOf(r)) {
			order = append(order, keyOf(r))
		}
	}
	for _, k := range order {
		ra, inA := find(a, k)
		rb, inB := find(b, k)
		c := Change{Key: "replies[" + k + "]"}
		if inA {
			j, _ := json.Marshal(ra)
			c.Old = string(j)
		}
		if inB {
			j, _ := json.Marshal(rb)
			c.New = string(j)
		}
		if c.Old != c.New {
			out = append(out, c)
		}
	}
	// Replies are tried in order: a new order of the same replies is a change.
	var ka, kb []string
	for _, r := range a {
		ka = append(ka, keyOf(r))
	}
	for _, r := range b {
		kb = append(kb, keyOf(r))
	}
	common := func(ks, other []string) []string {
		return slices.DeleteFunc(slices.Clone(ks), func(k string) bool { return !slices.Contains(other, k) })
	}
	if ca, cb := common(ka, kb), common(kb, ka); !slices.Equal(ca, cb) {
		ja, _ := json.Marshal(ca)
		jb, _ := json.Marshal(cb)
		out = append(out, Change{Key: "replies", Old: string(ja), New: string(jb)})
	}
	return out
}
