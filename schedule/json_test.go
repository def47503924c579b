package schedule

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// locationName compares locations by name, which is what JSON keeps.
var locationName = cmp.Comparer(func(a, b *time.Location) bool {
	return (a == nil) == (b == nil) && (a == nil || a.String() == b.String())
})

// TestPlanAndCadenceJSON checks the JSON of the default plan and the
// default cadences: it round-trips, uses words for the enumerations and
// "HH:MM" for times of day (schedule has no durations), and documents
// with an unknown, duplicate or wrongly spelt key, a malformed time or an
// unknown word are rejected naming the key or the word.
func TestPlanAndCadenceJSON(t *testing.T) {
	decodePlan := func(b []byte) (any, error) { var p Plan; err := json.Unmarshal(b, &p); return p, err }
	decodeCadence := func(b []byte) (any, error) { var c Cadence; err := json.Unmarshal(b, &c); return c, err }
	cads := DefaultCadences()
	for _, tt := range []struct {
		name   string
		value  any
		decode func([]byte) (any, error)
		want   string
	}{
		{"default plan", DefaultPlan(), decodePlan,
			`{"daily_cap":50,"ad_run_max":3,"rules":[{"kind":"news","per":"daily","count":1,"max":2,"min":1,"window":"08:00-09:00"},` +
				`{"kind":"interactive","per":"weekly","count":3,"min":3,"window":"20:00-21:00"},{"kind":"perk","per":"weekly","count":1,"window":"20:00-21:00"}]}`},
		{"zero plan", Plan{}, decodePlan, `{"rules":[]}`},
		{"plan in UTC with days", Plan{Location: time.UTC, Rules: []Rule{{Kind: Notice, Per: Weekly, Count: 2, Window: Window{0, 24 * Hour}, Days: DaysOf(time.Monday, time.Sunday)}}}, decodePlan,
			`{"location":"UTC","rules":[{"kind":"notice","per":"weekly","count":2,"window":"00:00-24:00","days":"mon,sun"}]}`},
		{"weekly cadence", cads[0], decodeCadence, `{"name":"log-export","every":"weekly","weekday":"mon","at":"09:00","seed":"F29"}`},
		{"weekly cadence on sunday", cads[1], decodeCadence, `{"name":"backup","every":"weekly","weekday":"sun","at":"22:00","seed":"F13,F40"}`},
		{"monthly cadence", cads[2], decodeCadence, `{"name":"figures-review","every":"monthly","day":1,"at":"10:00","seed":"F29"}`},
		{"quarterly cadence", cads[4], decodeCadence, `{"name":"offline-event","every":"quarterly","month":2,"day":15,"at":"14:00","seed":"F41"}`},
		{"weekly on sunday at midnight", Cadence{Every: Weekly, Weekday: time.Sunday}, decodeCadence, `{"name":"","every":"weekly","weekday":"sun","at":"00:00"}`},
		{"monthly with a stray weekday", Cadence{Every: Monthly, Weekday: time.Friday, At: 23*Hour + 59}, decodeCadence, `{"name":"","every":"monthly","weekday":"fri","at":"23:59"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}
			got, err := tt.decode(b)
			if err != nil {
				t.Fatalf("decoding %s: %v", b, err)
			}
			if diff := cmp.Diff(tt.value, got, locationName); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	// Every default cadence round-trips.
	for _, c := range cads {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var got Cadence
		if err := json.Unmarshal(b, &got); err != nil || got != c {
			t.Errorf("%s: got %+v, %v", b, got, err)
		}
	}

	for _, tt := range []struct {
		name, doc, want string
	}{
		{"unknown key", `{"name":"x","every":"weekly","at":"09:00","hour":9}`, `schedule: cadence: unknown key "hour"`},
		{"duplicate key", `{"name":"x","every":"weekly","at":"09:00","at":"10:00"}`, `schedule: cadence: duplicate key "at"`},
		{"Go field name", `{"Name":"x","every":"weekly","at":"09:00"}`, `schedule: cadence: unknown key "Name"`},
		{"malformed time", `{"every":"weekly","at":"9:00"}`, `schedule: cadence: at: schedule: clock "9:00" is not HH:MM`},
		{"time as minutes", `{"every":"weekly","at":540}`, `at`},
		{"unknown period", `{"every":"fortnightly","at":"09:00"}`, `every: schedule: period "fortnightly" is not daily, weekly, monthly, quarterly or yearly`},
		{"period rules only", `{"name":"x","every":"daily","at":"09:00"}`, `schedule: cadence "x": every: daily must be weekly, monthly, quarterly or yearly`},
		{"unknown weekday", `{"every":"weekly","weekday":"funday","at":"09:00"}`, `weekday: schedule: weekday "funday" is not one of mon tue wed thu fri sat sun`},
		{"weekday in Go case", `{"every":"weekly","weekday":"Monday","at":"09:00"}`, `"Monday"`},
		{"weekday as a number", `{"every":"weekly","weekday":1,"at":"09:00"}`, `weekday`},
		{"missing time", `{"name":"x","every":"weekly"}`, `schedule: cadence "x": at is required`},
		{"end of day", `{"name":"x","every":"weekly","at":"24:00"}`, `schedule: cadence "x": at: 24:00 is outside 00:00..23:59`},
		{"month out of range", `{"name":"x","every":"quarterly","month":4,"at":"09:00"}`, `schedule: cadence "x": month: 4 is outside 1..3`},
	} {
		t.Run("cadence "+tt.name, func(t *testing.T) {
			c := DefaultCadences()[0]
			err := json.Unmarshal([]byte(tt.doc), &c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decoding %s: error %v, want one containing %s", tt.doc, err, tt.want)
			}
			if c != DefaultCadences()[0] {
				t.Errorf("a failed decode changed the cadence to %+v", c)
			}
		})
	}
}

// TestPlanLocationJSON pins how a plan's location is read: absent or empty
// is nil, which Check takes as qunops.DefaultLocation; "Asia/Shanghai" is
// qunops.DefaultLocation itself, so that a plan in the default zone
// round-trips without a tz database; any other name is loaded with
// time.LoadLocation (this test binary embeds time/tzdata, see zone_test.go).
func TestPlanLocationJSON(t *testing.T) {
	for _, doc := range []string{`{"rules":[]}`, `{"location":"","rules":[]}`, `{}`} {
		p := Plan{Location: time.UTC}
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if p.Location != nil || p.Loc() != qunops.DefaultLocation() {
			t.Errorf("%s: Location %v, Loc %v; want nil and the default location", doc, p.Location, p.Loc())
		}
	}
	var p Plan
	if err := json.Unmarshal([]byte(`{"location":"Asia/Shanghai","rules":[]}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Location != qunops.DefaultLocation() {
		t.Errorf("Location %v, want qunops.DefaultLocation()", p.Location)
	}
	if err := json.Unmarshal([]byte(`{"location":"Europe/Berlin","rules":[]}`), &p); err != nil {
		t.Fatal(err)
	}
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	if _, off := summer.In(p.Location).Zone(); p.Location.String() != "Europe/Berlin" || off != 2*3600 {
		t.Errorf("Location %v with summer offset %d, want Europe/Berlin at +2h", p.Location, off)
	}
	if err := json.Unmarshal([]byte(`{"location":"Mars/Olympus","rules":[]}`), &p); err == nil || !strings.Contains(err.Error(), `"Mars/Olympus"`) {
		t.Errorf("unknown zone: error %v, want one naming it", err)
	}
	if p.Location.String() != "Europe/Berlin" {
		t.Errorf("a failed decode changed the location to %v", p.Location)
	}
	// The default location round-trips to itself.
	b, _ := json.Marshal(Plan{Location: qunops.DefaultLocation()})
	var back Plan
	if err := json.Unmarshal(b, &back); err != nil || back.Location != qunops.DefaultLocation() {
		t.Errorf("%s read back as %v, %v", b, back.Location, err)
	}
	// A nil location is written as no location, and the default location
	// under its name.
	b, _ = json.Marshal(Plan{})
	if strings.Contains(string(b), "location") {
		t.Errorf("nil location written: %s", b)
	}
	b, _ = json.Marshal(Plan{Location: qunops.DefaultLocation()})
	if !strings.Contains(string(b), `"location":"Asia/Shanghai"`) {
		t.Errorf("default location written as %s", b)
	}
}

// TestEnumWords checks every text form of the package both ways: each
// value writes its word and reads back from it, and a bad value or word is
// an error that names it.
func TestEnumWords(t *testing.T) {
	type text interface{ MarshalText() ([]byte, error) }
	for _, tt := range []struct {
		value text
		word  string
		read  func(string) (any, error)
	}{
		{News, "news", read[Kind]}, {Interactive, "interactive", read[Kind]}, {Perk, "perk", read[Kind]},
		{Notice, "notice", read[Kind]}, {Ad, "ad", read[Kind]},
		{Daily, "daily", read[Period]}, {Weekly, "weekly", read[Period]}, {Monthly, "monthly", read[Period]},
		{Quarterly, "quarterly", read[Period]}, {Yearly, "yearly", read[Period]},
		{CapRule, "daily-cap", read[RuleID]}, {AdRunRule, "ad-run", read[RuleID]}, {WindowRule, "window", read[RuleID]},
		{WeekdayRule, "weekday", read[RuleID]}, {CountRule, "count", read[RuleID]}, {KindRule, "kind", read[RuleID]},
		{PlanRule, "plan", read[RuleID]},
		{DaysOf(time.Monday, time.Wednesday, time.Sunday), "mon,wed,sun", read[Weekdays]},
		{EveryDay, "mon,tue,wed,thu,fri,sat,sun", read[Weekdays]},
		{Weekdays(0), "", read[Weekdays]},
		{8*Hour + 30, "08:30", read[Clock]}, {24 * Hour, "24:00", read[Clock]},
		{Window{8 * Hour, 9 * Hour}, "08:00-09:00", read[Window]},
	} {
		b, err := tt.value.MarshalText()
		if err != nil || string(b) != tt.word {
			t.Errorf("%v: MarshalText = %q, %v; want %q", tt.value, b, err, tt.word)
		}
		if s, ok := tt.value.(interface{ String() string }); ok && s.String() != tt.word {
			t.Errorf("%v: String = %q, want %q", tt.value, s.String(), tt.word)
		}
		if got, err := tt.read(tt.word); err != nil || got != tt.value {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tt.word, got, err, tt.value)
		}
	}
	for _, tt := range []struct {
		word string
		read func(string) (any, error)
		want string
	}{
		{"promo", read[Kind], `schedule: kind "promo" is not news, interactive, perk, notice, ad or live`},
		{"", read[Kind], `kind ""`},
		{"Daily", read[Period], `schedule: period "Daily" is not daily, weekly, monthly, quarterly or yearly`},
		{"", read[Period], `period ""`},
		{"news\u200b", read[Kind], `kind "news\u200b"`},
		{" daily", read[Period], `period " daily"`},
		{"", read[RuleID], `rule ""`},
		{"cap", read[RuleID], `schedule: rule "cap" is not daily-cap, ad-run, window, weekday, count, min, mention-all, kind or plan`},
		{"mon,Tue", read[Weekdays], `"Tue" is not one of mon tue wed thu fri sat sun`},
		{"8:30", read[Clock], `clock "8:30"`},
		{"24:01", read[Clock], `clock "24:01"`},
		{"09:00-08:00", read[Window], `window "09:00-08:00"`},
	} {
		if _, err := tt.read(tt.word); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("UnmarshalText(%q): error %v, want one containing %s", tt.word, err, tt.want)
		}
	}
	for _, tt := range []struct {
		value text
		want  string
	}{
		{Kind(0), "kind 0"}, {Kind(7), "kind 7"}, {Period(0), "period 0"}, {Period(6), "period 6"},
		{RuleID("cap"), `rule "cap"`}, {Weekdays(0x80), "weekdays 0x80"}, {Clock(-1), "clock -1"},
		{Clock(24*Hour + 1), "clock 1441"}, {Window{9 * Hour, 8 * Hour}, "end 08:00 is not after start 09:00"},
	} {
		if _, err := tt.value.MarshalText(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("MarshalText of %#v: error %v, want one containing %s", tt.value, err, tt.want)
		}
	}
}

