package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/tiering"
	"pgregory.net/rapid"
)

// texts are message texts with terms that repeat across messages.
var texts = []string{"物流好慢", "这个型号有货吗", "客服在吗", "优惠券几点发", "iPhone 15 有优惠吗", "", "谢谢 thanks", "发货了吗 shipping"}

// genLog makes a seeded log of n events in the given number of groups of
// m members each over days days ending at end, in time order: mostly
// messages, with reads, claims, check-ins, joins with inviters, leaves and
// warnings, every event with a distinct ID, as an exported log's would.
func genLog(n, groups, m, days int, end time.Time, seed uint64) []qunops.Event {
	r := rand.New(rand.NewPCG(seed, 18))
	span := int64(time.Duration(days) * 24 * time.Hour)
	start := end.Add(-time.Duration(span))
	out := make([]qunops.Event, n)
	for i := range out {
		e := qunops.Event{
			Group:  "g" + strconv.Itoa(r.IntN(groups)) + "@chatroom",
			Member: "wxid_" + strconv.Itoa(r.IntN(m)),
			Time:   start.Add(time.Duration(span / int64(n) * int64(i))),
			ID:     "chatlog:" + strconv.Itoa(i),
		}
		switch k := r.IntN(100); {
		case k < 60:
			e.Type, e.Kind, e.Text = qunops.Message, qunops.KindText, texts[r.IntN(len(texts))]
		case k < 72:
			e.Type, e.Item = qunops.Read, "news-"+strconv.Itoa(r.IntN(3))
		case k < 80:
			e.Type, e.Item = qunops.Claim, "coupon-"+strconv.Itoa(r.IntN(3))
		case k < 88:
			e.Type = qunops.Checkin
		case k < 95:
			e.Type, e.Actor = qunops.Join, "wxid_"+strconv.Itoa(r.IntN(m))
		case k < 98:
			e.Type = qunops.Leave
		default:
			e.Type, e.Actor = qunops.Warn, "rule:prohibited"
		}
		out[i] = e
	}
	return out
}

// encode writes events as JSON Lines.
func encode(t tb, events []qunops.Event) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := qunops.NewEncoder(&buf)
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// drawEvents draws a log that stresses what a single pass must get right:
// few groups and members, times spread over three weeks in any order and in
// several zones (so that windows cut anywhere), IDs from a small pool (so
// that different events share IDs), inviters, prohibited and other
// warnings, and messages with and without text.
func drawEvents(t *rapid.T) []qunops.Event {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, qunops.DefaultLocation())
	zones := []*time.Location{qunops.DefaultLocation(), time.UTC, time.FixedZone("", -5*3600)}
	types := []qunops.EventType{qunops.Message, qunops.Message, qunops.Message, qunops.Join, qunops.Leave,
		qunops.Roster, qunops.Read, qunops.Claim, qunops.Checkin, qunops.Warn, qunops.Rename, qunops.Title, qunops.Report}
	member := rapid.SampledFrom([]string{"a", "b", "c", "d", "e"})
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) qunops.Event {
		e := qunops.Event{
			Type:   rapid.SampledFrom(types).Draw(t, "type"),
			Group:  rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
			Member: member.Draw(t, "member"),
			Time:   t0.Add(time.Duration(rapid.Int64Range(0, 21*24*3600).Draw(t, "sec")) * time.Second).In(rapid.SampledFrom(zones).Draw(t, "zone")),
		}
		if rapid.Bool().Draw(t, "has id") {
			e.ID = "id" + strconv.Itoa(rapid.IntRange(0, idPool).Draw(t, "id"))
		}
		switch e.Type {
		case qunops.Message:
			e.Text = rapid.SampledFrom(texts).Draw(t, "text")
		case qunops.Join:
			e.Actor = rapid.SampledFrom([]string{"", "a", "b", "f"}).Draw(t, "inviter")
		case qunops.Warn:
			e.Actor = rapid.SampledFrom([]string{"rule:prohibited", "rule:ad", "admin"}).Draw(t, "actor")
		case qunops.Read, qunops.Claim:
			e.Item = rapid.SampledFrom([]string{"coupon", "news"}).Draw(t, "item")
		case qunops.Rename:
			e.Text = "上海-小李"
		case qunops.Title:
			e.Text = "上海宝妈群"
		case qunops.Report:
			e.Actor = member.Draw(t, "reporter")
		}
		return e
	}), 0, 120).Draw(t, "events")
}

// idPool is the number of IDs drawEvents draws from, minus one: few, so
// that IDs repeat.
var idPool = 30

// drawReplays draws a log whose IDs each name one event, as an exporter's
// do, and in which some events come again (an export imported twice, a
// retried delivery): the case that deduplication across shards is for.
func drawReplays(t *rapid.T) []qunops.Event {
	distinct := drawEvents(t)
	for i := range distinct {
		if distinct[i].ID != "" {
			distinct[i].ID = "chatlog:" + strconv.Itoa(i)
		}
	}
	if len(distinct) == 0 {
		return nil
	}
	picks := rapid.SliceOfN(rapid.IntRange(0, len(distinct)-1), 0, 2*len(distinct)).Draw(t, "replays")
	events := slices.Clone(distinct)
	for _, p := range picks {
		events = append(events, distinct[p])
	}
	// Spread the replays through the log.
	perm := rapid.Permutation(events).Draw(t, "order")
	return perm
}

