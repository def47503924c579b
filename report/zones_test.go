package report

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones for machines without a zoneinfo directory

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
	"pgregory.net/rapid"
)

// testZones are the zones the zone tests draw from: nil (the default),
// UTC, Shanghai both as qunops.DefaultLocation and as loaded, zones a day apart at the ends
// of the offsets, one of a half hour, and two with summer time, New York's
// starting on 8 March 2026, within the three weeks of drawEvents.
func testZones(t tb) []*time.Location {
	t.Helper()
	zones := []*time.Location{nil, time.UTC, qunops.DefaultLocation(), time.FixedZone("UTC-11", -11*3600), time.FixedZone("UTC+14", 14*3600)}
	for _, name := range []string{"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	return zones
}

// drawZoned draws options that give the groups of drawEvents (g1, g2, and
// one no event names) zones of their own or none, a default zone or none,
// and a Location or none.
func drawZoned(t *rapid.T) Options {
	zones := rapid.SampledFrom(testZones(t))
	o := Options{Location: zones.Draw(t, "location"), Default: GroupOptions{Zone: zones.Draw(t, "default zone")},
		Groups:      map[string]GroupOptions{},
		TermsWindow: rapid.SampledFrom([]time.Duration{0, 36 * time.Hour}).Draw(t, "terms window")}
	for _, g := range []string{"g1", "g2", "g3"} {
		if z := zones.Draw(t, g+" zone"); z != nil {
			o.Groups[g] = GroupOptions{Zone: z, Exclude: rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"a", "e"}), 0, 1, rapid.ID).Draw(t, g+" exclude")}
		}
	}
	return o
}

// alone returns the options of a one-zone builder for group g of o: every
// setting of o, with g's zone as the only one.
func alone(o Options, g string) Options {
	zone := o.resolved().group(g).Zone
	p := Options{Location: zone, Default: o.Default.clone(), Groups: map[string]GroupOptions{},
		RetentionDays: o.RetentionDays, TermsWindow: o.TermsWindow, TopTerms: o.TopTerms, MaxDays: o.MaxDays}
	p.Default.Zone = nil
	for id, s := range o.Groups {
		s = s.clone()
		s.Zone = nil
		p.Groups[id] = s
	}
	return p
}

// parsedReport returns the report of b, parsed.
func parsedReport(t tb, b *Builder) Report {
	t.Helper()
	var rep Report
	if err := json.Unmarshal(buildOf(t, b), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestZonesProperty (issue 21): a Builder whose groups have zones of their
// own gives each group exactly the report (days, cohorts, verdicts, alerts,
// tiers, terms) that a Builder of that group's zone alone gives, and says
// the zone.
func TestZonesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		o := drawZoned(t)
		got := parsedReport(t, build2(t, events, o))
		if want := o.resolved().defaultZone().String(); got.TZ != want {
			t.Fatalf("report tz %q, want the default zone %q", got.TZ, want)
		}
		for _, g := range got.Groups {
			one := parsedReport(t, build2(t, events, alone(o, g.Group)))
			var want *Group
			for i := range one.Groups {
				if one.Groups[i].Group == g.Group {
					want = &one.Groups[i]
				}
			}
			if want == nil {
				t.Fatalf("group %s is not in the one-zone report", g.Group)
			}
			if want.TZ != one.TZ || g.TZ != o.resolved().group(g.Group).Zone.String() {
				t.Fatalf("group %s: tz %q, the one-zone builder's %q", g.Group, g.TZ, one.TZ)
			}
			if diff := cmp.Diff(*want, g); diff != "" {
				t.Fatalf("group %s in zone %s (-one zone +zones):\n%s", g.Group, g.TZ, diff)
			}
		}
	})
}

// build2 feeds events to a new Builder of o.
func build2(t tb, events []qunops.Event, o Options) *Builder {
	t.Helper()
	b := mustNew(t, o)
	addAll(t, b, events)
	return b
}

