package metrics

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

// decodeInto returns a function that decodes a document into a fresh T
// with encoding/json, which calls T's UnmarshalJSON.
func decodeInto[T any]() func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		var v T
		err := json.Unmarshal(b, &v)
		return v, err
	}
}

// TestOptionsJSON checks the JSON of every option type: the defaults,
// written out in full, round-trip and read as a person would write them;
// and documents with an unknown, duplicate or wrongly spelt key, a
// malformed duration, an unknown word or an invalid value are rejected
// with an error that names the key or the bad word.
func TestOptionsJSON(t *testing.T) {
	full := HealthOptions{
		Options:    Options{Exclude: []string{"bot"}, Retained: SpokeOnDay, Muted: []string{"ann"}, Window: DefaultWindow},
		Thresholds: DefaultThresholds(),
		Campaigns:  []string{"coupon"},
	}
	for _, tt := range []struct {
		name   string
		value  any
		decode func([]byte) (any, error)
		want   []string // substrings of the JSON
	}{
		{"options", full.Options, decodeInto[Options](),
			[]string{`"window":"24h"`, `"retained":"spoke-on-day"`, `"exclude":["bot"]`, `"muted":["ann"]`}},
		{"options with a window of a week and a half hour", Options{Window: 168*time.Hour + 30*time.Minute}, decodeInto[Options](),
			[]string{`{"window":"168h30m"}`}},
		{"zero options", Options{}, decodeInto[Options](), []string{`{}`}},
		{"default thresholds", DefaultThresholds(), decodeInto[Thresholds](),
			[]string{`"service_activity":{"num":15,"den":100,"value":0.15}`, `"service_messages":{"num":50,"den":1,"value":50}`,
				`"day3_retention":{"num":60,"den":100,"value":0.6}`, `"day7_retention":`, `"perks_activity":`,
				`"perks_response":`, `"reach":{"num":85,"den":100,"value":0.85}`}},
		{"zero thresholds", Thresholds{}, decodeInto[Thresholds](), []string{`{}`}},
		{"health options", full, decodeInto[HealthOptions](),
			[]string{`"window":"24h"`, `"retained":"spoke-on-day"`, `"reach":{"num":85,`, `"campaigns":["coupon"]`}},
		{"health options with no campaign", HealthOptions{Campaigns: []string{}}, decodeInto[HealthOptions](),
			[]string{`{"campaigns":[]}`}},
		{"zero health options", HealthOptions{}, decodeInto[HealthOptions](), []string{`{}`}},
		{"alert options", AlertOptions{Threshold: Ratio{Num: 10, Den: 100}, Run: 3}, decodeInto[AlertOptions](),
			[]string{`{"threshold":{"num":10,"den":100,"value":0.1},"run":3}`}},
		{"zero alert options", AlertOptions{}, decodeInto[AlertOptions](), []string{`{}`}},
		{"term options", TermOptions{StopWords: []string{"优惠券"}, NoDefaultStopWords: true, MinLetters: 3}, decodeInto[TermOptions](),
			[]string{`{"stop_words":["优惠券"],"no_default_stop_words":true,"min_letters":3}`}},
		{"a/b options", ABOptions{Confidence: 0.95}, decodeInto[ABOptions](), []string{`{"confidence":0.95}`}},
		{"sample options", SampleOptions{Alpha: 0.05, Power: 0.8}, decodeInto[SampleOptions](), []string{`{"alpha":0.05,"power":0.8}`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("JSON %s lacks %s", b, w)
				}
			}
			got, err := tt.decode(b)
			if err != nil {
				t.Fatalf("decoding %s: %v", b, err)
			}
			if diff := cmp.Diff(tt.value, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}

	for _, tt := range []struct {
		name   string
		decode func([]byte) (any, error)
		doc    string
		want   string // a substring of the error
	}{
		{"options: unknown key", decodeInto[Options](), `{"windw":"1h"}`, `unknown key "windw"`},
		{"options: duplicate key", decodeInto[Options](), `{"exclude":["a"],"exclude":["b"]}`, `duplicate key "exclude"`},
		{"options: Go field name", decodeInto[Options](), `{"Window":"1h"}`, `unknown key "Window"`},
		{"options: malformed duration", decodeInto[Options](), `{"window":"1 day"}`, `window: "1 day" is not a duration`},
		{"options: duration as nanoseconds", decodeInto[Options](), `{"window":3600000000000}`, `window`},
		{"options: unknown meaning", decodeInto[Options](), `{"retained":"spoke"}`, `retained: metrics: unknown retention meaning "spoke" (want still-member, spoke-on-day or spoke-on-or-after)`},
		{"options: meaning in Go case", decodeInto[Options](), `{"retained":"SpokeOnDay"}`, `"SpokeOnDay"`},
		{"options: meaning as a number", decodeInto[Options](), `{"retained":1}`, `retained`},
		{"options: negative window", decodeInto[Options](), `{"window":"-1h"}`, `window -1h must not be negative`},
		{"thresholds: unknown key", decodeInto[Thresholds](), `{"day_3_retention":{"num":1,"den":2}}`, `unknown key "day_3_retention"`},
		{"thresholds: duplicate key", decodeInto[Thresholds](), `{"reach":{"num":1,"den":2},"reach":{"num":1,"den":3}}`, `duplicate key "reach"`},
		{"thresholds: Go field name", decodeInto[Thresholds](), `{"Reach":{"num":1,"den":2}}`, `unknown key "Reach"`},
		{"thresholds: negative", decodeInto[Thresholds](), `{"reach":{"num":-1,"den":2}}`, `reach -1/2 must not be negative`},
		{"thresholds: ratio with a wrong value", decodeInto[Thresholds](), `{"reach":{"num":1,"den":2,"value":0.6}}`, `value 0.6 is not 1/2`},
		{"thresholds: ratio with a duplicate key", decodeInto[Thresholds](), `{"reach":{"num":1,"num":2,"den":2}}`, `duplicate key "num"`},
		{"health options: unknown key", decodeInto[HealthOptions](), `{"campaign":["a"]}`, `unknown key "campaign"`},
		{"health options: duplicate key", decodeInto[HealthOptions](), `{"window":"1h","window":"2h"}`, `duplicate key "window"`},
		{"health options: Go field name", decodeInto[HealthOptions](), `{"Options":{}}`, `unknown key "Options"`},
		{"health options: malformed duration", decodeInto[HealthOptions](), `{"window":"soon"}`, `"soon"`},
		{"health options: unknown meaning", decodeInto[HealthOptions](), `{"retained":"still member"}`, `"still member"`},
		{"health options: negative threshold", decodeInto[HealthOptions](), `{"perks_response":{"num":-3,"den":10}}`, `perks_response -3/10`},
		{"alert options: unknown key", decodeInto[AlertOptions](), `{"days":3}`, `unknown key "days"`},
		{"alert options: duplicate key", decodeInto[AlertOptions](), `{"run":3,"run":4}`, `duplicate key "run"`},
		{"alert options: Go field name", decodeInto[AlertOptions](), `{"Run":3}`, `unknown key "Run"`},
		{"alert options: negative run", decodeInto[AlertOptions](), `{"run":-1}`, `run -1 must be at least 1`},
		{"term options: unknown key", decodeInto[TermOptions](), `{"stopwords":["a"]}`, `unknown key "stopwords"`},
		{"term options: duplicate key", decodeInto[TermOptions](), `{"min_letters":1,"min_letters":2}`, `duplicate key "min_letters"`},
		{"term options: empty stop word", decodeInto[TermOptions](), `{"stop_words":["a","　"]}`, `stop_words[1]`},
		{"a/b options: Go field name", decodeInto[ABOptions](), `{"Confidence":0.9}`, `unknown key "Confidence"`},
		{"a/b options: confidence 1", decodeInto[ABOptions](), `{"confidence":1}`, `confidence 1 must lie strictly between 0 and 1`},
		{"sample options: duplicate key", decodeInto[SampleOptions](), `{"power":0.8,"power":0.9}`, `duplicate key "power"`},
		{"sample options: power 0 < p < 1", decodeInto[SampleOptions](), `{"power":1.5}`, `power 1.5`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.decode([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decoding %s: error %v, want one containing %s", tt.doc, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "metrics: ") {
				t.Errorf("error %q does not start with the package name", err)
			}
		})
	}
}

// TestOptionsUnmarshalLeavesReceiver checks that a failing decode leaves
// the receiver as it was.
func TestOptionsUnmarshalLeavesReceiver(t *testing.T) {
	o := HealthOptions{Options: Options{Window: time.Hour, Exclude: []string{"bot"}}, Thresholds: DefaultThresholds()}
	before, _ := json.Marshal(o)
	for _, doc := range []string{`{"window":"2h","window":"3h"}`, `{"window":"2h","run":1}`, `{"exclude":["x"],"reach":{"num":-1,"den":1}}`} {
		if err := json.Unmarshal([]byte(doc), &o); err == nil {
			t.Errorf("%s: no error", doc)
		}
		if after, _ := json.Marshal(o); !bytes.Equal(before, after) {
			t.Errorf("%s changed the options:\n%s\n%s", doc, before, after)
		}
	}
}

// TestEnumWords checks that every enumeration is written as its lowercase
// word by String and MarshalText, reads back from it, and that unknown
// values and words are errors naming them.
func TestEnumWords(t *testing.T) {
	for _, tt := range []struct {
		value     enum
		word      string
		unmarshal func(string) (enum, error)
	}{
		{Service, "service", unmarshalAs[GroupKind]},
		{Perks, "perks", unmarshalAs[GroupKind]},
		{Interest, "interest", unmarshalAs[GroupKind]},
		{Notice, "notice", unmarshalAs[GroupKind]},
		{Undefined, "undefined", unmarshalAs[Status]},
		{Pass, "pass", unmarshalAs[Status]},
		{Fail, "fail", unmarshalAs[Status]},
		{Excellent, "excellent", unmarshalAs[Status]},
		{BelowExcellent, "below-excellent", unmarshalAs[Status]},
		{StillMember, "still-member", unmarshalAs[Meaning]},
		{SpokeOnDay, "spoke-on-day", unmarshalAs[Meaning]},
		{SpokeOnOrAfter, "spoke-on-or-after", unmarshalAs[Meaning]},
	} {
		if got := tt.value.String(); got != tt.word {
			t.Errorf("String() = %q, want %q", got, tt.word)
		}
		if b, err := tt.value.MarshalText(); err != nil || string(b) != tt.word {
			t.Errorf("MarshalText() = %q, %v; want %q", b, err, tt.word)
		}
		if got, err := tt.unmarshal(tt.word); err != nil || got != tt.value {
			t.Errorf("UnmarshalText(%q) = %v, %v", tt.word, got, err)
		}
	}
	if k, err := ParseGroupKind("perks"); err != nil || k != Perks {
		t.Errorf(`ParseGroupKind("perks") = %v, %v`, k, err)
	}
	for _, tt := range []struct {
		word, want string
		unmarshal  func(string) (enum, error)
	}{
		{"vip", `metrics: unknown group kind "vip" (want service, perks, interest or notice)`, unmarshalAs[GroupKind]},
		{"Service", `unknown group kind "Service"`, unmarshalAs[GroupKind]},
		{"", `unknown group kind ""`, unmarshalAs[GroupKind]},
		{"ok", `metrics: unknown status "ok" (want undefined, pass, fail, excellent or below-excellent)`, unmarshalAs[Status]},
		{"still member", `metrics: unknown retention meaning "still member" (want still-member, spoke-on-day or spoke-on-or-after)`, unmarshalAs[Meaning]},
	} {
		if _, err := tt.unmarshal(tt.word); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("UnmarshalText(%q): error %v, want %s", tt.word, err, tt.want)
		}
	}
	if _, err := ParseGroupKind("vip"); err == nil || !strings.Contains(err.Error(), `"vip"`) {
		t.Errorf(`ParseGroupKind("vip"): error %v`, err)
	}
	for _, tt := range []struct {
		value enum
		str   string
	}{
		{GroupKind(0), "GroupKind(0)"}, {GroupKind(5), "GroupKind(5)"},
		{Status(-1), "Status(-1)"}, {Status(5), "Status(5)"},
		{Meaning(3), "Meaning(3)"},
	} {
		if got := tt.value.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		num := strings.TrimSuffix(tt.str[strings.IndexByte(tt.str, '(')+1:], ")")
		if _, err := tt.value.MarshalText(); err == nil || !strings.HasSuffix(err.Error(), " "+num) {
			t.Errorf("MarshalText of %s: error %v, want one naming %s", tt.str, err, num)
		}
	}
}

