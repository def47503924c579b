package schedule

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Post is a post that went out (or is about to): its kind, its time and
// whether it mentioned everyone. In JSON:
// {"kind":"notice","mention_all":true,"at":"2026-03-02T08:00:00+08:00"}.
type Post struct {
	Kind Kind `json:"kind"`
	// MentionAll reports that the post used @all (@所有人, WeChat's
	// "全体成员" function). Important notices use it (seed F23): Check
	// reports a Notice without it. (It sits next to Kind, which keeps a
	// Post at 32 bytes.)
	MentionAll bool      `json:"mention_all,omitempty"`
	At         time.Time `json:"at"`
}

// RuleID names the rule a Violation breaks. Its values are lowercase words
// ("daily-cap", "ad-run", ...); MarshalText and UnmarshalText accept only
// the constants below.
type RuleID string

// The rules Check enforces.
const (
	// CapRule: more posts on a calendar day than the plan's DailyCap
	// (seed F23).
	CapRule RuleID = "daily-cap"
	// AdRunRule: more ads in a row than the plan's AdRunMax (seed F24).
	AdRunRule RuleID = "ad-run"
	// WindowRule: posts of a kind outside its rule's window.
	WindowRule RuleID = "window"
	// WeekdayRule: posts of a kind on a weekday its rule leaves out.
	WeekdayRule RuleID = "weekday"
	// CountRule: more posts of a kind in a day or week than its rule's Max.
	CountRule RuleID = "count"
	// MinRule: fewer posts of a kind in a day or week than its rule's Min:
	// a day without its news post (seed F19), a week with fewer than 3
	// interactive posts (seed F20).
	MinRule RuleID = "min"
	// MentionRule: a Notice posted without @all (seed F23: important
	// notices use the "全体成员" function).
	MentionRule RuleID = "mention-all"
	// KindRule: posts whose Kind is not a kind.
	KindRule RuleID = "kind"
	// PlanRule: the plan itself does not validate; Check checks nothing
	// else.
	PlanRule RuleID = "plan"
)

// ruleIDs are the rules in the order Check sorts violations of one day.
var ruleIDs = [...]RuleID{CapRule, AdRunRule, WindowRule, WeekdayRule, CountRule, MinRule, MentionRule, KindRule, PlanRule}

// MarshalText writes r; it fails when r is not one of the rule constants.
func (r RuleID) MarshalText() ([]byte, error) {
	if !slices.Contains(ruleIDs[:], r) {
		return nil, fmt.Errorf("schedule: rule %q is not %s", string(r), orList(ruleIDs[:]))
	}
	return []byte(r), nil
}

// UnmarshalText reads a rule's name. On error r is left unchanged.
func (r *RuleID) UnmarshalText(b []byte) error {
	v := RuleID(b)
	if !slices.Contains(ruleIDs[:], v) {
		return fmt.Errorf("schedule: rule %q is not %s", b, orList(ruleIDs[:]))
	}
	*r = v
	return nil
}

// orList joins words as "a, b or c", for the error of an unknown word;
// the enumerations of this package list their words with it.
func orList[S ~string](words []S) string {
	var b strings.Builder
	for i, w := range words {
		switch {
		case i == len(words)-1:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(w))
	}
	return b.String()
}

// Violation is one breach of a plan found by Check. In JSON the keys are
// the field names in snake_case, with the kind and the day left out when
// zero:
//
//	{"rule":"ad-run","kind":"ad","day":"2026-03-02T00:00:00+08:00","posts":[3,4,5,6],"reason":"..."}
type Violation struct {
	Rule RuleID `json:"rule"`
	// Kind is the kind concerned; 0 for CapRule, KindRule and PlanRule.
	Kind Kind `json:"kind,omitzero"`
	// Day is local midnight (the first instant) of the calendar day in the
	// plan's location: the day of the posts, the first post's day for an
	// ad run, the Monday for a weekly count. Zero for PlanRule.
	Day time.Time `json:"day,omitzero"`
	// Until is set only for a MinRule violation that covers a run of
	// periods without a single post of any kind: the local midnight of the
	// last day (Daily rules) or Monday (Weekly rules) of the run, which
	// starts at Day. One violation for the run, rather than one a day,
	// keeps the report of a long silence short.
	Until time.Time `json:"until,omitzero"`
	// Posts are the indices into Check's argument of the posts concerned,
	// in time order: all the day's posts for CapRule, all posts of the
	// kind in the period for CountRule and MinRule (none for a silent
	// run), the offending posts otherwise.
	Posts []int `json:"posts,omitempty"`
	// Reason says what is wrong, for people; it may change.
	Reason string `json:"reason"`
}

