package report

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/sample"
	"pgregory.net/rapid"
)

// TestParseGroupsExample reads the groups file of the sample month that the
// README's command uses, and checks it against what its text says.
func TestParseGroupsExample(t *testing.T) {
	data, err := os.ReadFile("../testdata/groups.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseGroups(data)
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	want := Options{
		Default: GroupOptions{Kind: metrics.Interest},
		Groups: map[string]GroupOptions{
			"20001@chatroom": {Name: "售后服务群", Kind: metrics.Service, Exclude: []string{"wxid_admin1"}},
			"20002@chatroom": {Name: "福利群", Kind: metrics.Perks, Exclude: []string{"wxid_admin2"},
				Campaigns: []string{"coupon-0306", "coupon-0313", "coupon-0320", "coupon-0327"}},
			"20003@chatroom": {Name: "跑步兴趣群", Kind: metrics.Interest, Exclude: []string{"wxid_admin3"}, Zone: berlin},
		},
	}
	if diff := cmp.Diff(want, got, zoneByName); diff != "" {
		t.Errorf("testdata/groups.json (-want +got):\n%s", diff)
	}
	// The sample's groups keep the kinds the sample gives them (seed F1).
	for _, g := range sample.Groups() {
		if k := got.Groups[g.ID].Kind; k != g.Kind {
			t.Errorf("%s: kind %v in the file, %v in the sample", g.ID, k, g.Kind)
		}
	}
}

// zoneByName compares zones by name, as the SDK tells them apart.
var zoneByName = cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })

// TestParseGroupsRejects: every kind of bad groups file is an error that
// starts with "report: groups file: " and names the key's path.
func TestParseGroupsRejects(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not JSON", `{"groups":`, "line 1: unexpected end of JSON input"},
		{"syntax error on line 3", "{\n  \"groups\": {\n    \"g\": {\"kind\": \"perks\",}\n  }\n}", "line 3: invalid character '}'"},
		{"empty file", "", "line 1: unexpected end of JSON input"},
		{"not an object", `["20001@chatroom"]`, "cannot use JSON array"},
		{"data after the object", "{}\n{}", "line 2: invalid character '{' after top-level value"},
		{"unknown top key", `{"group":{}}`, `unknown key "group"`},
		{"wrong case", `{"Groups":{}}`, `unknown key "Groups"`},
		{"duplicate top key", `{"groups":{},"groups":{}}`, `duplicate key "groups"`},
		{"duplicate group", `{"groups":{"g":{},"g":{"kind":"perks"}}}`, `groups: duplicate key "g"`},
		{"unknown group key", `{"groups":{"g":{"exlude":["a"]}}}`, `groups.g: unknown key "exlude"`},
		{"unknown zone", `{"groups":{"g":{"zone":"Mars/Base"}}}`, `groups["g"].zone: unknown time zone "Mars/Base"`},
		{"misspelt zone", `{"groups":{"g":{"zone":"Asia/Shangai"}}}`, `groups["g"].zone: unknown time zone "Asia/Shangai"`},
		{"zone outside the database", `{"groups":{"g":{"zone":"../../etc/passwd"}}}`, `groups["g"].zone: unknown time zone "../../etc/passwd"`},
		{"empty zone", `{"groups":{"g":{"zone":""}}}`, `groups["g"].zone: empty zone name`},
		{"the machine's zone", `{"groups":{"g":{"zone":"Local"}}}`, `groups["g"].zone: "Local" is the zone of the machine`},
		{"zone as an offset", `{"groups":{"g":{"zone":8}}}`, "groups.g.zone"},
		{"unknown default zone", `{"default":{"zone":"Mars/Base"}}`, `default.zone: unknown time zone "Mars/Base"`},
		{"duplicate zone key", `{"groups":{"g":{"zone":"UTC","zone":"UTC"}}}`, `groups.g: duplicate key "zone"`},
		{"first bad zone by id", `{"groups":{"b":{"zone":"X/B"},"a":{"zone":"X/A"}}}`, `groups["a"].zone: unknown time zone "X/A"`},
		{"duplicate group key", `{"groups":{"g":{"kind":"perks","kind":"service"}}}`, `groups.g: duplicate key "kind"`},
		{"unknown kind", `{"groups":{"g":{"kind":"club"}}}`, `"club"`},
		{"kind lists the valid ones", `{"default":{"kind":"club"}}`, "notice"},
		{"kind as a number", `{"groups":{"g":{"kind":2}}}`, "groups.g.kind"},
		{"exclude not a list", `{"groups":{"g":{"exclude":"wxid_admin1"}}}`, "exclude"},
		{"empty member id", `{"groups":{"g":{"exclude":["a",""]}}}`, `groups["g"].exclude[1]: empty member id`},
		{"repeated member id", `{"groups":{"g":{"exclude":["a","b","a"]}}}`, `groups["g"].exclude[2]: "a" is repeated`},
		{"empty default member id", `{"default":{"exclude":[""]}}`, `default.exclude[0]: empty member id`},
		{"empty item", `{"groups":{"g":{"campaigns":[""]}}}`, `groups["g"].campaigns[0]: empty item`},
		{"repeated item", `{"groups":{"g":{"campaigns":["c1","c1"]}}}`, `groups["g"].campaigns[1]: "c1" is repeated`},
		{"name in the default", `{"default":{"name":"福利群"}}`, `default.name: "福利群": a display name belongs to one group`},
		{"empty group id", `{"groups":{"":{"kind":"perks"}}}`, `groups[""]: empty group id`},
		{"name not a string", `{"groups":{"g":{"name":7}}}`, "groups.g.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseGroups([]byte(tc.in))
			if err == nil || !strings.HasPrefix(err.Error(), "report: groups file: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseGroups(%s): %v, want an error naming %s", tc.in, err, tc.want)
			}
			if o.Default.Kind != 0 || o.Groups != nil {
				t.Errorf("a failed ParseGroups returned settings: %+v", o)
			}
		})
	}
}

