package schedule

import "time"

// Play is one step of a playbook: a post to make at a time, with the name
// of what it does and the seed figures behind it. In JSON the fields of
// its Slot sit beside its own:
//
//	{"name":"announce","kind":"notice","mention_all":true,"at":"2026-03-05T19:30:00+08:00","seed":"F30,F23"}
type Play struct {
	// Name says what the step does, as a lowercase word ("announce",
	// "flash-lottery", "draw", "live-qa").
	Name string `json:"name"`
	Slot
	// Seed lists the seed figures the step comes from, e.g. "F30,F23".
	Seed string `json:"seed"`
}

// String returns p as its Slot's String followed by its name and seed
// figures: "Thu 2026-03-05 19:30 +08:00 notice @all announce (F30,F23)".
// It is meant for people and may change.
func (p Play) String() string { return p.Slot.String() + " " + p.Name + " (" + p.Seed + ")" }

// The times of the activation playbook (ours: the seed names the acts,
// not their hours). The lottery and the live talk take the evening window
// of F20 and F21, after 20:00 (F28), when members answer; the notice comes
// half an hour before, and at least an hour after the alert leaves time to
// prepare the prizes.
const (
	activationAnnounce = 19*Hour + 30*Minute
	activationLottery  = 20 * Hour
	activationDraw     = 21 * Hour
	activationLive     = 20 * Hour
	activationLead     = time.Hour
)

// Activation returns the activation plan that seed F30 starts when a
// group's activity stays below 10% for 3 consecutive days (the alert of
// package metrics): "启动激活计划(如限时抽奖、干货直播)", a flash lottery and
// a live talk, as four posts for the operator to schedule, in time order
// and in the location of alert:
//
//   - "announce": a Notice with @all (seed F23) at 19:30 announcing both,
//     on the day of alert if that is at least an hour away, else the next
//     day;
//   - "flash-lottery": a Perk at 20:00 the same evening, entries open for
//     an hour (seed F21, at the evening hours of F28);
//   - "draw": a Notice with @all at 21:00 naming the winners of a draw
//     that anyone can check, with its seed (tiering.Draw);
//   - "live-qa": a Live stream at 20:00 the next evening (F30's 干货直播,
//     the weekend live stream of F22).
//
// Times are wall-clock times with the rules of Week for days with a
// daylight-saving change. The plays are extra posts: a lottery in a week
// that had its perk breaks the one-a-week of F21 in Check, and a live talk
// on a weekday the weekend rule of ContentMixPlan; an alert is the
// operator's reason to make that call.
func Activation(alert time.Time) []Play {
	loc := alert.Location()
	y, m, d := alert.Date()
	day, _ := dateOf(y, m, d)
	if localAt(day, activationAnnounce, loc).Sub(alert) < activationLead {
		day, _ = dateOf(y, m, d+1)
	}
	next, _ := dateOf(day.y, day.m, day.d+1)
	return []Play{
		{Name: "announce", Slot: Slot{Kind: Notice, MentionAll: true, At: localAt(day, activationAnnounce, loc)}, Seed: "F30,F23"},
		{Name: "flash-lottery", Slot: Slot{Kind: Perk, At: localAt(day, activationLottery, loc)}, Seed: "F30,F21"},
		{Name: "draw", Slot: Slot{Kind: Notice, MentionAll: true, At: localAt(day, activationDraw, loc)}, Seed: "F30,F21"},
		{Name: "live-qa", Slot: Slot{Kind: Live, At: localAt(next, activationLive, loc)}, Seed: "F30,F22"},
	}
}