// Check reports how posts break p, in the plan's location (Plan.Loc):
//   - CapRule: a calendar day with more than DailyCap posts (seed F23);
//   - AdRunRule: more than AdRunMax Ad posts in a row, in time order,
//     across days (seed F24);
//   - WindowRule, WeekdayRule: posts of a kind with a rule whose local wall
//     clock lies outside the rule's window, or whose weekday is not among
//     its Days;
//   - CountRule: more posts of a kind than its rule's Max in a calendar day
//     (Daily rules) or a Monday-first week (Weekly rules);
//   - MinRule: fewer posts of a kind than its rule's Min in such a day or
//     week (see below for the days and weeks it looks at);
//   - MentionRule: a Notice posted without @all (seed F23);
//   - KindRule: posts with an invalid Kind, which are otherwise ignored.
//
// Kinds without a rule count toward the cap and, for Ad, the run; a
// Notice needs @all with or without a rule. posts
// may come in any order; equal times keep their order. Violations are
// sorted by day, then in the order of the list above, then by the time of
// their first post (or their day, for a MinRule violation without posts).
//
// Under-posting can only be judged over a span the posts cover: MinRule
// looks at every calendar day from the day of the earliest post to the day
// of the latest, both whole, and at every Monday-first week that lies
// wholly inside those days. Pass the posts of whole days (a log that
// starts at noon misses that morning's news) and of whole weeks for the
// weekly minimums; a week cut by the first or last post's day is not
// judged. Days and weeks with no post at all inside the span are reported
// as one violation per rule and run, from Day to Until.
// When p does not validate, the result is a single PlanRule violation.
//
// Cost: O(n) for posts in time order; posts out of order are first put in
// time order by a radix sort of packed (instant, index) keys, a few linear
// passes (O(n log n) comparisons only for nanosecond instants spread over
// hours with 10^4 posts or more, or whole seconds over centuries), about
// as much again as the check itself. Allocations: the violations, a few
// per-day buffers reused from day to day, and, for posts out of order,
// two slices of n words (16 bytes a post).
func (p Plan) Check(posts []Post) []Violation {
	if err := p.Validate(); err != nil {
		return []Violation{{Rule: PlanRule, Reason: err.Error()}}
	}
	c := checker{loc: p.Loc(), posts: posts, cap: p.cap(), adMax: p.adRunMax()}
	for _, r := range p.Rules {
		c.rules[r.Kind] = r
		c.has[r.Kind] = true
	}
	sorted := slices.IsSortedFunc(posts, func(a, b Post) int { return a.At.Compare(b.At) })
	if sorted {
		for i := range posts {
			c.add(i)
		}
	} else {
		for _, i := range timeOrder(posts) {
			c.add(int(i))
		}
	}
	if c.started {
		c.endDay()
		c.endWeek(true)
		c.endAdRun()
	}
	slices.SortStableFunc(c.out, func(a, b Violation) int {
		if x := a.Day.Compare(b.Day); x != 0 {
			return x
		}
		if x := ruleRank(a.Rule) - ruleRank(b.Rule); x != 0 {
			return x
		}
		return firstAt(posts, a).Compare(firstAt(posts, b))
	})
	return c.out
}

// firstAt is the time a violation sorts by within its day and rule: its
// first post's, or its day's when it has none.
func firstAt(posts []Post, v Violation) time.Time {
	if len(v.Posts) == 0 {
		return v.Day
	}
	return posts[v.Posts[0]].At
}

