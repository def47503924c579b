package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/rules"
	"github.com/qunops/qunops/schedule"
	"github.com/qunops/qunops/tiering"
)

// scoreGroup is a perks group of 100 members with every verdict the
// scorecard reads, each with the given status.
func scoreGroup(st map[string]metrics.Status) Group {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, shanghaiLoc())
	g := Group{Group: "g", Kind: metrics.Perks, Days: []metrics.Day{{Date: day, Members: 100, Speakers: 30}},
		Tiers: tiering.Counts{Core: 10, Active: 20, Lurker: 50, Casual: 20}}
	for _, v := range []struct{ figure, metric string }{
		{"F25", metrics.MetricActivity}, {"F3", metrics.MetricResponse}, {"F26", metrics.MetricDay3Retention},
		{"F26", metrics.MetricDay7Retention}, {"F27", metrics.MetricReach}, {"F42", metrics.MetricLeaveRate},
	} {
		s, ok := st[v.metric]
		if !ok {
			s = metrics.Excellent
			if v.figure == "F3" || v.figure == "F42" {
				s = metrics.Pass
			}
		}
		g.Verdicts = append(g.Verdicts, metrics.Verdict{Figure: v.figure, Metric: v.metric, Value: metrics.Ratio{Num: 1, Den: 2}, Threshold: metrics.Ratio{Num: 1, Den: 3}, Status: s})
	}
	return g
}

func shanghaiLoc() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}

func levels(s Scorecard) map[Element]Level {
	out := map[Element]Level{}
	for _, g := range s.Grades {
		out[g.Element] = g.Level
	}
	return out
}