// enum is what the enumerations of the package have in common.
type enum interface {
	String() string
	MarshalText() ([]byte, error)
}

// unmarshalAs reads word with T's UnmarshalText.
func unmarshalAs[T enum, P interface {
	*T
	UnmarshalText([]byte) error
}](word string) (enum, error) {
	var v T
	if err := P(&v).UnmarshalText([]byte(word)); err != nil {
		return nil, err
	}
	return v, nil
}

// Generators of valid option values, for the round-trip properties.

func genRatio(t *rapid.T, label string) Ratio {
	switch rapid.IntRange(0, 3).Draw(t, label+" shape") {
	case 0:
		return Ratio{}
	case 1: // undefined, yet not zero: written with "value":null
		return Ratio{Num: rapid.Int64Range(1, 9).Draw(t, label+" num")}
	}
	return Ratio{Num: rapid.Int64Range(0, 1000).Draw(t, label+" num"), Den: rapid.Int64Range(1, 1000).Draw(t, label+" den")}
}

func genNames(t *rapid.T, label string) []string {
	if rapid.Bool().Draw(t, label+" nil") {
		return nil
	}
	return rapid.SliceOfN(rapid.StringMatching(`[a-z0-9_@.-]{1,8}|成员[0-9]`), 1, 4).Draw(t, label)
}