// timeOrder returns the indices of posts (at least one) in time order, equal instants in
// index order. The instants are packed with their index into one uint64,
// (instant - earliest) in the coarsest unit that holds them all exactly
// (second, millisecond or nanosecond), shifted left past the index bits,
// and sorted by an LSD radix sort, which costs a few linear passes where a
// comparison sort costs O(n log n) calls of a comparison function. When the
// packed keys would not fit in 64 bits (posts spread over more than about
// 500 years at one-second resolution for 10^4 posts, or a few hours at
// nanosecond resolution), it sorts (instant, index) pairs by comparison
// instead.
func timeOrder(posts []Post) []uint64 {
	n := len(posts)
	minSec, maxSec := posts[0].At.Unix(), posts[0].At.Unix()
	unit := int64(1e9) // nanoseconds per unit: the coarsest that all nsec are multiples of
	for i := range posts {
		sec, nsec := posts[i].At.Unix(), int64(posts[i].At.Nanosecond())
		minSec, maxSec = min(minSec, sec), max(maxSec, sec)
		if nsec%unit != 0 {
			if nsec%1e6 == 0 {
				unit = 1e6
			} else {
				unit = 1
			}
		}
	}
	idxBits := bits.Len(uint(n - 1))
	perSec := uint64(1e9 / unit)
	span := uint64(maxSec) - uint64(minSec) // exact: the difference of two int64s is below 2^64
	if span >= (math.MaxUint64>>idxBits)/perSec-1 {
		return compareOrder(posts)
	}
	keys := make([]uint64, n)
	for i := range posts {
		sec, nsec := posts[i].At.Unix(), int64(posts[i].At.Nanosecond())
		t := uint64(sec-minSec)*perSec + uint64(nsec/unit)
		keys[i] = t<<idxBits | uint64(i)
	}
	keys = radixSort(keys, make([]uint64, n))
	mask := uint64(1)<<idxBits - 1
	for j := range keys {
		keys[j] &= mask
	}
	return keys
}

