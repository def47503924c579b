package metrics

import (
	"fmt"
	"math/big"
	"math/bits"
)

// Ratio is an exact fraction Num/Den. Every rate in this package is a Ratio,
// so that sums over groups and days stay exact and an undefined rate (Den ==
// 0, e.g. the activity of a day without members) is visible as such instead of
// turning into 0 or NaN. A Ratio is not reduced: Ratio{3, 12} keeps the counts
// it was made from. The zero value is the undefined ratio.
type Ratio struct {
	Num, Den int64
}

// Defined reports whether r has a non-zero denominator.
func (r Ratio) Defined() bool { return r.Den != 0 }

// Float returns Num/Den, and false when the ratio is undefined (Den == 0).
func (r Ratio) Float() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// String formats r as a percentage with one decimal, rounded half away from
// zero and computed exactly from Num and Den: Ratio{47, 200} is "23.5%". An
// undefined ratio is "undefined".
func (r Ratio) String() string {
	if r.Den == 0 {
		return "undefined"
	}
	// 1000*Num/Den in per-mille, rounded half away from zero, exactly.
	num := new(big.Int).Mul(big.NewInt(r.Num), big.NewInt(2000))
	den := new(big.Int).Mul(big.NewInt(r.Den), big.NewInt(2))
	neg := (r.Num < 0) != (r.Den < 0)
	num.Abs(num)
	den.Abs(den)
	// round(x/y) = floor((2x + y) / 2y) for x, y >= 0; here x = 1000*|Num|.
	num.Add(num, new(big.Int).Rsh(den, 1))
	q := num.Quo(num, den)
	s := q.String()
	if len(s) == 1 {
		s = "0" + s
	}
	out := s[:len(s)-1] + "." + s[len(s)-1:] + "%"
	if neg && q.Sign() != 0 {
		out = "-" + out
	}
	return out
}

// Cmp compares r and o exactly: -1 if r < o, 0 if equal in value, +1 if r > o.
// An undefined ratio compares below every defined one, and equal to another
// undefined one, so that sorting is total; callers that must tell undefined
// apart check Defined first.
func (r Ratio) Cmp(o Ratio) int {
	switch {
	case r.Den == 0 && o.Den == 0:
		return 0
	case r.Den == 0:
		return -1
	case o.Den == 0:
		return 1
	}
	a, b := r.norm(), o.norm()
	// a.Num/a.Den vs b.Num/b.Den with positive denominators: compare
	// a.Num*b.Den with b.Num*a.Den in 128 bits.
	return cmp128(a.Num, b.Den, b.Num, a.Den)
}

// norm returns r with a positive denominator (Den != 0 required).
func (r Ratio) norm() Ratio {
	if r.Den < 0 {
		return Ratio{-r.Num, -r.Den}
	}
	return r
}

// cmp128 compares x1*y1 with x2*y2, where y1, y2 > 0, without overflow.
func cmp128(x1, y1, x2, y2 int64) int {
	s1, s2 := sign(x1), sign(x2)
	if s1 != s2 {
		if s1 < s2 {
			return -1
		}
		return 1
	}
	if s1 == 0 {
		return 0
	}
	h1, l1 := bits.Mul64(abs64(x1), uint64(y1))
	h2, l2 := bits.Mul64(abs64(x2), uint64(y2))
	c := 0
	switch {
	case h1 < h2 || (h1 == h2 && l1 < l2):
		c = -1
	case h1 > h2 || (h1 == h2 && l1 > l2):
		c = 1
	}
	return c * s1
}

func sign(x int64) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}

// ratioOf makes Ratio{num, den} from ints.
func ratioOf(num, den int) Ratio { return Ratio{int64(num), int64(den)} }

// checkCounts returns an error naming the first negative count.
func checkCounts(fn string, names []string, vals ...int) error {
	for i, v := range vals {
		if v < 0 {
			return fmt.Errorf("metrics: %s: %s %d must not be negative", fn, names[i], v)
		}
	}
	return nil
}

// ActivityRate is the seed's activity rate (F25): distinct speakers over
// members. The result is undefined (Den 0) when members is 0. Negative counts,
// and more speakers than members, are errors.
func ActivityRate(speakers, members int) (Ratio, error) {
	if err := checkCounts("activity rate", []string{"speakers", "members"}, speakers, members); err != nil {
		return Ratio{}, err
	}
	if speakers > members {
		return Ratio{}, fmt.Errorf("metrics: activity rate: speakers %d exceed members %d", speakers, members)
	}
	return ratioOf(speakers, members), nil
}

// RetentionRate is the seed's retention (F26): members of a cohort retained
// on day N over the cohort's size. Undefined for an empty cohort; negative
// counts and retained > joined are errors.
func RetentionRate(retained, joined int) (Ratio, error) {
	if err := checkCounts("retention rate", []string{"retained", "joined"}, retained, joined); err != nil {
		return Ratio{}, err
	}
	if retained > joined {
		return Ratio{}, fmt.Errorf("metrics: retention rate: retained %d exceed joined %d", retained, joined)
	}
	return ratioOf(retained, joined), nil
}

// ReachRate is the seed's reach rate (F27): readers / (recipients - muted),
// where muted counts the recipients who muted or blocked the group. Undefined
// when every recipient muted; negative counts, muted > recipients and readers
// > recipients - muted are errors.
func ReachRate(readers, recipients, muted int) (Ratio, error) {
	if err := checkCounts("reach rate", []string{"readers", "recipients", "muted"}, readers, recipients, muted); err != nil {
		return Ratio{}, err
	}
	if muted > recipients {
		return Ratio{}, fmt.Errorf("metrics: reach rate: muted %d exceed recipients %d", muted, recipients)
	}
	if readers > recipients-muted {
		return Ratio{}, fmt.Errorf("metrics: reach rate: readers %d exceed unmuted recipients %d", readers, recipients-muted)
	}
	return ratioOf(readers, recipients-muted), nil
}

// ResponseRate is the seed's campaign response rate (F3): distinct members
// who responded (claimed) over recipients. Undefined without recipients;
// negative counts and responders > recipients are errors.
func ResponseRate(responders, recipients int) (Ratio, error) {
	if err := checkCounts("response rate", []string{"responders", "recipients"}, responders, recipients); err != nil {
		return Ratio{}, err
	}
	if responders > recipients {
		return Ratio{}, fmt.Errorf("metrics: response rate: responders %d exceed recipients %d", responders, recipients)
	}
	return ratioOf(responders, recipients), nil
}

// LeaveRate is the quit rate of seed F42 for a period: leaves in the period
// over (members at its start + joins in it), i.e. over everyone who was a
// member at some point of it. Undefined when both are 0; negative counts and
// more leaves than possible members are errors.
func LeaveRate(leaves, membersAtStart, joins int) (Ratio, error) {
	if err := checkCounts("leave rate", []string{"leaves", "members at start", "joins"}, leaves, membersAtStart, joins); err != nil {
		return Ratio{}, err
	}
	if leaves > membersAtStart+joins {
		return Ratio{}, fmt.Errorf("metrics: leave rate: leaves %d exceed members at start plus joins %d", leaves, membersAtStart+joins)
	}
	return ratioOf(leaves, membersAtStart+joins), nil
}

// PeriodActivity is the activity rate of a period (F25): the sum of the days'
// speakers over the sum of their members, never an average of daily
// percentages. Undefined when no day has members.
func PeriodActivity(days []Day) Ratio {
	var r Ratio
	for _, d := range days {
		r.Num += int64(d.Speakers)
		r.Den += int64(d.Members)
	}
	return r
}
