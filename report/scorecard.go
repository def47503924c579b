package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/rules"
	"github.com/qunops/qunops/schedule"
	"github.com/qunops/qunops/tiering"
)

// This file grades a group on the eight core elements of the seed's
// introduction: "成功的微信群需兼顾定位清晰度、规则合理性、管理效率、内容价值、
// 用户粘性、数据监控、分层运营及工具辅助八大核心要素" (positioning, rules,
// management efficiency, content value, stickiness, monitoring, tiering and
// tools). Each element is graded from what the SDK knows of the group: its
// report, its rules.Policy, its schedule.Plan and the tools the operator
// names; an element the SDK has no evidence for is Unknown, never a guess.

// Element is one of the eight core elements, written as a lowercase word.
type Element int

const (
	Positioning Element = iota + 1 // 定位清晰度: the group's kind (F1)
	Rules                          // 规则合理性: the rule modules of F4
	Management                     // 管理效率: automation, response time, the admin bench (F8-F10, F41)
	Content                        // 内容价值: the posting plan (F19-F24)
	Stickiness                     // 用户粘性: retention and quits (F26, F42)
	Monitoring                     // 数据监控: activity, reach, alerts (F25, F27, F30)
	Tiering                        // 分层运营: the tiers (F31-F34)
	Tools                          // 工具辅助: 3 or more tools (F13)
)

var elementNames = []string{Positioning: "positioning", Rules: "rules", Management: "management", Content: "content",
	Stickiness: "stickiness", Monitoring: "monitoring", Tiering: "tiering", Tools: "tools"}

// Elements returns the eight elements in the seed's order.
func Elements() []Element {
	return []Element{Positioning, Rules, Management, Content, Stickiness, Monitoring, Tiering, Tools}
}

// String returns the element's word, e.g. "positioning".
func (e Element) String() string { return enumString("Element", elementNames, int(e)) }

// MarshalText writes e's word; it fails when e is not an element.
func (e Element) MarshalText() ([]byte, error) { return enumMarshal("element", elementNames, int(e)) }

// UnmarshalText reads an element's word. On error e is unchanged.
func (e *Element) UnmarshalText(b []byte) error {
	i, err := enumUnmarshal("element", elementNames, b)
	if err == nil {
		*e = Element(i)
	}
	return err
}

// Level grades an element, written as "unknown", "missing", "partial" or
// "met".
type Level int

const (
	// Unknown: the SDK has no evidence for the element (no policy, no
	// plan, no days, no list of tools).
	Unknown Level = iota
	// Missing: none of the element's checks holds.
	Missing
	// Partial: some of the element's checks hold.
	Partial
	// Met: every check of the element holds.
	Met
)

var levelNames = []string{Unknown: "unknown", Missing: "missing", Partial: "partial", Met: "met"}

// String returns the level's word, e.g. "partial".
func (l Level) String() string { return enumString("Level", levelNames, int(l)) }

// MarshalText writes l's word; it fails when l is not a level.
func (l Level) MarshalText() ([]byte, error) { return enumMarshal("level", levelNames, int(l)) }

// UnmarshalText reads a level's word. On error l is unchanged.
func (l *Level) UnmarshalText(b []byte) error {
	i, err := enumUnmarshal("level", levelNames, b)
	if err == nil {
		*l = Level(i)
	}
	return err
}

// Grade is the grade of one element: its level and the evidence for it,
// one line per check, each saying whether it holds ("yes: ..." or "no:
// ...") or why it could not be made ("unknown: ..."). The evidence's
// wording may change; the level's word is stable.
type Grade struct {
	Element  Element  `json:"element"`
	Level    Level    `json:"level"`
	Figures  []string `json:"figures"` // the seed figures the checks cite
	Evidence []string `json:"evidence"`
}

// Scorecard is a group's grades on the eight elements, in the seed's order.
type Scorecard struct {
	Group  string  `json:"group"`
	Grades []Grade `json:"grades"`
}

