package qunops_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/growth"
	"github.com/qunops/qunops/livecode"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/rules"
	"github.com/qunops/qunops/rules/keyword"
	"github.com/qunops/qunops/schedule"
	"github.com/qunops/qunops/tiering"
)

// The names and signatures below are fixed by DESIGN.md: examples, tests
// kept outside the repository and users rely on them. This file fails to
// compile when one of them changes; TestContract checks the few behaviours
// the contract states in words.
var (
	_ func(qunops.Event) error              = qunops.Event.Validate
	_ func() (qunops.Event, error)          = (*qunops.Decoder)(nil).Decode
	_ func(qunops.Event) error              = (*qunops.Encoder)(nil).Encode
	_                                       = []qunops.EventType{qunops.Join, qunops.Leave, qunops.Roster, qunops.Message, qunops.Read, qunops.Claim, qunops.Checkin, qunops.Warn, qunops.Report, qunops.Resolve, qunops.Rename, qunops.Title}
	_                                       = qunops.Event{Type: "", Group: "", Member: "", Time: time.Time{}, Actor: "", ID: "", Kind: "", Text: "", Item: ""}
	_ func(*time.Location) *metrics.Tracker = metrics.NewTracker
	_ func(qunops.Event) error              = (*metrics.Tracker)(nil).Add
	_ func(*metrics.Tracker) error          = (*metrics.Tracker)(nil).Merge
	_ func(string) []metrics.Day            = (*metrics.Tracker)(nil).Days
	_ func(string, int) []metrics.Cohort    = (*metrics.Tracker)(nil).Retention
	_ func() (float64, bool)                = metrics.Ratio{}.Float
	_                                       = metrics.Ratio{Num: 1, Den: 2}
	_                                       = metrics.Day{Date: time.Time{}, Members: 0, Speakers: 0, Messages: 0, Joins: 0, Leaves: 0, Activity: metrics.Ratio{}}
	_                                       = metrics.Cohort{Date: time.Time{}, Joined: 0, Retained: 0, Rate: metrics.Ratio{}, Complete: false}

	_ = []tiering.Tier{tiering.Violator, tiering.Core, tiering.Active, tiering.New, tiering.Lurker, tiering.Casual}
	_ = tiering.Activity{Joined: time.Time{}, Messages: 0, Interactions: 0, Invites: 0, Claims: 0, Warnings: 0,
		LastMessage: time.Time{}, LastClaim: time.Time{}, Banned: false}
	_ func() tiering.Policy                                    = tiering.DefaultPolicy
	_ func(tiering.Activity, time.Time) (tiering.Tier, string) = tiering.Policy{}.Classify

	_ func(rules.Policy) (*rules.Engine, error)  = rules.New
	_ func() rules.Policy                        = rules.DefaultPolicy
	_ func(qunops.Event) ([]rules.Action, error) = (*rules.Engine)(nil).Handle
	_ func(rules.Policy) error                   = (*rules.Engine)(nil).SetPolicy
	_                                            = []any{(*rules.Engine).Ban, (*rules.Engine).Unban, (*rules.Engine).Blacklist, (*rules.Engine).Disputes}
	_                                            = rules.Action{MessageID: "", Members: nil, Mentions: nil}
	_                                            = rules.Policy{Self: nil, DedupeWindow: 0, BlacklistTTL: 0, MaxSkew: 0}
	_ func(time.Time) []rules.Action             = (*rules.Engine)(nil).Tick
	_ func() ([]byte, error)                     = (*rules.Engine)(nil).MarshalJSON
	_ func([]byte) error                         = (*rules.Engine)(nil).UnmarshalJSON
	_                                            = rules.Action{Type: "", Group: "", Member: "", Text: "", Rule: "", Level: 0, Time: time.Time{}}
	_                                            = []rules.ActionType{rules.Welcome, rules.Warn, rules.Remove, rules.Blacklist, rules.Reply, rules.Remind, rules.Notify, rules.Escalate, rules.Recall}
	_                                            = rules.Policy{Admins: nil, Prohibited: nil, Warnable: nil, WarnLimit: 0, DisputeSLA: 0}

	_ func([]string, keyword.Options) (*keyword.Matcher, error) = keyword.Compile
	_ func(string) []keyword.Match                              = (*keyword.Matcher)(nil).FindAll
	_ func(string) bool                                         = (*keyword.Matcher)(nil).Contains
	_                                                           = keyword.Options{Fold: true, SkipNoise: true}
	_                                                           = keyword.Match{Pattern: 0, Start: 0, End: 0}

	_ func(float64, float64, int) float64     = growth.Cumulative
	_ func(float64, float64, float64) float64 = growth.CyclesToReach
	_ func(float64) float64                   = growth.Amplification
	_ func(growth.Offspring) float64          = growth.Extinction
	_ func(growth.Offspring, int) float64     = growth.ExtinctionBy
	_ func(growth.Offspring, int) float64     = growth.AtLeast
	_ growth.Offspring                        = growth.Poisson{Lambda: 2}
	_ growth.Offspring                        = growth.Binomial{N: 3, P: 0.5}
	_ growth.Offspring                        = growth.NegBinomial{R: 2.3, K: 0.5}
	_ growth.Offspring                        = growth.Geometric{}
	_ func(float64) float64                   = growth.Bass{P: 0.03, Q: 0.38}.F
	_ func() float64                          = growth.Bass{}.Peak
	_ func(*rand.Rand) int                    = growth.Poisson{}.Sample

	_ func() schedule.Plan                       = schedule.DefaultPlan
	_ func(time.Time) []schedule.Slot            = schedule.Plan{}.Week
	_ func([]schedule.Post) []schedule.Violation = schedule.Plan{}.Check
	_                                            = schedule.Slot{Kind: schedule.News, At: time.Time{}}
	_                                            = schedule.Post{Kind: schedule.Ad, At: time.Time{}}
	_                                            = []schedule.Kind{schedule.News, schedule.Interactive, schedule.Perk, schedule.Notice, schedule.Ad}

	_ func(livecode.Strategy, ...livecode.Code) (*livecode.Pool, error) = livecode.NewPool
	_ func(string, time.Time) (string, error)                           = (*livecode.Pool)(nil).Assign
	_ func(string, string, time.Time) error                             = (*livecode.Pool)(nil).Joined
	_ func(string, string, time.Time) error                             = (*livecode.Pool)(nil).Left
	_                                                                   = []livecode.Strategy{livecode.FillFirst, livecode.RoundRobin, livecode.LeastLoaded, livecode.Weighted, livecode.Sticky}
	_                                                                   = livecode.Code{ID: "", Members: 0, Cap: 0, ScanLimit: 0, Expires: time.Time{}, Weight: 0, Tags: nil}
	_                                                                   = livecode.ErrFull
)