// radixSort sorts keys with buf, of the same length, as scratch, 11 bits a
// pass, skipping the passes whose digit is the same for every key, and
// returns whichever of the two holds the result.
func radixSort(keys, buf []uint64) []uint64 {
	const digit = 11
	var or, and uint64 = 0, math.MaxUint64
	for _, k := range keys {
		or |= k
		and &= k
	}
	varying := or ^ and // bits that differ between some keys
	var count [1 << digit]int
	for shift := 0; shift < 64; shift += digit {
		if (varying>>shift)&(1<<digit-1) == 0 {
			continue
		}
		clear(count[:])
		for _, k := range keys {
			count[(k>>shift)&(1<<digit-1)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, k := range keys {
			d := (k >> shift) & (1<<digit - 1)
			buf[count[d]] = k
			count[d]++
		}
		keys, buf = buf, keys
	}
	return keys
}

// compareOrder sorts indices by (instant, index) with a comparison sort.
func compareOrder(posts []Post) []uint64 {
	order := make([]uint64, len(posts))
	for i := range order {
		order[i] = uint64(i)
	}
	slices.SortFunc(order, func(a, b uint64) int {
		if c := posts[a].At.Compare(posts[b].At); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}

func ruleRank(r RuleID) int { return slices.Index(ruleIDs[:], r) }

// checker holds the state of one Check: the current day and week and the
// posts seen in them.
type checker struct {
	loc   *time.Location
	posts []Post
	cap   int
	adMax int
	rules [numKinds]Rule
	has   [numKinds]bool

	started          bool
	firstDay         date // the day of the earliest post: the span's start
	day, next        date // the current day and the one after it
	weekday          time.Weekday
	dayStart, dayEnd time.Time // the current day's instants: [dayStart, dayEnd)
	flat             bool      // the day is 24 h with one UTC offset
	week             date      // Monday of the current week
	weekStart        time.Time

	dayAll   []int           // all valid posts of the day
	dayKind  [numKinds][]int // posts of the day by kind (Daily rules)
	outside  [numKinds][]int // posts of the day outside their window
	wrongDay [numKinds][]int // posts of the day on a weekday not allowed
	badKind  []int           // posts of the day with an invalid kind
	noAll    []int           // notices of the day without @all
	weekKind [numKinds][]int // posts of the week by kind (Weekly rules)
	adRun    []int           // the current run of ads
	adRunDay time.Time       // the day of the run's first ad
	out      []Violation
}

func (c *checker) add(i int) {
	t := c.posts[i].At
	if !c.started || t.Before(c.dayStart) || !t.Before(c.dayEnd) {
		c.newDay(t)
	}
	k := c.posts[i].Kind
	if !k.Valid() {
		c.badKind = append(c.badKind, i)
		return
	}
	c.dayAll = append(c.dayAll, i)
	if k == Notice && !c.posts[i].MentionAll {
		c.noAll = append(c.noAll, i)
	}
	if k == Ad {
		if len(c.adRun) == 0 {
			c.adRunDay = c.dayStart
		}
		c.adRun = append(c.adRun, i)
	} else {
		c.endAdRun()
	}
	if !c.has[k] {
		return
	}
	r := &c.rules[k]
	var clock Clock
	if c.flat {
		clock = Clock(t.Sub(c.dayStart) / time.Minute)
	} else {
		clock = clockOf(t.In(c.loc))
	}
	if !r.Window.Contains(clock) {
		c.outside[k] = append(c.outside[k], i)
	}
	if !r.days().Has(c.weekday) {
		c.wrongDay[k] = append(c.wrongDay[k], i)
	}
	if r.Per == Daily {
		c.dayKind[k] = append(c.dayKind[k], i)
	} else {
		c.weekKind[k] = append(c.weekKind[k], i)
	}
}

// newDay closes the current day (and week, if t is in another) and opens
// the day of t.
func (c *checker) newDay(t time.Time) {
	lt := t.In(c.loc)
	y, m, d := lt.Date()
	day, weekday := dateOf(y, m, d)
	if c.started && day == c.day {
		return // only the bounds were odd (see below)
	}
	if c.started {
		c.endDay()
		if day != c.next {
			c.silentDays(c.next, day)
		}
	} else {
		c.firstDay = day
	}
	c.day, c.weekday = day, weekday
	next, _ := dateOf(y, m, d+1)
	c.next = next
	c.dayStart = localAt(c.day, 0, c.loc)
	c.dayEnd = localAt(next, 0, c.loc)
	_, off1 := c.dayStart.Zone()
	_, off2 := c.dayEnd.Zone()
	c.flat = off1 == off2 && c.dayEnd.Sub(c.dayStart) == 24*time.Hour
	if c.dayStart.After(t) || !c.dayEnd.After(t) {
		// A day whose midnight the zone moves oddly: read the clock of
		// every post, and the date of the next one.
		c.dayEnd, c.flat = c.dayStart, false
	}
	monday, _ := dateOf(y, m, d-(int(c.weekday)+6)%7)
	if !c.started || monday != c.week {
		if c.started {
			c.endWeek(false)
			c.silentWeeks(c.week, monday)
		}
		c.week = monday
		c.weekStart = localAt(monday, 0, c.loc)
	}
	c.started = true
}

func (c *checker) emit(r RuleID, k Kind, day time.Time, posts []int, reason string) {
	c.out = append(c.out, Violation{Rule: r, Kind: k, Day: day, Posts: slices.Clone(posts), Reason: reason})
}

func (c *checker) endDay() {
	if len(c.dayAll) > c.cap {
		c.emit(CapRule, 0, c.dayStart, c.dayAll, fmt.Sprintf("%d posts on %s, more than the daily cap of %d (seed F23)", len(c.dayAll), c.day, c.cap))
	}
	if len(c.badKind) > 0 {
		c.emit(KindRule, 0, c.dayStart, c.badKind, fmt.Sprintf("%d posts on %s have no valid kind (first: kind %d)", len(c.badKind), c.day, uint8(c.posts[c.badKind[0]].Kind)))
	}
	if len(c.noAll) > 0 {
		c.emit(MentionRule, Notice, c.dayStart, c.noAll, fmt.Sprintf("%d notices on %s without @all (seed F23)", len(c.noAll), c.day))
	}
	for k := News; k <= Live; k++ {
		r := c.rules[k]
		if len(c.outside[k]) > 0 {
			c.emit(WindowRule, k, c.dayStart, c.outside[k], fmt.Sprintf("%d %v posts on %s outside %v", len(c.outside[k]), k, c.day, r.Window))
		}
		if len(c.wrongDay[k]) > 0 {
			c.emit(WeekdayRule, k, c.dayStart, c.wrongDay[k], fmt.Sprintf("%d %v posts on %s, a %v, not among %v", len(c.wrongDay[k]), k, c.day, c.weekday, r.days()))
		}
		if len(c.dayKind[k]) > r.max() {
			c.emit(CountRule, k, c.dayStart, c.dayKind[k], fmt.Sprintf("%d %v posts on %s, more than %d a day", len(c.dayKind[k]), k, c.day, r.max()))
		}
		if c.has[k] && r.Per == Daily && len(c.dayKind[k]) < r.Min && r.days().Has(c.weekday) {
			c.emit(MinRule, k, c.dayStart, c.dayKind[k], fmt.Sprintf("%d %v posts on %s, fewer than %d a day", len(c.dayKind[k]), k, c.day, r.Min))
		}
		c.outside[k], c.wrongDay[k], c.dayKind[k] = c.outside[k][:0], c.wrongDay[k][:0], c.dayKind[k][:0]
	}
	c.dayAll, c.badKind, c.noAll = c.dayAll[:0], c.badKind[:0], c.noAll[:0]
}

// endWeek closes the current week. last says it is the week of the latest
// post, which Check judges for minimums only when that post's day is its
// Sunday; an earlier week is judged when it starts on or after the day of
// the earliest post.
func (c *checker) endWeek(last bool) {
	whole := !c.week.before(c.firstDay) && (!last || c.weekday == time.Sunday)
	for k := News; k <= Live; k++ {
		r := c.rules[k]
		if len(c.weekKind[k]) > r.max() {
			c.emit(CountRule, k, c.weekStart, c.weekKind[k], fmt.Sprintf("%d %v posts in the week of %s, more than %d a week", len(c.weekKind[k]), k, c.week, r.max()))
		}
		if whole && c.has[k] && r.Per == Weekly && len(c.weekKind[k]) < r.Min {
			c.emit(MinRule, k, c.weekStart, c.weekKind[k], fmt.Sprintf("%d %v posts in the week of %s, fewer than %d a week", len(c.weekKind[k]), k, c.week, r.Min))
		}
		c.weekKind[k] = c.weekKind[k][:0]
	}
}

// silentDays reports the Daily minimums missed on the days from through
// to (exclusive), on which no post at all went out: one violation per
// rule, from the first to the last of those days that the rule posts on.
// Cost: O(1) per rule, whatever the length of the silence.
func (c *checker) silentDays(from, to date) {
	a, b := from.num(), to.num()-1
	for k := News; k <= Live; k++ {
		r := c.rules[k]
		if !c.has[k] || r.Per != Daily || r.Min == 0 {
			continue
		}
		days := r.days()
		first, last, n := a, b, int64(0)
		for first <= b && !days.Has(weekdayOf(first)) {
			first++
		}
		for last >= first && !days.Has(weekdayOf(last)) {
			last--
		}
		if first > last {
			continue
		}
		// Whole weeks hold every weekday once; count the rest one by one.
		span := last - first + 1
		n = span / 7 * int64(days.Len())
		for d := first + span/7*7; d <= last; d++ {
			if days.Has(weekdayOf(d)) {
				n++
			}
		}
		c.emitSilent(k, first, last, n, "day", r.Min)
	}
}

// silentWeeks reports the Weekly minimums missed in the weeks after the
// week of Monday prev and before the week of Monday cur, in which no post
// at all went out: one violation per rule for the run.
func (c *checker) silentWeeks(prev, cur date) {
	a, b := prev.num()+7, cur.num()-7
	if a > b {
		return
	}
	for k := News; k <= Live; k++ {
		r := c.rules[k]
		if c.has[k] && r.Per == Weekly && r.Min > 0 {
			c.emitSilent(k, a, b, (b-a)/7+1, "week", r.Min)
		}
	}
}

// emitSilent reports n days or weeks (unit) without a post of kind k,
// from day number first to day number last.
func (c *checker) emitSilent(k Kind, first, last, n int64, unit string, min int) {
	df, dl := dateOfNum(first), dateOfNum(last)
	v := Violation{Rule: MinRule, Kind: k, Day: localAt(df, 0, c.loc)}
	switch {
	case n == 1 && unit == "day":
		v.Reason = fmt.Sprintf("no %v posts on %s, fewer than %d a day", k, df, min)
	case n == 1:
		v.Reason = fmt.Sprintf("no %v posts in the week of %s, fewer than %d a week", k, df, min)
	case unit == "day":
		v.Until = localAt(dl, 0, c.loc)
		v.Reason = fmt.Sprintf("no %v posts on %d days from %s to %s, fewer than %d a day", k, n, df, dl, min)
	default:
		v.Until = localAt(dl, 0, c.loc)
		v.Reason = fmt.Sprintf("no %v posts in %d weeks from the week of %s to the week of %s, fewer than %d a week", k, n, df, dl, min)
	}
	c.out = append(c.out, v)
}

func (c *checker) endAdRun() {
	if len(c.adRun) > c.adMax {
		t := c.adRunDay.In(c.loc)
		c.emit(AdRunRule, Ad, c.adRunDay, c.adRun, fmt.Sprintf("%d ads in a row from %s, more than %d (seed F24)", len(c.adRun), t.Format("2006-01-02"), c.adMax))
	}
	c.adRun = c.adRun[:0]
}