// String writes the scorecard in lines for people, e.g.
// "rules: partial (F4, F5, F6)"; the wording may change.
func (s Scorecard) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:\n", s.Group)
	for _, g := range s.Grades {
		fmt.Fprintf(&b, "  %-11s %-7s (%s)\n", g.Element, g.Level, strings.Join(g.Figures, ", "))
		for _, e := range g.Evidence {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	return b.String()
}

// ScorecardInputs is what a scorecard needs beyond the group's report.
// Every field is optional: a nil or empty one makes the elements that need
// it Unknown.
type ScorecardInputs struct {
	// Policy is the rules the group's bot enforces (rules, management).
	Policy *rules.Policy
	// Plan is the group's posting plan (content).
	Plan *schedule.Plan
	// Tools names the tools the operator uses for the group: a bot, a live
	// code system, an analytics tool... (seed F13: 3 or more). Nil means
	// not said; an empty, non-nil list means none.
	Tools []string
}

// NewScorecard grades g on the eight elements of the seed's introduction.
// Each element's checks, and the level they make (Met when all hold,
// Missing when none does, Partial between, Unknown without evidence):
//   - positioning: the group has a kind (F1), which selects its figures;
//   - rules: the modules of F4 are switched on: the welcome (F5), the
//     nickname reminder (F5), links and cards (F6), ad keywords listed (F6),
//     prohibited keywords listed (F38), flooding (F4);
//   - management: automatic warnings on (F8), auto replies listed (F10),
//     disputes answered within 15 minutes (F9), a bench of 3 admins (F41);
//   - content: the plan has daily news (F19), 3 interactive posts a week
//     (F20), a weekly perk (F21), a cap of 50 posts a day (F23) and at most
//     3 ads in a row (F24);
//   - stickiness: day-3 and day-7 retention excellent (F26) and the quit
//     rate within 8% (F42), from g.Verdicts;
//   - monitoring: activity excellent (F25), reach excellent (F27), and no
//     low-activity alert (F30);
//   - tiering: core members (F31), lurkers at most half the members (F33),
//     no violator still in the group (F34);
//   - tools: 3 or more tools named (F13).
//
// A check whose figure is undefined for the group (a verdict without data)
// counts neither way and says so in the evidence. NewScorecard reads only
// its arguments.
func NewScorecard(g Group, in ScorecardInputs) Scorecard {
	s := Scorecard{Group: g.Group}
	for _, e := range Elements() {
		var cs checks
		switch e {
		case Positioning:
			cs = positioning(g)
		case Rules:
			cs = rulesChecks(in.Policy)
		case Management:
			cs = management(in.Policy)
		case Content:
			cs = content(in.Plan)
		case Stickiness:
			cs = verdictChecks(g, []verdictCheck{{"F26", metrics.MetricDay3Retention}, {"F26", metrics.MetricDay7Retention}, {"F42", metrics.MetricLeaveRate}})
		case Monitoring:
			cs = monitoring(g)
		case Tiering:
			cs = tieringChecks(g)
		case Tools:
			cs = toolChecks(in.Tools)
		}
		s.Grades = append(s.Grades, cs.grade(e))
	}
	return s
}

// checks collects the outcomes of an element's checks.
type checks struct {
	figures  []string
	evidence []string
	held     int
	made     int
	unknown  string // when set, the element is Unknown for this reason
}

// add records a check of figure: held, and what it found.
func (c *checks) add(figure string, held bool, text string) {
	c.cite(figure)
	c.made++
	if held {
		c.held++
		c.evidence = append(c.evidence, "yes: "+text+" ("+figure+")")
	} else {
		c.evidence = append(c.evidence, "no: "+text+" ("+figure+")")
	}
}

// skip records a check that could not be made.
func (c *checks) skip(figure, text string) {
	c.cite(figure)
	c.evidence = append(c.evidence, "unknown: "+text+" ("+figure+")")
}

func (c *checks) cite(figure string) {
	if !slices.Contains(c.figures, figure) {
		c.figures = append(c.figures, figure)
	}
}

func (c checks) grade(e Element) Grade {
	g := Grade{Element: e, Figures: c.figures, Evidence: c.evidence}
	if g.Figures == nil {
		g.Figures = []string{}
	}
	switch {
	case c.unknown != "":
		g.Evidence = append(g.Evidence, "unknown: "+c.unknown)
	case c.made == 0:
		g.Level = Unknown
	case c.held == c.made:
		g.Level = Met
	case c.held == 0:
		g.Level = Missing
	default:
		g.Level = Partial
	}
	return g
}

func positioning(g Group) checks {
	var c checks
	if _, err := g.Kind.MarshalText(); err != nil {
		c.cite("F1")
		c.unknown = "the group has no kind"
		return c
	}
	c.add("F1", true, g.Kind.String()+" group, which selects its health figures")
	return c
}

// on reports whether the rule named is switched on in p.
func on(p *rules.Policy, rule string) bool { return !slices.Contains(p.Off, rule) }

func rulesChecks(p *rules.Policy) checks {
	var c checks
	if p == nil {
		c.cite("F4")
		c.unknown = "no rules.Policy given"
		return c
	}
	c.add("F5", on(p, rules.RuleWelcome), "join notice: newcomers are welcomed and pointed to the announcement")
	c.add("F5", on(p, rules.RuleNickname), "join notice: a nickname that does not fit 【城市-昵称】 gets a reminder")
	c.add("F6", on(p, rules.RuleLink) && on(p, rules.RuleCard), "banned acts: outside links and name cards are warned")
	c.add("F6", len(p.Warnable) > 0 && on(p, rules.RuleKeyword), fmt.Sprintf("banned acts: %d ad keywords", len(p.Warnable)))
	c.add("F38", len(p.Prohibited) > 0 && on(p, rules.RuleProhibited), fmt.Sprintf("banned acts: %d prohibited keywords, removed at once", len(p.Prohibited)))
	c.add("F4", on(p, rules.RuleFlood) && on(p, rules.RuleRepeat), "banned acts: flooding and repeats are warned")
	return c
}

func management(p *rules.Policy) checks {
	var c checks
	if p == nil {
		c.cite("F9")
		c.unknown = "no rules.Policy given"
		return c
	}
	c.add("F8", on(p, rules.RuleLink) || on(p, rules.RuleKeyword) || on(p, rules.RuleFlood), "warnings are automatic")
	c.add("F10", len(p.Replies) > 0 && on(p, rules.RuleReply), fmt.Sprintf("%d auto replies answer around the clock", len(p.Replies)))
	sla := p.DisputeSLA
	if sla == 0 {
		sla = rules.DefaultPolicy().DisputeSLA
	}
	c.add("F9", on(p, rules.RuleDispute) && sla <= 15*time.Minute, fmt.Sprintf("disputes escalate after %v", sla))
	c.add("F41", len(p.Admins) >= rules.MinAdmins, fmt.Sprintf("%d admins on the bench, %d wanted", len(p.Admins), rules.MinAdmins))
	return c
}

// planWeek returns a day of the week whose slots content counts: any week
// serves, since a plan places the same posts every week (the count changes
// only where a daylight saving change removes a wall-clock hour, which
// Asia/Shanghai, the default, does not have).
func planWeek(loc *time.Location) time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, loc) }