// read reads word with T's UnmarshalText.
func read[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](word string) (any, error) {
	var v T
	err := P(&v).UnmarshalText([]byte(word))
	return v, err
}

// TestResultJSON pins the JSON of Slot, Post and Violation.
func TestResultJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	for _, tt := range []struct {
		name  string
		value any
		want  string
	}{
		{"slot", Slot{Kind: News, At: at}, `{"kind":"news","at":"2026-03-02T08:00:00+08:00"}`},
		{"post", Post{Kind: Ad, At: at}, `{"kind":"ad","at":"2026-03-02T08:00:00+08:00"}`},
		{"violation", Violation{Rule: AdRunRule, Kind: Ad, Day: at.Add(-8 * time.Hour), Posts: []int{3, 4}, Reason: "4 ads in a row"},
			`{"rule":"ad-run","kind":"ad","day":"2026-03-02T00:00:00+08:00","posts":[3,4],"reason":"4 ads in a row"}`},
		{"cap violation", Violation{Rule: CapRule, Day: at.Add(-8 * time.Hour), Posts: []int{0}, Reason: "51 posts"},
			`{"rule":"daily-cap","day":"2026-03-02T00:00:00+08:00","posts":[0],"reason":"51 posts"}`},
		{"plan violation", Violation{Rule: PlanRule, Reason: "bad plan"}, `{"rule":"plan","reason":"bad plan"}`},
		{"notice slot with @all", Slot{Kind: Notice, MentionAll: true, At: at}, `{"kind":"notice","mention_all":true,"at":"2026-03-02T08:00:00+08:00"}`},
		{"live post", Post{Kind: Live, At: at}, `{"kind":"live","at":"2026-03-02T08:00:00+08:00"}`},
		{"min violation over a silent run", Violation{Rule: MinRule, Kind: News, Day: at.Add(-8 * time.Hour), Until: at.Add(40 * time.Hour), Reason: "no news posts on 3 days"},
			`{"rule":"min","kind":"news","day":"2026-03-02T00:00:00+08:00","until":"2026-03-04T00:00:00+08:00","reason":"no news posts on 3 days"}`},
		{"play", Play{Name: "draw", Slot: Slot{Kind: Notice, MentionAll: true, At: at}, Seed: "F30,F21"},
			`{"name":"draw","kind":"notice","mention_all":true,"at":"2026-03-02T08:00:00+08:00","seed":"F30,F21"}`},
	} {
		b, err := json.Marshal(tt.value)
		if err != nil || string(b) != tt.want {
			t.Errorf("%s: %s, %v; want %s", tt.name, b, err, tt.want)
		}
	}
	// What Check reports marshals: zero kinds and days are left out.
	posts := make([]Post, 51)
	for i := range posts {
		posts[i] = Post{Kind: Perk, At: at.Add(time.Duration(i) * time.Minute)}
	}
	if _, err := json.Marshal(DefaultPlan().Check(posts)); err != nil {
		t.Error(err)
	}
}