func genOptions(t *rapid.T) Options {
	return Options{
		Exclude:  genNames(t, "exclude"),
		Retained: rapid.SampledFrom([]Meaning{StillMember, SpokeOnDay, SpokeOnOrAfter}).Draw(t, "retained"),
		Muted:    genNames(t, "muted"),
		Window: rapid.SampledFrom([]time.Duration{0, time.Nanosecond, 90 * time.Second, time.Hour, DefaultWindow, 168*time.Hour + 30*time.Minute}).Draw(t, "window") +
			time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "extra")),
	}
}

func genThresholds(t *rapid.T) Thresholds {
	return Thresholds{
		ServiceActivity: genRatio(t, "service activity"),
		PerksActivity:   genRatio(t, "perks activity"),
		ServiceMessages: genRatio(t, "service messages"),
		PerksResponse:   genRatio(t, "perks response"),
		Day3Retention:   genRatio(t, "day 3"),
		Day7Retention:   genRatio(t, "day 7"),
		Reach:           genRatio(t, "reach"),
	}
}

func genHealthOptions(t *rapid.T) HealthOptions {
	o := HealthOptions{Options: genOptions(t), Thresholds: genThresholds(t)}
	switch rapid.IntRange(0, 2).Draw(t, "campaigns shape") {
	case 1:
		o.Campaigns = []string{}
	case 2:
		o.Campaigns = genNames(t, "campaigns")
	}
	return o
}