func content(p *schedule.Plan) checks {
	var c checks
	if p == nil {
		c.cite("F19")
		c.unknown = "no schedule.Plan given"
		return c
	}
	if err := p.Validate(); err != nil {
		c.cite("F19")
		c.unknown = "the plan is invalid: " + err.Error()
		return c
	}
	n := map[schedule.Kind]int{}
	days := map[schedule.Kind]map[time.Weekday]bool{}
	for _, s := range p.Week(planWeek(p.Loc())) {
		n[s.Kind]++
		if days[s.Kind] == nil {
			days[s.Kind] = map[time.Weekday]bool{}
		}
		days[s.Kind][s.At.Weekday()] = true
	}
	c.add("F19", len(days[schedule.News]) == 7, fmt.Sprintf("news on %d days of 7", len(days[schedule.News])))
	c.add("F20", n[schedule.Interactive] >= 3, fmt.Sprintf("%d interactive posts a week, 3 wanted", n[schedule.Interactive]))
	c.add("F21", n[schedule.Perk] >= 1, fmt.Sprintf("%d perk posts a week", n[schedule.Perk]))
	daily, run := p.DailyCap, p.AdRunMax
	if daily == 0 {
		daily = schedule.DefaultDailyCap
	}
	if run == 0 {
		run = schedule.DefaultAdRunMax
	}
	c.add("F23", daily <= 50, fmt.Sprintf("at most %d posts a day", daily))
	c.add("F24", run <= 3, fmt.Sprintf("at most %d ads in a row", run))
	return c
}