// TestScorecardElements checks each element's grade on named cases: every
// check holding, some, none, and no evidence at all (issue 19, item 9: the
// intro's 8 elements as a group scorecard).
func TestScorecardElements(t *testing.T) {
	def := rules.DefaultPolicy()
	full := def
	full.Admins = []string{"a1", "a2", "a3"}
	full.Warnable = []string{"代购"}
	full.Prohibited = []string{"赌博"}
	full.Replies = []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9:00-21:00"}}
	bare := full
	bare.Off = []string{rules.RuleWelcome, rules.RuleNickname, rules.RuleLink, rules.RuleCard, rules.RuleKeyword,
		rules.RuleProhibited, rules.RuleFlood, rules.RuleRepeat, rules.RuleReply, rules.RuleDispute}
	bare.Admins = nil
	plan := schedule.DefaultPlan()
	thin := schedule.Plan{Rules: []schedule.Rule{{Kind: schedule.Ad, Per: schedule.Weekly, Count: 1, Window: schedule.Window{Start: 10 * schedule.Hour, End: 11 * schedule.Hour}}}, DailyCap: 80, AdRunMax: 5}
	noData := map[string]metrics.Status{metrics.MetricDay3Retention: metrics.Undefined, metrics.MetricDay7Retention: metrics.Undefined, metrics.MetricLeaveRate: metrics.Undefined}
	for _, tt := range []struct {
		name string
		g    Group
		in   ScorecardInputs
		want map[Element]Level
	}{
		{"everything known and met", scoreGroup(nil), ScorecardInputs{Policy: &full, Plan: &plan, Tools: []string{"bot", "live codes", "analytics"}},
			map[Element]Level{Positioning: Met, Rules: Met, Management: Met, Content: Met, Stickiness: Met, Monitoring: Met, Tiering: Met, Tools: Met}},
		{"nothing given but the report", scoreGroup(nil), ScorecardInputs{},
			map[Element]Level{Positioning: Met, Rules: Unknown, Management: Unknown, Content: Unknown, Stickiness: Met, Monitoring: Met, Tiering: Met, Tools: Unknown}},
		{"the default policy lists no keywords, replies or admins", scoreGroup(nil), ScorecardInputs{Policy: &def, Tools: []string{}},
			map[Element]Level{Positioning: Met, Rules: Partial, Management: Partial, Content: Unknown, Stickiness: Met, Monitoring: Met, Tiering: Met, Tools: Missing}},
		{"every rule off, a thin plan, below excellent", scoreGroup(map[string]metrics.Status{
			metrics.MetricDay3Retention: metrics.BelowExcellent, metrics.MetricDay7Retention: metrics.BelowExcellent, metrics.MetricLeaveRate: metrics.Fail,
			metrics.MetricActivity: metrics.BelowExcellent, metrics.MetricReach: metrics.BelowExcellent}),
			ScorecardInputs{Policy: &bare, Plan: &thin, Tools: []string{"bot"}},
			map[Element]Level{Positioning: Met, Rules: Missing, Management: Missing, Content: Missing, Stickiness: Missing, Monitoring: Partial, Tiering: Met, Tools: Missing}},
		{"undefined verdicts are unknown, not failed", scoreGroup(noData), ScorecardInputs{},
			map[Element]Level{Positioning: Met, Rules: Unknown, Management: Unknown, Content: Unknown, Stickiness: Unknown, Monitoring: Met, Tiering: Met, Tools: Unknown}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := NewScorecard(tt.g, tt.in)
			if diff := cmp.Diff(tt.want, levels(s)); diff != "" {
				t.Errorf("levels (-want +got):\n%s\n%s", diff, s)
			}
			var els []Element
			for _, g := range s.Grades {
				els = append(els, g.Element)
				if len(g.Figures) == 0 || len(g.Evidence) == 0 {
					t.Errorf("%v: no figures or no evidence: %+v", g.Element, g)
				}
			}
			if diff := cmp.Diff(Elements(), els); diff != "" {
				t.Errorf("elements (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScorecardTiering: lurkers up to half the members pass F33, one more
// does not; a violator still counted fails F34.
func TestScorecardTiering(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts tiering.Counts
		want   Level
	}{
		{"half lurkers", tiering.Counts{Core: 1, Lurker: 5, Casual: 4}, Met},
		{"one lurker past half", tiering.Counts{Core: 1, Lurker: 6, Casual: 3}, Partial},
		{"a violator left in", tiering.Counts{Core: 1, Violator: 1, Casual: 8}, Partial},
		{"no core, lurkers, a violator", tiering.Counts{Lurker: 8, Violator: 1, Casual: 1}, Missing},
		{"no members", tiering.Counts{}, Unknown},
	} {
		g := scoreGroup(nil)
		g.Tiers = tt.counts
		if got := levels(NewScorecard(g, ScorecardInputs{}))[Tiering]; got != tt.want {
			t.Errorf("%s: tiering %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestScorecardToolsF13: 3 tools meet the seed's "3 or more" (F13), 2 do
// not.
func TestScorecardToolsF13(t *testing.T) {
	for _, tt := range []struct {
		tools []string
		want  Level
	}{{nil, Unknown}, {[]string{}, Missing}, {[]string{"bot", "live codes"}, Missing}, {[]string{"bot", "live codes", "analytics"}, Met}} {
		if got := levels(NewScorecard(scoreGroup(nil), ScorecardInputs{Tools: tt.tools}))[Tools]; got != tt.want {
			t.Errorf("tools %q: %v, want %v", tt.tools, got, tt.want)
		}
	}
}

func TestScorecardJSON(t *testing.T) {
	s := NewScorecard(scoreGroup(nil), ScorecardInputs{Tools: []string{"bot"}})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"group":"g"`, `{"element":"positioning","level":"met","figures":["F1"],"evidence":["yes: perks group`, `{"element":"tools","level":"missing","figures":["F13"],"evidence":["no: 1 tools, 3 or more wanted: bot (F13)"]}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back Scorecard
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		dst  interface{ UnmarshalText([]byte) error }
		word string
		want string
	}{
		{new(Element), "Rules", `report: unknown element "Rules" (want positioning, rules, management, content, stickiness, monitoring, tiering or tools)`},
		{new(Level), "", `report: unknown level "" (want unknown, missing, partial or met)`},
	} {
		if err := tt.dst.UnmarshalText([]byte(tt.word)); err == nil || err.Error() != tt.want {
			t.Errorf("UnmarshalText(%q): %v, want %s", tt.word, err, tt.want)
		}
	}
	if _, err := Level(9).MarshalText(); err == nil || Level(9).String() != "Level(9)" || Element(0).String() != "Element(0)" {
		t.Errorf("Level(9): %v", err)
	}
}