func genProbability(t *rapid.T, label string) float64 {
	if rapid.Bool().Draw(t, label+" zero") {
		return 0
	}
	return rapid.Float64Range(1e-9, 1-1e-9).Draw(t, label)
}

// roundTrip checks that v's JSON decodes to a value equal to v that
// encodes to the same bytes.
func roundTrip[T any](t *rapid.T, v T) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %+v: %v", v, err)
	}
	var got T
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if diff := cmp.Diff(v, got); diff != "" {
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

func TestOptionsJSONRoundTripProperty(t *testing.T) {
	t.Run("Options", rapid.MakeCheck(func(t *rapid.T) { roundTrip(t, genOptions(t)) }))
	t.Run("Thresholds", rapid.MakeCheck(func(t *rapid.T) { roundTrip(t, genThresholds(t)) }))
	t.Run("HealthOptions", rapid.MakeCheck(func(t *rapid.T) { roundTrip(t, genHealthOptions(t)) }))
	t.Run("AlertOptions", rapid.MakeCheck(func(t *rapid.T) {
		roundTrip(t, AlertOptions{Threshold: genRatio(t, "threshold"), Run: rapid.IntRange(0, 30).Draw(t, "run")})
	}))
	t.Run("TermOptions", rapid.MakeCheck(func(t *rapid.T) {
		roundTrip(t, TermOptions{
			StopWords:          genNames(t, "stop words"),
			NoDefaultStopWords: rapid.Bool().Draw(t, "no defaults"),
			MinLetters:         rapid.IntRange(0, 10).Draw(t, "min letters"),
		})
	}))
	t.Run("ABOptions", rapid.MakeCheck(func(t *rapid.T) {
		roundTrip(t, ABOptions{Confidence: genProbability(t, "confidence")})
	}))
	t.Run("SampleOptions", rapid.MakeCheck(func(t *rapid.T) {
		roundTrip(t, SampleOptions{Alpha: genProbability(t, "alpha"), Power: genProbability(t, "power")})
	}))
}

// TestResultJSON pins the JSON of the result types: snake_case keys,
// RFC 3339 times, words for enumerations, ratios with their counts. They
// decode back with encoding/json.
func TestResultJSON(t *testing.T) {
	loc := qunops.DefaultLocation()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, loc)
	for _, tt := range []struct {
		name   string
		value  any
		decode func([]byte) (any, error)
		want   string
	}{
		{"day", Day{Date: day, Members: 10, Speakers: 3, Messages: 4, Joins: 2, Activity: Ratio{Num: 3, Den: 10}}, decodeInto[Day](),
			`{"date":"2026-03-02T00:00:00+08:00","members":10,"speakers":3,"messages":4,"joins":2,"leaves":0,"activity":{"num":3,"den":10,"value":0.3}}`},
		{"cohort", Cohort{Date: day, Joined: 2}, decodeInto[Cohort](),
			`{"date":"2026-03-02T00:00:00+08:00","joined":2,"retained":0,"rate":{"num":0,"den":0,"value":null},"complete":false}`},
		{"week", Week{Start: day, End: day.AddDate(0, 0, 6), Members: 1, Speakers: 1, Rate: Ratio{Num: 1, Den: 1}, ActiveDays: map[string]int{"ann": 2}}, decodeInto[Week](),
			`{"start":"2026-03-02T00:00:00+08:00","end":"2026-03-08T00:00:00+08:00","members":1,"speakers":1,"rate":{"num":1,"den":1,"value":1},"active_days":{"ann":2}}`},
		{"broadcast", Broadcast{Item: "coupon", Sent: day.Add(8 * time.Hour), Recipients: 4, Muted: 1, Readers: 2, Responders: 1, Reach: Ratio{Num: 2, Den: 3}, Response: Ratio{Num: 1, Den: 4}}, decodeInto[Broadcast](),
			`{"item":"coupon","sent":"2026-03-02T08:00:00+08:00","recipients":4,"muted":1,"readers":2,"responders":1,"reach":{"num":2,"den":3,"value":0.6666666666666666},"response":{"num":1,"den":4,"value":0.25}}`},
		{"alert", Alert{Figure: "F30", Date: day.AddDate(0, 0, 2), Start: day, Run: 3, Activity: Ratio{Num: 0, Den: 30}, Threshold: Ratio{Num: 10, Den: 100}}, decodeInto[Alert](),
			`{"figure":"F30","date":"2026-03-04T00:00:00+08:00","start":"2026-03-02T00:00:00+08:00","run":3,"activity":{"num":0,"den":30,"value":0},"threshold":{"num":10,"den":100,"value":0.1}}`},
		{"verdict", Verdict{Figure: "F2", Metric: MetricMessagesPerDay, Value: Ratio{Num: 10, Den: 7}, Threshold: Ratio{Num: 50, Den: 1}, AtMost: true, Status: Pass}, decodeInto[Verdict](),
			`{"figure":"F2","metric":"messages-per-day","value":{"num":10,"den":7,"value":1.4285714285714286},"threshold":{"num":50,"den":1,"value":50},"at_most":true,"status":"pass"}`},
		{"term", Term{Text: "优惠", Count: 3}, decodeInto[Term](), `{"text":"优惠","count":3}`},
		{"a/b result", ABResult{
			A:          Arm{Successes: 1, Trials: 4, Rate: Ratio{Num: 1, Den: 4}, Wilson: Interval{Lo: 0.125, Hi: 0.5}},
			B:          Arm{Successes: 2, Trials: 4, Rate: Ratio{Num: 2, Den: 4}, Wilson: Interval{Lo: 0.25, Hi: 0.75}},
			Confidence: 0.95, Diff: -0.25, Lift: Ratio{Num: 4, Den: 4}, Testable: true, Z: -1.5, P: 0.125,
			DiffInterval: Interval{Lo: -0.5, Hi: 0.25},
		}, decodeInto[ABResult](),
			`{"a":{"successes":1,"trials":4,"rate":{"num":1,"den":4,"value":0.25},"wilson":{"lo":0.125,"hi":0.5}},` +
				`"b":{"successes":2,"trials":4,"rate":{"num":2,"den":4,"value":0.5},"wilson":{"lo":0.25,"hi":0.75}},` +
				`"confidence":0.95,"diff":-0.25,"lift":{"num":4,"den":4,"value":1},"testable":true,"z":-1.5,"p":0.125,` +
				`"diff_interval":{"lo":-0.5,"hi":0.25}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			got, err := tt.decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.value, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTrackerNilLocation checks the SDK's rule: a nil location, and the
// zero Tracker, count days in qunops.DefaultLocation.
func TestTrackerNilLocation(t *testing.T) {
	if got := NewTracker(nil).Location(); got != qunops.DefaultLocation() {
		t.Errorf("NewTracker(nil).Location() = %v", got)
	}
	var zero Tracker
	if got := zero.Location(); got != qunops.DefaultLocation() {
		t.Errorf("(&Tracker{}).Location() = %v", got)
	}
	// 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai.
	if err := zero.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	days := zero.Days("g")
	if len(days) != 1 || !days[0].Date.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, qunops.DefaultLocation())) {
		t.Errorf("days = %+v, want one on 2026-03-02 in Shanghai", days)
	}
}
