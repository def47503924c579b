// Package schedule turns a group's posting rhythm into a calendar, checks
// posts against it, finds a group's busiest hours and keeps an operator's
// recurring tasks.
//
// # Model
//
// A [Plan] holds one [Rule] per [Kind] of content ([News], [Interactive],
// [Perk], [Notice], [Ad], [Live]): how many posts per day or per week, at
// most and at least, in which [Window] of the day, on which [Weekdays]. On
// top of the rules it caps the posts of a calendar day and the number of
// ads in a row. [Plan.Week] turns a plan into the concrete [Slot]s of one
// week, [Plan.Next] finds the next slot of a kind, and [Plan.Check]
// reports how the [Post]s that went out break the plan, as [Violation]s
// that name the rule, the day and the posts: too many posts and too few
// (a day without its news, a week short of its interactive posts), and
// notices without @all. [Cadence] is a weekly, monthly, quarterly or
// yearly recurrence with [Cadence.Next]. [Activation] is a playbook: the
// [Play]s, posts at times, that answer a low-activity alert.
//
// # Seed figures
//
// [DefaultPlan] encodes seed section 5: news 1-2 a day at 08:00-09:00
// (F19; the window holds 08:59 but not 09:00), interactive posts 3 a week
// at 20:00-21:00 (F20), perks once a week at the group's most active hours
// (F21; 20:00-21:00 until the group's data says otherwise, after F28), at
// most 50 posts a day and @all on notices (F23) and never more than 3 hard
// ads in a row (F24). [ContentMixPlan] adds F22's weekend live stream to
// it. [DefaultCadences] is the operator's calendar: weekly log export and
// monthly figures review (F29), a weekly backup (F13, F40), monthly tier
// refresh (F36), a quarterly offline event and a yearly rule review (F41).
// [Activation] is F30's activation plan (a flash lottery, a live talk).
// [BestHours] and [BestWindow] find a group's most active hours from a
// [Histogram] of its messages (F21).
//
// # Choosing an API
//
// To publish, take [Plan.Week] (or [Plan.WeekJitter] to spread posts over
// their windows with a seeded *rand.Rand) and post at its slots; a bot that
// wakes up for the next post of one kind calls [Plan.Next]. To audit a
// group's history, decode its posts and call [Plan.Check]; pass whole
// days and weeks, since it judges under-posting only over the span the
// posts cover. When the activity alert of seed F30 fires, schedule the
// plays of [Activation] and draw the lottery's winners with tiering.Draw. To move perks
// to a group's own peak, build a [Histogram] with [HistogramOf], take
// [BestWindow] and [Plan.WithWindow].
//
// # JSON
//
// Plans and cadences are written as JSON with encoding/json, in the SDK's
// one dialect: snake_case keys ("daily_cap", "ad_run_max"), enumerations as
// lowercase words ("news", "weekly", "mon,wed,fri", "daily-cap"), times of
// day as "HH:MM" and windows as "HH:MM-HH:MM", instants in RFC 3339.
// Decoding rejects unknown, duplicate and wrongly spelt keys and unknown
// words with an error that names them ("rules[1].kind"), and validates the
// value on the way in ([Plan.Validate] and [Cadence.Validate] name the
// field at fault). [Slot], [Post] and [Violation] marshal the same way.
//
// # Time zones and daylight saving
//
// All times are wall-clock times in a location, computed by calendar
// arithmetic (dates and clock readings, never adding 24 hours), so that
// 08:00 stays 08:00 across a daylight-saving change. [Plan.Week] and
// [Plan.Next] work in the location of their argument; [Plan.Check] in the
// plan's Location, where nil means Asia/Shanghai ([qunops.DefaultLocation]:
// UTC+8, no daylight saving since 1991), as everywhere in the SDK. A week runs from
// Monday 00:00 to the next Monday 00:00 and so lasts 167 or 169 hours when
// it holds a change.
//
// A wall-clock time that occurs twice (clocks go back: 01:30 on
// 1 November 2026 in New York) means its first occurrence. A time that
// does not occur (clocks go forward: 02:30 on 8 March 2026 in New York,
// 29 March 2026 in Berlin) is taken with the UTC offset in force before
// the gap, which moves it forward by the gap: it becomes 03:30. Both rules
// are those of iCalendar (RFC 5545, section 3.3.5); time.Date itself
// leaves the choice open and differs between zones. On that one day a slot
// whose window lies in the gap falls after the window's end, and Check,
// which reads wall clocks, reports a post made there as outside its window.
//
// # What it does not do
//
// It does not post anything, read the clock, or know what a group's
// members say: the caller posts at the slots and passes the posts (and,
// for the cap of seed F23, every post it wants counted) to Check. Windows
// do not wrap past midnight. Plans hold no rules for months or years;
// those are cadences. Loading a location by name from JSON
// ([Plan.UnmarshalJSON]) uses time.LoadLocation and so the tz database;
// importing time/tzdata in a program makes that independent of the host.
//
// # Concurrency and cost
//
// Every type is a value; functions and methods keep no state and are safe
// for concurrent use on values that no one modifies meanwhile. Week
// allocates only its result and costs about 6-12 times the bare time.Date
// calls that make its instants (a few microseconds for the default plan);
// Check of posts in time order is linear, allocates a few reusable day
// buffers plus what it reports, and costs about 3-4 times merely
// bucketing the posts into local days; posts out of order first go
// through a radix sort (16 bytes a post), which about doubles that for
// 10,000 shuffled posts. BenchmarkWeek, BenchmarkCheck and their baselines
// measure this.
package schedule