// TestGroupOptionsValidate: Options.Validate names each bad group setting
// by its JSON path, as a groups file would, and New refuses it.
func TestGroupOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string // "" for valid
	}{
		{"every kind", Options{Default: GroupOptions{Kind: metrics.Notice}, Groups: map[string]GroupOptions{
			"a": {Kind: metrics.Service}, "b": {Kind: metrics.Perks}, "c": {Kind: metrics.Interest}}}, ""},
		{"no campaigns", Options{Default: GroupOptions{Campaigns: []string{}}}, ""},
		{"kind", Options{Groups: map[string]GroupOptions{"g": {Kind: 5}}}, `report: options: groups["g"].kind: 5 is not a group kind`},
		{"default kind", Options{Default: GroupOptions{Kind: -1}}, "report: options: default.kind: -1 is not a group kind"},
		{"default name", Options{Default: GroupOptions{Name: "x"}}, `report: options: default.name: "x": a display name belongs to one group`},
		{"empty group id", Options{Groups: map[string]GroupOptions{"": {}}}, `report: options: groups[""]: empty group id`},
		{"exclude", Options{Groups: map[string]GroupOptions{"g": {Exclude: []string{""}}}}, `report: options: groups["g"].exclude[0]: empty member id`},
		{"default exclude", Options{Default: GroupOptions{Exclude: []string{"a", "a"}}}, `report: options: default.exclude[1]: "a" is repeated`},
		{"campaigns", Options{Groups: map[string]GroupOptions{"g": {Campaigns: []string{"c", ""}}}}, `report: options: groups["g"].campaigns[1]: empty item`},
		{"first group by id", Options{Groups: map[string]GroupOptions{"b": {Kind: 9}, "a": {Kind: 8}}}, `report: options: groups["a"].kind: 8 is not a group kind`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if err := tc.o.Validate(); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate: %q, want %q", got, tc.want)
			}
			if _, err := New(tc.o); (err == nil) != (tc.want == "") {
				t.Errorf("New: %v, want the error of Validate", err)
			}
		})
	}
}