// TestZonesMatchTwoPass: the Builder of per-group zones agrees with the
// two-pass reference, which keeps a Tracker per group in its zone.
func TestZonesMatchTwoPass(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		o := drawZoned(t)
		if want, got := twoPass(t, events, o), build(t, events, o); !bytes.Equal(want, got) {
			t.Fatalf("(-two passes +builder):\n%s", cmp.Diff(string(want), string(got)))
		}
	})
}

// TestZonesBinaryMergeProperty (issue 21): with mixed zones, shards
// marshalled, read back and merged or absorbed give the report of one
// Builder over the whole log, and an absorbed builder is left empty.
func TestZonesBinaryMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawReplays(t)
		o := drawZoned(t)
		whole := build(t, events, o)
		merged := mustNew(t, o)
		for i, s := range drawShards(t, events) {
			shard := build2(t, s, o)
			data, err := shard.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			shipped := mustNew(t, o)
			if err := shipped.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
			if want, got := buildOf(t, shard), buildOf(t, shipped); !bytes.Equal(want, got) {
				t.Fatalf("a shard read back builds another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
			if i%2 == 0 {
				err = merged.Merge(shipped)
			} else {
				err = merged.Absorb(shipped)
				if len(shipped.groups) != 0 || len(shipped.tr.groups()) != 0 {
					t.Fatalf("an absorbed builder keeps %d groups, its trackers %d", len(shipped.groups), len(shipped.tr.groups()))
				}
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("shipped and merged shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestZonesTrackers: builders make one tracker per distinct zone, by name,
// the default's first; a group whose zone is the default's needs none of
// its own, so the common case looks nothing up.
func TestZonesTrackers(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	berlin2, _ := time.LoadLocation("Europe/Berlin") // another pointer, the same name
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		name  string
		o     Options
		zones []string
		own   bool // whether groups are looked up
	}{
		{"no zones", Options{}, []string{"Asia/Shanghai"}, false},
		{"a location", Options{Location: time.UTC}, []string{"UTC"}, false},
		{"the default's zone over the location", Options{Location: time.UTC, Default: GroupOptions{Zone: berlin}}, []string{"Europe/Berlin"}, false},
		{"a group in the default zone", Options{Groups: map[string]GroupOptions{"g": {Zone: shanghai}}}, []string{"Asia/Shanghai"}, false},
		{"zones by name", Options{Location: time.UTC, Groups: map[string]GroupOptions{"a": {Zone: berlin}, "b": {Zone: qunops.DefaultLocation()},
			"c": {Zone: berlin2}, "d": {}}}, []string{"UTC", "Asia/Shanghai", "Europe/Berlin"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustNew(t, tc.o)
			var zones []string
			for _, tr := range b.tr.all {
				zones = append(zones, tr.Location().String())
			}
			if diff := cmp.Diff(tc.zones, zones); diff != "" {
				t.Errorf("zones of the trackers (-want +got):\n%s", diff)
			}
			if (b.tr.of != nil) != tc.own {
				t.Errorf("groups looked up: %v, want %v", b.tr.of != nil, tc.own)
			}
			for id := range tc.o.Groups {
				if got, want := b.tr.all[b.tr.index(id)].Location().String(), b.opts.group(id).Zone.String(); got != want {
					t.Errorf("group %s goes to the tracker of %s, its zone is %s", id, got, want)
				}
			}
		})
	}
}

// TestZonesEvening: an evening in Berlin is the next morning in Shanghai:
// the group in Berlin counts it on its own date, the others on Shanghai's.
func TestZonesEvening(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	b := mustNew(t, Options{Groups: map[string]GroupOptions{"berlin": {Zone: berlin}}})
	at := time.Date(2026, 3, 2, 20, 0, 0, 0, berlin) // 2026-03-03 03:00 in Shanghai
	for _, g := range []string{"berlin", "shanghai"} {
		addAll(t, b, []qunops.Event{{Type: qunops.Message, Group: g, Member: "m", Time: at, Kind: qunops.KindText, Text: "hi"}})
	}
	rep := parsedReport(t, b)
	want := map[string][2]string{"berlin": {"Europe/Berlin", "2026-03-02"}, "shanghai": {"Asia/Shanghai", "2026-03-03"}}
	for _, g := range rep.Groups {
		if len(g.Days) != 1 || [2]string{g.TZ, g.Days[0].Date.Format(time.DateOnly)} != want[g.Group] {
			t.Errorf("%s: tz %s, days %v, want %v", g.Group, g.TZ, g.Days, want[g.Group])
		}
	}
	if rep.TZ != "Asia/Shanghai" || len(rep.Groups) != 2 {
		t.Errorf("report tz %s with %d groups, want Asia/Shanghai and 2", rep.TZ, len(rep.Groups))
	}
}

// TestMergeZonesChangesNothingOnError: a merge that fails in the tracker
// of a group's own zone (a span over metrics.MaxSpanDays) leaves both
// builders as they were, though the default zone's tracker could merge.
func TestMergeZonesChangesNothingOnError(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	o := Options{Groups: map[string]GroupOptions{"far": {Zone: berlin}}}
	at := time.Date(2000, 1, 1, 12, 0, 0, 0, berlin)
	ev := func(g string, at time.Time) qunops.Event {
		return qunops.Event{Type: qunops.Roster, Group: g, Member: "m", Time: at}
	}
	for _, verb := range []string{"merge", "absorb"} {
		t.Run(verb, func(t *testing.T) {
			b, o2 := mustNew(t, o), mustNew(t, o)
			addAll(t, b, []qunops.Event{ev("far", at), ev("near", at)})
			addAll(t, o2, []qunops.Event{ev("far", at.AddDate(0, 0, metrics.MaxSpanDays)), ev("near", at.AddDate(0, 0, 1))})
			wasB, _ := b.MarshalBinary()
			wasO, _ := o2.MarshalBinary()
			var err error
			if verb == "merge" {
				err = b.Merge(o2)
			} else {
				err = b.Absorb(o2)
			}
			want := `report: ` + verb + `: group "far" would span 10001 days, 2000-01-01 to 2027-05-19, more than metrics.MaxSpanDays (10000)`
			if err == nil || err.Error() != want {
				t.Errorf("%s: %v, want %q", verb, err, want)
			}
			nowB, _ := b.MarshalBinary()
			nowO, _ := o2.MarshalBinary()
			if !bytes.Equal(wasB, nowB) || !bytes.Equal(wasO, nowO) {
				t.Errorf("a failed %s changed a builder", verb)
			}
		})
	}
}

// TestUnmarshalBinaryRejectsZones: the trackers must be those of the
// options' zones, and each group in its own zone's.
func TestUnmarshalBinaryRejectsZones(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	zoned := Options{Groups: map[string]GroupOptions{"g": {Zone: berlin}}}
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, berlin)
	// plain is a builder of one zone with group g.
	plain := build2(t, []qunops.Event{{Type: qunops.Roster, Group: "g", Member: "m", Time: at}}, Options{})
	data, _ := plain.MarshalBinary()
	// Cut its form into the tracker and the groups after it.
	rest := data[len(binaryMagic)+1+len(appendOptions(nil, plain.opts)):]
	if n, k := binary.Uvarint(rest); n != 1 || k != 1 {
		t.Fatalf("tracker count %d", n)
	}
	size, k := binary.Uvarint(rest[1:])
	tracker, groups := rest[1+k:1+k+int(size)], rest[1+k+int(size):]
	emptyBerlin, _ := metrics.NewTracker(berlin).MarshalBinary()
	form := func(trackers ...[]byte) []byte {
		w := append([]byte(binaryMagic), binaryVersion)
		w = appendOptions(w, zoned.resolved())
		w = binary.AppendUvarint(w, uint64(len(trackers)))
		for _, tr := range trackers {
			w = append(binary.AppendUvarint(w, uint64(len(tr))), tr...)
		}
		return append(w, groups...)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"one tracker for two zones", form(tracker), "1 trackers, the options have 2 zones"},
		{"a group in the default zone's tracker", form(tracker, emptyBerlin), `group "g" is in the tracker of zone "Asia/Shanghai", not of its zone "Europe/Berlin"`},
		{"trackers out of order", form(emptyBerlin, tracker), `location "Europe/Berlin" differs from the tracker's "Asia/Shanghai"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustNew(t, zoned)
			addAll(t, b, []qunops.Event{{Type: qunops.Roster, Group: "kept", Member: "m", Time: at}})
			was, _ := b.MarshalBinary()
			err := b.UnmarshalBinary(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnmarshalBinary: %v, want %q", err, tc.want)
			}
			if now, _ := b.MarshalBinary(); !bytes.Equal(was, now) {
				t.Error("a failed UnmarshalBinary changed the builder")
			}
		})
	}
	// The same pieces in the right places read back.
	empty, _ := metrics.NewTracker(nil).MarshalBinary()
	inBerlin := metrics.NewTracker(berlin)
	if err := inBerlin.Add(qunops.Event{Type: qunops.Roster, Group: "g", Member: "m", Time: at}); err != nil {
		t.Fatal(err)
	}
	right, _ := inBerlin.MarshalBinary()
	if err := mustNew(t, zoned).UnmarshalBinary(form(empty, right)); err != nil {
		t.Errorf("the trackers in their places: %v", err)
	}
}

// TestOptionsJSONZones (issue 21): zones round-trip by IANA name through
// Options' and GroupOptions' JSON, Asia/Shanghai as
// qunops.DefaultLocation (which needs no tz database), and a bad one is an
// error naming its key that leaves the receiver unchanged.
func TestOptionsJSONZones(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	o := Options{Default: GroupOptions{Zone: time.UTC}, Groups: map[string]GroupOptions{
		"b": {Zone: berlin}, "s": {Kind: metrics.Perks, Zone: qunops.DefaultLocation()}, "n": {Name: "无"}}}
	const want = `{"default":{"zone":"UTC"},"groups":{"b":{"zone":"Europe/Berlin"},"n":{"name":"无"},"s":{"kind":"perks","zone":"Asia/Shanghai"}}}`
	data, err := json.Marshal(o)
	if err != nil || string(data) != want {
		t.Fatalf("Marshal: %s (%v), want %s", data, err, want)
	}
	var back Options
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, back, zoneByName); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	if back.Groups["s"].Zone != qunops.DefaultLocation() || back.Groups["n"].Zone != nil {
		t.Errorf("zones read back: s %p, n %v; want qunops.DefaultLocation() and nil", back.Groups["s"].Zone, back.Groups["n"].Zone)
	}
	g, err := json.Marshal(o.Groups["b"])
	if err != nil || string(g) != `{"zone":"Europe/Berlin"}` {
		t.Errorf("GroupOptions: %s (%v)", g, err)
	}
	var gb GroupOptions
	if err := json.Unmarshal(g, &gb); err != nil || gb.Zone.String() != "Europe/Berlin" {
		t.Errorf("GroupOptions read back: %+v (%v)", gb, err)
	}
	for _, tc := range []struct {
		name string
		into any
		in   string
		want string
	}{
		{"options", &back, `{"groups":{"g":{"zone":"Mars/Base"}}}`, `report: options: groups["g"].zone: unknown time zone "Mars/Base"`},
		{"options default", &back, `{"default":{"zone":""}}`, `report: options: default.zone: empty zone name; leave the key out for the default zone`},
		{"group options", &gb, `{"zone":"Mars/Base"}`, `report: group.zone: unknown time zone "Mars/Base"`},
		{"group options key", &gb, `{"zone":"UTC","tz":"UTC"}`, `report: group: unknown key "tz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := json.Marshal(tc.into)
			err := json.Unmarshal([]byte(tc.in), tc.into)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Unmarshal(%s): %v, want %q", tc.in, err, tc.want)
			}
			if after, _ := json.Marshal(tc.into); !bytes.Equal(before, after) {
				t.Errorf("a failed Unmarshal changed the receiver: %s, was %s", after, before)
			}
		})
	}
}
