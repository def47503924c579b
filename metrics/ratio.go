package metrics

import (
	"fmt"

	"github.com/qunops/qunops"
)

// Ratio is the SDK's exact share, [qunops.Ratio]: every rate in this
// package is one, so that sums over groups and days stay exact and an
// undefined rate is visible as such.
type Ratio = qunops.Ratio

// ratioOf makes Ratio{num, den} from ints.
func ratioOf(num, den int) Ratio { return Ratio{Num: int64(num), Den: int64(den)} }

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