// TestOptionsJSONGroups: the group settings round-trip through Options'
// JSON, a nil campaign list (every broadcast) and an empty one (none)
// kept apart; the "default" and "groups" keys alone are a groups file.
func TestOptionsJSONGroups(t *testing.T) {
	o := Options{Default: GroupOptions{Exclude: []string{"wxid_export"}, Campaigns: []string{}},
		Groups: map[string]GroupOptions{"g": {Name: "福利群", Kind: metrics.Perks, Exclude: []string{"wxid_admin2"}, Campaigns: []string{"coupon-0306"}},
			"h": {Kind: metrics.Notice}}}
	const want = `{"default":{"exclude":["wxid_export"],"campaigns":[]},"groups":{"g":{"name":"福利群","kind":"perks","exclude":["wxid_admin2"],"campaigns":["coupon-0306"]},"h":{"kind":"notice"}}}`
	b, err := json.Marshal(o)
	if err != nil || string(b) != want {
		t.Fatalf("Marshal: %s (%v), want %s", b, err, want)
	}
	var back Options
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Default.equal(o.Default) || back.Default.Campaigns == nil || back.Groups["h"].Campaigns != nil ||
		!back.Groups["g"].equal(o.Groups["g"]) || !back.Groups["h"].equal(o.Groups["h"]) {
		t.Errorf("read back %+v, want %+v", back, o)
	}
	file, err := ParseGroups(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, file); diff != "" {
		t.Errorf("the groups file of the same JSON (-options +file):\n%s", diff)
	}
}

// TestGroupResolution: a group's kind, campaigns and zone fall back to the
// default's (the zone then to Options.Location), its excluded members add
// to the default's.
func TestGroupResolution(t *testing.T) {
	east, west := time.FixedZone("UTC+3", 3*3600), time.FixedZone("UTC-4", -4*3600)
	o := Options{Location: time.UTC, Default: GroupOptions{Kind: metrics.Perks, Exclude: []string{"bot", "me"}, Campaigns: []string{"c1"}},
		Groups: map[string]GroupOptions{
			"own":  {Name: "自己的", Kind: metrics.Service, Exclude: []string{"admin", "bot"}, Campaigns: []string{}, Zone: east},
			"bare": {Name: "只有名字"},
		}}.resolved()
	for _, tc := range []struct {
		group string
		want  GroupOptions
	}{
		{"own", GroupOptions{Name: "自己的", Kind: metrics.Service, Exclude: []string{"admin", "bot", "me"}, Campaigns: []string{}, Zone: east}},
		{"bare", GroupOptions{Name: "只有名字", Kind: metrics.Perks, Exclude: []string{"bot", "me"}, Campaigns: []string{"c1"}, Zone: time.UTC}},
		{"unlisted", GroupOptions{Kind: metrics.Perks, Exclude: []string{"bot", "me"}, Campaigns: []string{"c1"}, Zone: time.UTC}},
	} {
		if got := o.group(tc.group); !got.equal(tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.group, got, tc.want)
		}
	}
	// A default zone stands for Options.Location in every group without one.
	o.Default.Zone = west
	for group, want := range map[string]*time.Location{"own": east, "bare": west, "unlisted": west} {
		if got := o.group(group).Zone; got != want {
			t.Errorf("with a default zone, %s: zone %v, want %v", group, got, want)
		}
	}
	if z := (Options{}).resolved().group("x").Zone; z != qunops.DefaultLocation() {
		t.Errorf("the default zone is %v, want Asia/Shanghai", z)
	}
	if k := (Options{}).resolved().kindOf("x"); k != metrics.Interest {
		t.Errorf("the default kind is %v, want interest", k)
	}
}

// perksEvents are the sample's events of its perks group.
func perksEvents() []qunops.Event {
	var out []qunops.Event
	for _, e := range sample.Events() {
		if e.Group == "20002@chatroom" {
			out = append(out, e)
		}
	}
	return out
}

// reportOf builds the report of events under o and returns its only group.
func reportOf(t *testing.T, events []qunops.Event, o Options) Group {
	t.Helper()
	b := mustNew(t, o)
	addAll(t, b, events)
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 1 {
		t.Fatalf("%d groups, want 1", len(rep.Groups))
	}
	return rep.Groups[0]
}

func verdict(t *testing.T, g Group, metric string) metrics.Verdict {
	t.Helper()
	for _, v := range g.Verdicts {
		if v.Metric == metric {
			return v
		}
	}
	t.Fatalf("%s: no %s verdict in %v", g.Group, metric, g.Verdicts)
	return metrics.Verdict{}
}