// genLocation draws nil, UTC or a location loaded by name.
func genLocation(t *rapid.T) *time.Location {
	name := rapid.SampledFrom([]string{"", "UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"}).Draw(t, "location")
	switch name {
	case "":
		return nil
	case "UTC":
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// roundTrip checks that v's JSON decodes to a value equal to v that
// encodes to the same bytes.
func roundTrip[T any](t *rapid.T, v T, opts ...cmp.Option) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %+v: %v", v, err)
	}
	var got T
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if diff := cmp.Diff(v, got, opts...); diff != "" {
		t.Fatalf("%s: round trip (-want +got):\n%s", b, diff)
	}
	b2, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("marshal, unmarshal, marshal:\n%s\n%s", b, b2)
	}
}

func TestJSONRoundTripProperty(t *testing.T) {
	t.Run("Plan", rapid.MakeCheck(func(t *rapid.T) {
		p := genPlan(t)
		p.DailyCap = rapid.IntRange(0, 100).Draw(t, "cap")
		p.AdRunMax = rapid.IntRange(0, 10).Draw(t, "adRunMax")
		p.Location = genLocation(t)
		roundTrip(t, p, locationName)
	}))
	t.Run("Cadence", rapid.MakeCheck(func(t *rapid.T) {
		c := Cadence{
			Name:    rapid.StringMatching(`[a-z-]{0,12}|月度复盘`).Draw(t, "name"),
			Every:   rapid.SampledFrom([]Period{Weekly, Monthly, Quarterly, Yearly}).Draw(t, "every"),
			Weekday: time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")),
			Day:     rapid.IntRange(0, 31).Draw(t, "day"),
			At:      Clock(rapid.IntRange(0, int(endOfDay)-1).Draw(t, "at")),
			Seed:    rapid.SampledFrom([]string{"", "F29", "F36", "F41"}).Draw(t, "seed"),
		}
		maxMonth := 12
		if c.Every == Quarterly {
			maxMonth = 3
		}
		c.Month = rapid.IntRange(0, maxMonth).Draw(t, "month")
		roundTrip(t, c)
	}))
	t.Run("Slots", rapid.MakeCheck(func(t *rapid.T) {
		// Slots and violations hold instants in a location; JSON keeps the
		// offset only, so they compare by instant.
		p := genPlan(t)
		loc := genLocation(t)
		if loc == nil {
			loc = shanghai
		}
		slots := p.Week(genTime(t, loc, "start"))
		roundTrip(t, slots, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }))
	}))
}

// TestWindowValidateError checks that the exported Validate names the
// package and the window, while the errors it is part of name them once.
func TestWindowValidateError(t *testing.T) {
	w := Window{9 * Hour, 8 * Hour}
	if err := w.Validate(); err == nil || err.Error() != "schedule: window 09:00-08:00: end 08:00 is not after start 09:00" {
		t.Errorf("Validate: %v", err)
	}
	if _, err := DefaultPlan().WithWindow(News, w); err == nil || err.Error() != "schedule: window for news: end 08:00 is not after start 09:00" {
		t.Errorf("WithWindow: %v", err)
	}
}
