package schedule

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"time"
)

// Slot is one planned post: a kind of content at an instant, and whether
// it mentions everyone. In JSON:
// {"kind":"notice","mention_all":true,"at":"2026-03-02T08:00:00+08:00"}.
type Slot struct {
	Kind Kind `json:"kind"`
	// MentionAll says to post with @all (@所有人): Week sets it on every
	// Notice slot, since important notices use it (seed F23).
	MentionAll bool      `json:"mention_all,omitempty"`
	At         time.Time `json:"at"`
}

// Post returns the post that fills s, for checking a planned week with
// Check before it goes out.
func (s Slot) Post() Post { return Post(s) }

// String returns s as "Mon 2026-03-02 08:00 +08:00 news": the weekday,
// the date and wall clock in At's location, the UTC offset (which tells
// the two readings of a repeated hour apart), the kind, and " @all" when
// it mentions everyone. It is meant for people and may change.
func (s Slot) String() string {
	out := s.At.Format("Mon 2006-01-02 15:04 -07:00") + " " + s.Kind.String()
	if s.MentionAll {
		out += " @all"
	}
	return out
}

// Week returns the slots of the week that contains start: from Monday
// 00:00 to the next Monday 00:00 on the calendar of start's location,
// sorted by time (and by kind at equal times). It returns nil when p does
// not validate.
//
// Placement is deterministic:
//   - A Daily rule gets Count slots on each of its days.
//   - A Weekly rule with Count = q*n + r over n allowed days gets q slots
//     on every allowed day and one more on r of them, chosen so that the
//     gaps between them, counted round the week (Sunday is next to the
//     next Monday), are as even as possible: the smallest gap as large as
//     possible, then the next smallest, and so on. Among equally even
//     choices it prefers days no earlier Weekly rule of p has chosen, then
//     the earliest days. 3 a week over all days gives Monday, Wednesday
//     and Friday; a following rule of 1 a week gets Tuesday.
//   - The n slots of a rule on one day sit at Start + i*Len/n of its
//     window (i = 0..n-1), so a single slot sits at the window's start.
//
// Slots are wall-clock times (see the package documentation for days with
// a daylight-saving change): a time that occurs twice means its first
// occurrence, and a time that the clocks skip is moved forward by the
// length of the gap (02:30 becomes 03:30), so that on that one day such a
// slot can fall after its window's end.
//
// Cost: O(slots log slots) plus, per Weekly rule, at most 128 candidate
// day sets; one allocation for the slice.
func (p Plan) Week(start time.Time) []Slot {
	return p.week(start, nil)
}

// WeekJitter is Week with each slot moved to a random minute of its share
// of the window (slot i of n on a day lies in
// [Start + i*Len/n, Start + (i+1)*Len/n)), drawn from r, so that posts do
// not all go out on the minute. The days are those Week chooses. The same
// r state gives the same slots. A nil r gives Week.
func (p Plan) WeekJitter(start time.Time, r *rand.Rand) []Slot {
	return p.week(start, r)
}

func (p Plan) week(start time.Time, r *rand.Rand) []Slot {
	if p.Validate() != nil {
		return nil
	}
	loc := start.Location()
	days := weekDays(start)
	var perDay [7][numKinds]int // slots per weekday index (0 = Monday) and kind
	total := 0
	var used uint8 // days chosen by earlier Weekly rules, bit 0 = Monday
	for _, rule := range p.Rules {
		allowed := mondayMask(rule.days())
		switch rule.Per {
		case Daily:
			for i := range 7 {
				if allowed&(1<<i) != 0 {
					perDay[i][rule.Kind] = rule.Count
					total += rule.Count
				}
			}
		case Weekly:
			n := bits.OnesCount8(allowed)
			q, extra := rule.Count/n, rule.Count%n
			chosen := spread(allowed, extra, used)
			if q > 0 {
				used |= allowed
			} else {
				used |= chosen
			}
			for i := range 7 {
				if allowed&(1<<i) != 0 {
					c := q
					if chosen&(1<<i) != 0 {
						c++
					}
					perDay[i][rule.Kind] = c
					total += c
				}
			}
		}
	}
	slots := make([]Slot, 0, total)
	for i, d := range days {
		for _, rule := range p.Rules {
			n := perDay[i][rule.Kind]
			w := rule.Window
			for j := range n {
				c := w.Start + Clock(j*int(w.Len())/n)
				if r != nil {
					next := w.Start + Clock((j+1)*int(w.Len())/n)
					if next > c {
						c += Clock(r.IntN(int(next - c)))
					}
				}
				slots = append(slots, Slot{Kind: rule.Kind, At: localAt(d, c, loc), MentionAll: rule.Kind == Notice})
			}
		}
	}
	slices.SortFunc(slots, func(a, b Slot) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return int(a.Kind) - int(b.Kind)
	})
	return slots
}