// TestIssue21UnclaimedBroadcastLowersF3: a coupon that nobody claims (nor
// reads) is still a campaign: it adds its recipients to the denominator of
// the perks group's response (F3) and nothing to its numerator, whether
// campaigns are every broadcast or a list that names it, and the report
// counts one campaign more. The recipients come from metrics.Tracker's
// Broadcasts on the same log, the reference for reach (F27), which must
// count the same broadcast.
func TestIssue21UnclaimedBroadcastLowersF3(t *testing.T) {
	events := perksEvents()
	coupon := qunops.Event{Type: qunops.Message, Group: "20002@chatroom", Member: "wxid_admin2", Kind: qunops.KindText,
		Text: "限时福利：满200减50", Item: "coupon-0331", ID: "test:unclaimed",
		Time: time.Date(2026, 3, 31, 20, 0, 0, 0, qunops.DefaultLocation())}
	withCoupon := append(slices.Clone(events), coupon)

	tr := metrics.NewTracker(nil)
	for _, e := range withCoupon {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	bs, err := tr.Broadcasts("20002@chatroom", metrics.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recipients := -1
	for _, b := range bs {
		if b.Item == coupon.Item {
			recipients = b.Recipients
		}
	}
	if recipients < 100 {
		t.Fatalf("the coupon reached %d members; the sample's perks group has about 190", recipients)
	}

	coupons := []string{"coupon-0306", "coupon-0313", "coupon-0320", "coupon-0327"}
	for _, tc := range []struct {
		name      string
		campaigns []string
	}{
		{"every broadcast", nil},
		{"listed", append(slices.Clone(coupons), coupon.Item)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Default: GroupOptions{Kind: metrics.Perks, Campaigns: tc.campaigns}}
			before, after := reportOf(t, events, o), reportOf(t, withCoupon, o)
			vb, va := verdict(t, before, metrics.MetricResponse), verdict(t, after, metrics.MetricResponse)
			if va.Value.Num != vb.Value.Num || va.Value.Den != vb.Value.Den+int64(recipients) {
				t.Errorf("F3 %d/%d after an unclaimed coupon to %d members, want %d/%d",
					va.Value.Num, va.Value.Den, recipients, vb.Value.Num, vb.Value.Den+int64(recipients))
			}
			if va.Value.Cmp(vb.Value) >= 0 {
				t.Errorf("F3 did not drop: %v then %v", vb.Value, va.Value)
			}
			if len(after.Campaigns) != len(before.Campaigns)+1 || after.Campaigns[len(after.Campaigns)-1] != coupon.Item {
				t.Errorf("campaigns %v then %v, want the coupon added last", before.Campaigns, after.Campaigns)
			}
			if after.Broadcasts != before.Broadcasts+1 || after.Broadcasts != len(bs) {
				t.Errorf("broadcasts %d then %d, want one more, %d", before.Broadcasts, after.Broadcasts, len(bs))
			}
			// Reach counts the same broadcast: its recipients, none of
			// whom read it.
			rb, ra := verdict(t, before, metrics.MetricReach), verdict(t, after, metrics.MetricReach)
			if ra.Value.Num != rb.Value.Num || ra.Value.Den != rb.Value.Den+int64(recipients) {
				t.Errorf("F27 %v then %v, want the coupon's %d recipients added", rb.Value, ra.Value, recipients)
			}
		})
	}
	// A list that leaves the coupon out leaves F3 alone.
	o := Options{Default: GroupOptions{Kind: metrics.Perks, Campaigns: coupons}}
	if vb, va := verdict(t, reportOf(t, events, o), metrics.MetricResponse), verdict(t, reportOf(t, withCoupon, o), metrics.MetricResponse); va.Value != vb.Value {
		t.Errorf("F3 moved from %v to %v for a broadcast that is not a listed campaign", vb.Value, va.Value)
	}
}

