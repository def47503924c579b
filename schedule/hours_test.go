package schedule

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

func TestBestHours(t *testing.T) {
	var h Histogram
	h[20], h[12], h[9], h[21] = 7, 7, 3, 5
	tests := []struct {
		name string
		n    int
		want []int
	}{
		{"seed F21 busiest first, ties earlier first", 3, []int{12, 20, 21}},
		{"one", 1, []int{12}},
		{"zero", 0, []int{}},
		{"negative clamps to zero", -4, []int{}},
		{"all 24, quiet hours in order", 30, []int{12, 20, 21, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 15, 16, 17, 18, 19, 22, 23}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, BestHours(h, tt.n)); diff != "" {
				t.Errorf("BestHours (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBestWindow(t *testing.T) {
	var h Histogram
	h[0], h[12], h[13], h[20], h[21], h[23] = 4, 5, 5, 6, 4, 9
	tests := []struct {
		name  string
		hours int
		want  string
		err   string
	}{
		{"one hour", 1, "23:00-24:00", ""},
		{"two hours: 20-22 and 12-14 tie at 10, 22-24 has 9", 2, "12:00-14:00", ""},
		{"three hours", 3, "21:00-24:00", ""},
		{"whole day", 24, "00:00-24:00", ""},
		{"zero", 0, "", "schedule: best window of 0 hours is outside 1..24"},
		{"25", 25, "", "schedule: best window of 25 hours is outside 1..24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := BestWindow(h, tt.hours)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil || w.String() != tt.want {
				t.Errorf("BestWindow = %v, %v, want %s", w, err, tt.want)
			}
		})
	}
}

func TestHistogramOf(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	ev := func(typ qunops.EventType, at time.Time) qunops.Event {
		return qunops.Event{Type: typ, Group: "g", Member: "m", Time: at}
	}
	events := []qunops.Event{
		ev(qunops.Message, time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC)),  // 08:30 Shanghai, 19:30 NY (1 March)
		ev(qunops.Message, time.Date(2026, 3, 2, 12, 59, 0, 0, time.UTC)), // 20:59 Shanghai, 07:59 NY
		ev(qunops.Join, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)),     // not a message
		ev(qunops.Message, time.Time{}),                                   // no time
		ev(qunops.Message, time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)),  // 15:30 Shanghai, 03:30 EDT
		ev(qunops.Message, time.Date(2026, 3, 8, 6, 30, 0, 0, time.UTC)),  // 14:30 Shanghai, 01:30 EST
		ev(qunops.Message, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)),   // 08:00 Shanghai, 19:00 NY
	}
	var sh, nyh Histogram
	sh[8], sh[20], sh[15], sh[14] = 2, 1, 1, 1
	nyh[19], nyh[7], nyh[3], nyh[1] = 2, 1, 1, 1
	if got := HistogramOf(events, nil); got != sh {
		t.Errorf("Shanghai (nil) = %v, want %v", got, sh)
	}
	if got := HistogramOf(events, ny); got != nyh {
		t.Errorf("New York = %v, want %v", got, nyh)
	}
}

// Histograms of any split of the events add up to the histogram of all.
func TestHistogramMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 100).Draw(t, "n")
		events := make([]qunops.Event, n)
		for i := range events {
			events[i] = qunops.Event{
				Type: rapid.SampledFrom([]qunops.EventType{qunops.Message, qunops.Read, qunops.Join}).Draw(t, "type"),
				Time: time.Unix(rapid.Int64Range(0, 2e9).Draw(t, "unix"), 0),
			}
		}
		cut := rapid.IntRange(0, n).Draw(t, "cut")
		a := HistogramOf(events[:cut], nil)
		a.Add(HistogramOf(events[cut:], nil))
		if all := HistogramOf(events, nil); a != all {
			t.Fatalf("merged %v, all %v", a, all)
		}
		// BestHours is a permutation prefix ordered by count, then hour.
		best := BestHours(a, 24)
		for i := 1; i < len(best); i++ {
			x, y := best[i-1], best[i]
			if a[x] < a[y] || a[x] == a[y] && x > y {
				t.Fatalf("BestHours out of order at %d: %v", i, best)
			}
		}
	})
}