// weekDays returns the seven dates of the week (Monday first) that holds
// t's date in t's location.
func weekDays(t time.Time) [7]date {
	y, m, d := t.Date()
	off := (int(t.Weekday()) + 6) % 7
	var days [7]date
	for i := range days {
		days[i], _ = dateOf(y, m, d-off+i)
	}
	return days
}

// mondayMask converts a Weekdays set (bit 0 = Sunday) to a mask with
// bit 0 = Monday ... bit 6 = Sunday, the week's order.
func mondayMask(s Weekdays) uint8 {
	return uint8(s>>1)&0x3f | uint8(s&1)<<6
}

// spread chooses k of the days in allowed (bit 0 = Monday), 0 <= k <
// popcount(allowed), as evenly as possible round the week: it maximizes
// the sorted vector of circular gaps lexicographically, then minimizes the
// overlap with used, then takes the earliest days. Cost: one pass over
// the at most 128 subsets of allowed.
func spread(allowed uint8, k int, used uint8) uint8 {
	if k <= 0 {
		return 0
	}
	var best uint8
	found := false
	for sub := allowed; sub != 0; sub = (sub - 1) & allowed {
		if bits.OnesCount8(sub) != k {
			continue
		}
		if !found || better(sub, best, used) {
			best, found = sub, true
		}
	}
	return best
}

// better reports whether day set a beats b (see spread).
func better(a, b, used uint8) bool {
	if ga, gb := gapKeys[a], gapKeys[b]; ga != gb {
		return ga < gb
	}
	if oa, ob := bits.OnesCount8(a&used), bits.OnesCount8(b&used); oa != ob {
		return oa < ob
	}
	// Earliest days first: the lowest bit where they differ decides.
	return bits.Reverse8(a) > bits.Reverse8(b)
}

// gapKeys[m] ranks the evenness of the day set m (bit 0 = Monday) round
// the week: with cnt[g] the number of circular gaps of g days between
// consecutive days of m, the key holds cnt[1], cnt[2], ... in 3-bit
// digits, most significant first. For sets of equal size, a smaller key
// means a lexicographically larger sorted gap vector: fewer gaps of 1 day,
// then fewer of 2, and so on. Built once; never modified.
var gapKeys = func() (keys [128]uint32) {
	for m := 1; m < 128; m++ {
		var days []int
		for i := range 7 {
			if m&(1<<i) != 0 {
				days = append(days, i)
			}
		}
		var key uint32
		for i, d := range days {
			next := days[(i+1)%len(days)]
			if next <= d {
				next += 7
			}
			g := next - d // 1..7
			key += 1 << (3 * (7 - g))
		}
		keys[m] = key
	}
	return keys
}()

// Next returns the first slot of kind k that Week places strictly after
// after, looking at after's week and the next, in after's location. It
// reports false when p has no rule for k or does not validate. Jitter does
// not apply. Cost: two calls of Week.
func (p Plan) Next(k Kind, after time.Time) (time.Time, bool) {
	if _, ok := p.Rule(k); !ok {
		return time.Time{}, false
	}
	for _, s := range p.Week(after) {
		if s.Kind == k && s.At.After(after) {
			return s.At, true
		}
	}
	days := weekDays(after)
	monday, _ := dateOf(days[0].y, days[0].m, days[0].d+7)
	nextMonday := localAt(monday, 12*Hour, after.Location())
	for _, s := range p.Week(nextMonday) {
		if s.Kind == k && s.At.After(after) {
			return s.At, true
		}
	}
	return time.Time{}, false
}