// TestIssue21ExcludeAdminsActivity: leaving the admins of
// testdata/groups.json out of the sample's groups takes exactly their
// member-days out of each group's activity denominator (F25) and their
// speaking days out of its numerator, day by day and over the period; both
// counts come from the raw events.
func TestIssue21ExcludeAdminsActivity(t *testing.T) {
	data, err := os.ReadFile("../testdata/groups.json")
	if err != nil {
		t.Fatal(err)
	}
	file, err := ParseGroups(data)
	if err != nil {
		t.Fatal(err)
	}
	loc := qunops.DefaultLocation()
	for _, sg := range sample.Groups() {
		t.Run(sg.ID, func(t *testing.T) {
			admins := file.Groups[sg.ID].Exclude
			if len(admins) == 0 {
				t.Fatal("testdata/groups.json leaves nobody out of the group")
			}
			var events []qunops.Event
			spoke := map[string]map[string]bool{} // day -> admins who spoke
			for _, e := range sample.Events() {
				if e.Group != sg.ID {
					continue
				}
				events = append(events, e)
				if !slices.Contains(admins, e.Member) {
					continue
				}
				switch e.Type {
				case qunops.Leave, qunops.Join:
					t.Fatalf("%s has a %s event; this test counts member-days of admins who never leave", e.Member, e.Type)
				case qunops.Message:
					day := e.Time.In(loc).Format(time.DateOnly)
					if spoke[day] == nil {
						spoke[day] = map[string]bool{}
					}
					spoke[day][e.Member] = true
				}
			}
			all := reportOf(t, events, Options{Default: GroupOptions{Kind: sg.Kind}})
			staffless := reportOf(t, events, Options{Groups: map[string]GroupOptions{sg.ID: {Kind: sg.Kind, Exclude: admins}}})
			if len(all.Days) != len(staffless.Days) {
				t.Fatalf("%d days, %d without the admins", len(all.Days), len(staffless.Days))
			}
			// The admins are on the roster from the first day and never
			// leave: members on every day of the log.
			memberDays, speakerDays := int64(len(admins)*len(all.Days)), int64(0)
			for i, d := range all.Days {
				s, spoken := staffless.Days[i], len(spoke[d.Date.Format(time.DateOnly)])
				speakerDays += int64(spoken)
				if s.Members != d.Members-len(admins) || s.Speakers != d.Speakers-spoken || s.Messages != d.Messages {
					t.Errorf("%s: %d members, %d speakers, %d messages without the admins; want %d, %d, %d",
						d.Date.Format(time.DateOnly), s.Members, s.Speakers, s.Messages, d.Members-len(admins), d.Speakers-spoken, d.Messages)
				}
			}
			a, b := metrics.PeriodActivity(all.Days), metrics.PeriodActivity(staffless.Days)
			if b.Den != a.Den-memberDays || b.Num != a.Num-speakerDays {
				t.Errorf("activity %d/%d without the admins, want %d/%d (%d member-days, %d speaking days)",
					b.Num, b.Den, a.Num-speakerDays, a.Den-memberDays, memberDays, speakerDays)
			}
			if sg.Kind == metrics.Service || sg.Kind == metrics.Perks {
				if v := verdict(t, staffless, metrics.MetricActivity); v.Value != b {
					t.Errorf("F25 verdict value %v, want the days' %v", v.Value, b)
				}
			}
			if speakerDays == 0 || memberDays != 31 {
				t.Errorf("the admin spoke on %d days of %d; the sample's admins speak most days of March", speakerDays, memberDays)
			}
			// The report says whom it left out, and the tiers leave the
			// admins out too.
			if !slices.Equal(staffless.Excluded, admins) || len(all.Excluded) != 0 || all.Excluded == nil {
				t.Errorf("excluded %v and %v", staffless.Excluded, all.Excluded)
			}
			if staffless.Tiers.Total() != all.Tiers.Total()-len(admins) {
				t.Errorf("tiers count %d members without the admins, %d with", staffless.Tiers.Total(), all.Tiers.Total())
			}
		})
	}
	// The perks group's admin posts the morning news: its words leave the
	// terms with it.
	events := perksEvents()
	staffless := reportOf(t, events, Options{Default: GroupOptions{Exclude: []string{"wxid_admin2"}}})
	for _, term := range staffless.Terms {
		if strings.Contains("早安！今日好物资讯本周福利：满100减20优惠券", term.Text) && term.Count >= 5 {
			t.Errorf("term %q (%d) comes from the admin's posts", term.Text, term.Count)
		}
	}
}

// drawBroadcastEvents is drawEvents with broadcasts: some messages carry
// an item, which makes them broadcasts that reads and claims refer to.
func drawBroadcastEvents(t *rapid.T) []qunops.Event {
	events := drawEvents(t)
	for i := range events {
		if events[i].Type == qunops.Message && rapid.IntRange(0, 3).Draw(t, "broadcast") == 0 {
			events[i].Item = rapid.SampledFrom([]string{"coupon", "news"}).Draw(t, "item")
		}
	}
	return events
}