// twoPass is the reference: the report as `qunops report` built it before
// the Builder, reading the events twice. The first pass feeds the tracker
// and finds each group's last event; the second feeds per group a
// tiering.Tally that ends there and a TermCounter of the terms window.
func twoPass(t tb, events []qunops.Event, o Options) []byte {
	t.Helper()
	o = o.resolved()
	trs := map[string]*metrics.Tracker{} // by group, each in its zone
	last := map[string]time.Time{}
	for _, e := range events {
		if trs[e.Group] == nil {
			trs[e.Group] = metrics.NewTracker(o.group(e.Group).Zone)
		}
		if err := trs[e.Group].Add(e); err != nil {
			t.Fatal(err)
		}
		// The group's last event; at a tied instant the one with the
		// largest UTC offset, so that the result does not depend on order.
		_, off := e.Time.Zone()
		_, lastOff := last[e.Group].Zone()
		if e.Time.After(last[e.Group]) || e.Time.Equal(last[e.Group]) && off > lastOff {
			last[e.Group] = e.Time
		}
	}
	tallies := map[string]*tiering.Tally{}
	terms := map[string]*metrics.TermCounter{}
	texts := map[string]map[string]string{} // by group, by delivery key: the least text
	var plain []qunops.Event                // messages without an ID
	for g, end := range last {
		tallies[g], _ = tiering.NewTally(tiering.DefaultPolicy(), end)
		terms[g], _ = metrics.NewTermCounter(metrics.TermOptions{})
		texts[g] = map[string]string{}
	}
	for _, e := range events {
		// The excluded members are not fed, nor named as inviters; the
		// inviter of one's join is present then, without an invite.
		excl := o.group(e.Group).Exclude
		if slices.Contains(excl, e.Member) {
			if e.Type == qunops.Join && e.Actor != "" && e.Actor != e.Member && !slices.Contains(excl, e.Actor) {
				if err := tallies[e.Group].Add(qunops.Event{Type: qunops.Roster, Group: e.Group, Member: e.Actor, Time: e.Time}); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		if e.Type == qunops.Join && slices.Contains(excl, e.Actor) {
			e.Actor = ""
		}
		if err := tallies[e.Group].Add(e); err != nil {
			t.Fatal(err)
		}
		if e.Type == qunops.Message && e.Text != "" && e.Time.After(last[e.Group].Add(-o.TermsWindow)) {
			if e.ID == "" {
				plain = append(plain, e)
				continue
			}
			// The deliveries of one message count once, with the least
			// text; different messages that share an ID each count.
			key := fmt.Sprintf("%q %q %d %d", e.ID, e.Member, e.Time.Unix(), e.Time.Nanosecond())
			if old, ok := texts[e.Group][key]; !ok || e.Text < old {
				texts[e.Group][key] = e.Text
			}
		}
	}
	for _, e := range plain {
		terms[e.Group].Add(e.Text)
	}
	for g, byKey := range texts {
		for _, text := range byKey {
			terms[g].Add(text)
		}
	}
	rep := Report{V: Version, TZ: o.defaultZone().String(), Groups: []Group{}}
	for _, g := range slices.Sorted(maps.Keys(trs)) {
		tr := trs[g]
		set := o.group(g)
		mo := metrics.Options{Exclude: set.Exclude}
		days, _ := tr.DaysWith(g, mo)
		rg := Group{Group: g, Name: set.Name, Kind: set.Kind, Excluded: set.Exclude, Campaigns: []string{}, TZ: set.Zone.String(),
			Days: days, Retention: map[string][]metrics.Cohort{},
			Tiers: tallies[g].Counts(g), TiersAt: tallies[g].Now(), Alerts: []metrics.Alert{},
			Verdicts: []metrics.Verdict{}, Terms: terms[g].Top(o.TopTerms)}
		if rg.Terms == nil {
			rg.Terms = []metrics.Term{}
		}
		for _, n := range o.RetentionDays {
			cs, _ := tr.RetentionWith(g, n, mo)
			if cs == nil {
				cs = []metrics.Cohort{}
			}
			rg.Retention[fmt.Sprint(n)] = cs
		}
		alerts, err := metrics.LowActivity(days, metrics.AlertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rg.Alerts = append(rg.Alerts, alerts...)
		verdicts, err := tr.Health(g, rg.Kind, days[0].Date, days[len(days)-1].Date, metrics.HealthOptions{Options: mo, Campaigns: set.Campaigns})
		if err != nil {
			t.Fatal(err)
		}
		rg.Verdicts = append(rg.Verdicts, verdicts...)
		bs, _ := tr.Broadcasts(g, mo)
		rg.Broadcasts = len(bs)
		for _, b := range bs {
			if set.Campaigns == nil || slices.Contains(set.Campaigns, b.Item) {
				rg.Campaigns = append(rg.Campaigns, b.Item)
			}
		}
		rep.Groups = append(rep.Groups, rg)
	}
	return jsonOf(t, &rep)
}

// jsonOf is the report's JSON as `qunops report -json` writes it.
func jsonOf(t tb, rep *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// build feeds events to a new Builder and returns its report's JSON.
func build(t tb, events []qunops.Event, o Options) []byte {
	t.Helper()
	b := mustNew(t, o)
	addAll(t, b, events)
	return buildOf(t, b)
}

// buildOf returns the JSON of b's report.
func buildOf(t tb, b *Builder) []byte {
	t.Helper()
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return jsonOf(t, rep)
}

// addAll adds events to b; a rejected one fails the test.
func addAll(t tb, b *Builder, events []qunops.Event) {
	t.Helper()
	for _, e := range events {
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
	}
}

// drawShards cuts events in input order into one to five shards, any of
// them possibly empty.
func drawShards(t *rapid.T, events []qunops.Event) [][]qunops.Event {
	cuts := rapid.SliceOfN(rapid.IntRange(0, len(events)), 0, 4).Draw(t, "cuts")
	slices.Sort(cuts)
	shards := make([][]qunops.Event, 0, len(cuts)+1)
	from := 0
	for _, c := range append(cuts, len(events)) {
		shards = append(shards, events[from:c])
		from = c
	}
	return shards
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}
