package schedule

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/qunops/qunops"
)

// Histogram counts messages per local hour of the day: Histogram[h] is the
// number of messages sent from h:00 to h:59 on the wall clock. Histograms
// of disjoint sets of events add up element by element.
type Histogram [24]int

// HistogramOf counts the message events (Type qunops.Message) of events
// by the hour of their wall clock in loc; nil loc means Asia/Shanghai
// ([qunops.DefaultLocation]).
// Other event types and events with a zero Time are skipped; events are
// not otherwise validated. Cost: O(len(events)), no allocation.
func HistogramOf(events []qunops.Event, loc *time.Location) Histogram {
	loc = qunops.LocationOr(loc)
	var h Histogram
	for i := range events {
		e := &events[i]
		if e.Type != qunops.Message || e.Time.IsZero() {
			continue
		}
		h[e.Time.In(loc).Hour()]++
	}
	return h
}

// Add adds the counts of o to h, to merge histograms built in shards.
func (h *Histogram) Add(o Histogram) {
	for i := range h {
		h[i] += o[i]
	}
}

// BestHours returns the n busiest hours of h, busiest first; among hours
// with equal counts the earlier hour comes first, so the result is
// deterministic. n is clamped to 0..24. This is how a group finds its own
// most active hours for perks (seed F21). Cost: O(24 log 24).
func BestHours(h Histogram, n int) []int {
	n = min(max(n, 0), 24)
	hours := make([]int, 24)
	for i := range hours {
		hours[i] = i
	}
	slices.SortStableFunc(hours, func(a, b int) int { return cmp.Compare(h[b], h[a]) })
	return hours[:n:n]
}

// BestWindow returns the window of the given number of whole hours, 1 to
// 24, with the most messages in h; among equal windows the earliest wins.
// Windows do not wrap past midnight. Use it to give the perk rule the
// group's own busiest time (seed F21) with Plan.WithWindow.
func BestWindow(h Histogram, hours int) (Window, error) {
	if hours < 1 || hours > 24 {
		return Window{}, fmt.Errorf("schedule: best window of %d hours is outside 1..24", hours)
	}
	best, bestSum := 0, 0
	sum := 0
	for i := range hours {
		sum += h[i]
	}
	bestSum = sum
	for s := 1; s+hours <= 24; s++ {
		sum += h[s+hours-1] - h[s-1]
		if sum > bestSum {
			best, bestSum = s, sum
		}
	}
	return Window{Clock(best) * Hour, Clock(best+hours) * Hour}, nil
}