type verdictCheck struct{ figure, metric string }

// verdictChecks makes a check of each verdict of g named by vc.
func verdictChecks(g Group, vc []verdictCheck) checks {
	var c checks
	for _, want := range vc {
		i := slices.IndexFunc(g.Verdicts, func(v metrics.Verdict) bool { return v.Figure == want.figure && v.Metric == want.metric })
		if i < 0 {
			c.skip(want.figure, want.metric+": no verdict for a "+g.Kind.String()+" group")
			continue
		}
		v := g.Verdicts[i]
		if v.Status == metrics.Undefined {
			c.skip(v.Figure, strings.TrimPrefix(v.String(), v.Figure+" "))
			continue
		}
		c.add(v.Figure, v.Status.Met(), strings.TrimPrefix(v.String(), v.Figure+" "))
	}
	return c
}

func monitoring(g Group) checks {
	if len(g.Days) == 0 {
		c := checks{unknown: "the group has no days"}
		c.cite("F25")
		return c
	}
	c := verdictChecks(g, []verdictCheck{{"F25", metrics.MetricActivity}, {"F27", metrics.MetricReach}})
	c.add("F30", len(g.Alerts) == 0, fmt.Sprintf("%d low-activity alerts over %d days", len(g.Alerts), len(g.Days)))
	return c
}

func tieringChecks(g Group) checks {
	var c checks
	total := g.Tiers.Total()
	if total == 0 {
		c.cite("F31")
		c.unknown = "no tiers: the group has no members"
		return c
	}
	core, lurk, bad := g.Tiers.Of(tiering.Core), g.Tiers.Of(tiering.Lurker), g.Tiers.Of(tiering.Violator)
	c.add("F31", core > 0, fmt.Sprintf("%d core members of %d", core, total))
	c.add("F33", 2*lurk <= total, fmt.Sprintf("%d lurkers of %d", lurk, total))
	c.add("F34", bad == 0, fmt.Sprintf("%d violators still in the group", bad))
	return c
}

func toolChecks(tools []string) checks {
	var c checks
	if tools == nil {
		c.cite("F13")
		c.unknown = "the tools in use were not given"
		return c
	}
	text := fmt.Sprintf("%d tools, 3 or more wanted", len(tools))
	if len(tools) > 0 {
		text += ": " + strings.Join(tools, ", ")
	}
	c.add("F13", len(tools) >= 3, text)
	return c
}

// enumString, enumMarshal and enumUnmarshal implement the words of the
// package's enumerations.
func enumString(typ string, names []string, i int) string {
	if i >= 0 && i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", typ, i)
}

func enumMarshal(what string, names []string, i int) ([]byte, error) {
	if i >= 0 && i < len(names) && names[i] != "" {
		return []byte(names[i]), nil
	}
	return nil, fmt.Errorf("report: unknown %s %d", what, i)
}

func enumUnmarshal(what string, names []string, b []byte) (int, error) {
	if i := slices.Index(names, string(b)); i >= 0 && len(b) > 0 {
		return i, nil
	}
	var valid []string
	for _, n := range names {
		if n != "" {
			valid = append(valid, n)
		}
	}
	return 0, fmt.Errorf("report: unknown %s %q (want %s or %s)", what, b, strings.Join(valid[:len(valid)-1], ", "), valid[len(valid)-1])
}