// drawGroupOptions draws group settings over drawEvents' groups, members
// and items.
func drawGroupOptions(t *rapid.T) Options {
	members := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"a", "b", "c", "f", "nobody"}), 0, 3, rapid.ID[string])
	campaigns := rapid.OneOf(rapid.Just[[]string](nil), rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"coupon", "news", "never"}), 0, 3, rapid.ID[string]))
	kind := rapid.IntRange(0, 4)
	group := func(label string) GroupOptions {
		return GroupOptions{Kind: metrics.GroupKind(kind.Draw(t, label+" kind")), Exclude: members.Draw(t, label+" exclude"),
			Campaigns: campaigns.Draw(t, label+" campaigns")}
	}
	o := Options{Default: group("default")}
	if rapid.Bool().Draw(t, "g1 listed") {
		g := group("g1")
		g.Name = "群一"
		o.Groups = map[string]GroupOptions{"g1": g}
	}
	return o
}

// TestGroupOptionsTwoPassProperty: with members left out and campaign
// lists, the Builder's one pass still equals the two-pass reference
// (twoPass, which leaves the members out of what it feeds the tally and
// the term counter and asks metrics for the rest).
func TestGroupOptionsTwoPassProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawBroadcastEvents(t)
		o := drawGroupOptions(t)
		if want, got := twoPass(t, events, o), build(t, events, o); !bytes.Equal(want, got) {
			t.Fatalf("one pass differs from two (-want +got):\n%s", cmp.Diff(string(want), string(got)))
		}
	})
}

// TestBinaryGroupOptions: the group settings are part of the binary form:
// a builder made with other settings refuses it, one with the same builds
// the same report.
func TestBinaryGroupOptions(t *testing.T) {
	o := Options{Default: GroupOptions{Exclude: []string{"wxid_admin1"}},
		Groups: map[string]GroupOptions{"20002@chatroom": {Name: "福利群", Kind: metrics.Perks, Exclude: []string{"wxid_admin2"}, Campaigns: []string{"coupon-0306"}}}}
	src := mustNew(t, o)
	for _, e := range sample.Events()[:4000] {
		if err := src.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	data, err := src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	same := mustNew(t, o)
	if err := same.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if want, got := buildOf(t, src), buildOf(t, same); !bytes.Equal(want, got) {
		t.Errorf("read back, another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	other := func(f func(*GroupOptions)) Options {
		p := o.resolved()
		g := p.Groups["20002@chatroom"]
		f(&g)
		p.Groups["20002@chatroom"] = g
		return p
	}
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"no exclusion", Options{Groups: o.Groups}},
		{"another name", other(func(g *GroupOptions) { g.Name = "别的群" })},
		{"another kind", other(func(g *GroupOptions) { g.Kind = metrics.Notice })},
		{"another member left out", other(func(g *GroupOptions) { g.Exclude = []string{"wxid_admin3"} })},
		{"every broadcast", other(func(g *GroupOptions) { g.Campaigns = nil })},
		{"no campaign", other(func(g *GroupOptions) { g.Campaigns = []string{} })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustNew(t, tc.o)
			if err := b.UnmarshalBinary(data); err == nil || !strings.Contains(err.Error(), "the options differ") {
				t.Errorf("UnmarshalBinary into other group settings: %v", err)
			}
			if err := b.Merge(src); err == nil {
				t.Error("Merge of builders with other group settings: no error")
			}
		})
	}
}

// FuzzParseGroups: no groups file makes ParseGroups panic; one it accepts
// validates and reads back the same from its JSON.
func FuzzParseGroups(f *testing.F) {
	if data, err := os.ReadFile("../testdata/groups.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"default":{"campaigns":[]},"groups":{"g":{"kind":"notice","exclude":["a"]}}}`))
	f.Add([]byte(`{"groups":{"g":{"kind":"club"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseGroups(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "report: groups file: ") {
				t.Fatalf("error without the prefix: %v", err)
			}
			return
		}
		if err := o.Validate(); err != nil {
			t.Fatalf("accepted settings do not validate: %v", err)
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseGroups(b)
		if err != nil {
			t.Fatalf("%s does not read back: %v", b, err)
		}
		if !back.Default.equal(o.Default) || len(back.Groups) != len(o.Groups) {
			t.Fatalf("read back %+v from %s, want %+v", back, b, o)
		}
		for id, g := range o.Groups {
			if !back.Groups[id].equal(g) {
				t.Fatalf("group %q read back as %+v, want %+v", id, back.Groups[id], g)
			}
		}
	})
}
