package rules_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// TestF41Diff: the yearly review of the rules (seed F41) compares two
// versions of a policy and says what changed, by JSON key.
func TestF41Diff(t *testing.T) {
	base := rules.Policy{Version: "2025", Admins: []string{"a1", "a2"}, Warnable: []string{"代购", "加微信"},
		GroupNames: map[string]string{"g1": "宝妈群"},
		Replies:    []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}, {Name: "addr", Keywords: []string{"地址"}, Text: "人民路1号"}}}
	change := func(f func(p *rules.Policy)) rules.Policy {
		p := base
		p.Admins = append([]string(nil), base.Admins...)
		p.Warnable = append([]string(nil), base.Warnable...)
		p.Replies = append([]rules.AutoReply(nil), base.Replies...)
		p.GroupNames = map[string]string{"g1": "宝妈群"}
		f(&p)
		return p
	}
	cases := []struct {
		name string
		new  rules.Policy
		want []string
	}{
		{"the same policy", change(func(*rules.Policy) {}), nil},
		{"a default spelled out is no change", change(func(p *rules.Policy) { p.WarnLimit = 2; p.DisputeSLA = 15 * time.Minute }), nil},
		{"a number and the version", change(func(p *rules.Policy) { p.WarnLimit = 3; p.Version = "2026" }),
			[]string{`warn_limit: 2 → 3`, `version: "2025" → "2026"`}},
		{"a duration", change(func(p *rules.Policy) { p.WarnTTL = rules.Never }), []string{`warn_ttl: "720h" → "never"`}},
		{"F41 an admin joins the bench and one leaves", change(func(p *rules.Policy) { p.Admins = []string{"a2", "a3", "a4"} }),
			[]string{`admins: added "a3", "a4"; removed "a1"`}},
		{"F41 the ladder's order is a change", change(func(p *rules.Policy) { p.Admins = []string{"a2", "a1"} }),
			[]string{`admins: reordered ["a1","a2"] → ["a2","a1"]`}},
		{"a keyword list's order is not", change(func(p *rules.Policy) { p.Warnable = []string{"加微信", "代购"} }), nil},
		{"keywords added", change(func(p *rules.Policy) { p.Warnable = append(p.Warnable, "刷单"); p.Competitors = []string{"Acme"} }),
			[]string{`warnable: added "刷单"`, `competitors: added "Acme"`}},
		{"a reaction", change(func(p *rules.Policy) { p.TransferReaction = rules.ReactWarn }), []string{`transfer_reaction: "notify" → "warn"`}},
		{"a group renamed and one named", change(func(p *rules.Policy) { p.GroupNames = map[string]string{"g1": "宝妈二群", "g2": "新群"} }),
			[]string{`group_names[g1]: "宝妈群" → "宝妈二群"`, `group_names[g2]: added "新群"`}},
		{"a reply's text, another removed", change(func(p *rules.Policy) {
			p.Replies = []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "10点"}}
		}),
			[]string{`replies[hours]: {"name":"hours","keywords":["几点"],"text":"9点"} → {"name":"hours","keywords":["几点"],"text":"10点"}`,
				`replies[addr]: removed {"name":"addr","keywords":["地址"],"text":"人民路1号"}`}},
		{"replies reordered", change(func(p *rules.Policy) { p.Replies = []rules.AutoReply{base.Replies[1], base.Replies[0]} }),
			[]string{`replies: reordered ["hours","addr"] → ["addr","hours"]`}},
		{"a text and a reason", change(func(p *rules.Policy) {
			p.Texts = rules.Texts{Warn: "@{name} 警告", Reasons: map[string]string{rules.RuleLink: "不要发链接"}}
		}), []string{`texts.warn: added "@{name} 警告"`, `texts.reasons[link]: added "不要发链接"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, ch := range rules.Diff(base, c.new) {
				got = append(got, ch.String())
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
	// The fields of a change, not only its words.
	got := rules.Diff(base, change(func(p *rules.Policy) { p.Admins = append(p.Admins, "a3") }))
	if diff := cmp.Diff([]rules.Change{{Key: "admins", Added: []string{"a3"}}}, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

// TestF41DiffSymmetric: for random policies, the diff both ways has the
// same keys, adds what the other removes, and is empty from a policy to
// itself.
func TestF41DiffSymmetric(t *testing.T) {
	rapidPolicies(t, func(t *rapid.T, a, b rules.Policy) {
		if d := rules.Diff(a, a); d != nil {
			t.Fatalf("Diff(a, a) = %v", d)
		}
		ab, ba := rules.Diff(a, b), rules.Diff(b, a)
		if len(ab) != len(ba) {
			t.Fatalf("%d changes one way, %d the other:\n%v\n%v", len(ab), len(ba), ab, ba)
		}
		for i := range ab {
			x, y := ab[i], ba[i]
			if x.Key != y.Key || x.Old != y.New || x.New != y.Old || !cmp.Equal(x.Added, y.Removed) || !cmp.Equal(x.Removed, y.Added) {
				t.Fatalf("change %d: %+v one way, %+v the other", i, x, y)
			}
		}
	})
}

// rapidPolicies calls f with pairs of random policies drawn from small
// pools of admins, keywords, numbers and reactions.
func rapidPolicies(t *testing.T, f func(t *rapid.T, a, b rules.Policy)) {
	rapid.Check(t, func(t *rapid.T) {
		draw := func(label string) rules.Policy {
			return rules.Policy{
				Version:          rapid.SampledFrom([]string{"", "2025", "2026"}).Draw(t, label+"version"),
				Admins:           rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"a1", "a2", "a3"}), 0, 3, rapid.ID[string]).Draw(t, label+"admins"),
				Warnable:         rapid.SliceOfN(rapid.SampledFrom([]string{"代购", "加微信", "刷单"}), 0, 4).Draw(t, label+"warnable"),
				WarnLimit:        rapid.IntRange(0, 4).Draw(t, label+"limit"),
				TransferReaction: rules.Reaction(rapid.IntRange(0, 4).Draw(t, label+"transfer")),
				GroupNames:       rapid.MapOfN(rapid.SampledFrom([]string{"g1", "g2"}), rapid.SampledFrom([]string{"甲", "乙"}), 0, 2).Draw(t, label+"names"),
			}
		}
		f(t, draw("a"), draw("b"))
	})
}