// TestContract checks the behaviours DESIGN.md states in words for the
// fixed names.
func TestContract(t *testing.T) {
	if s := (metrics.Ratio{Num: 47, Den: 200}).String(); s != "23.5%" {
		t.Errorf("Ratio{47, 200}.String() = %q, want 23.5%% (DESIGN.md)", s)
	}
	if _, ok := (metrics.Ratio{Num: 1}).Float(); ok {
		t.Error("Ratio with Den 0 must be undefined")
	}
	for tier, want := range map[tiering.Tier]string{tiering.Violator: "violator", tiering.Core: "core", tiering.Active: "active",
		tiering.New: "new", tiering.Lurker: "lurker", tiering.Casual: "casual"} {
		if tier.String() != want {
			t.Errorf("tier %d prints %q, want %q", tier, tier.String(), want)
		}
	}
	if _, err := keyword.Compile([]string{""}, keyword.Options{}); err == nil {
		t.Error("Compile of an empty pattern must fail")
	}
	if p := rules.DefaultPolicy(); p.WarnLimit != 2 || p.DisputeSLA != 15*time.Minute {
		t.Errorf("rules defaults: warn limit %d, dispute SLA %v; want 2 (F34) and 15m (F9)", p.WarnLimit, p.DisputeSLA)
	}
	if _, err := rules.New(rules.Policy{WarnLimit: -1}); err == nil {
		t.Error("a negative warn limit must make New fail")
	}
	pool, err := livecode.NewPool(livecode.FillFirst, livecode.Code{ID: "a"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i++ {
		if _, err := pool.Assign(string(rune('A'+i%26))+string(rune('a'+i/26)), now); err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
	}
	if _, err := pool.Assign("one too many", now); err != livecode.ErrFull {
		t.Errorf("the 201st scan of a code with the default scan limit 200: %v, want ErrFull (F11)", err)
	}
}
