package schedule

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The radix order of Check agrees with a comparison sort by (instant,
// index), whatever the resolution of the instants (whole seconds,
// milliseconds, nanoseconds), with ties, and across the fallback for
// spans too wide to pack.
func TestTimeOrderMatchesComparisonSort(t *testing.T) {
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "n")
		res := rapid.SampledFrom([]time.Duration{time.Second, time.Millisecond, time.Nanosecond, 90 * time.Minute}).Draw(t, "resolution")
		spread := rapid.SampledFrom([]int64{3, 1000, 1 << 40, 1 << 62}).Draw(t, "spread")
		posts := make([]Post, n)
		for i := range posts {
			steps := rapid.Int64Range(-spread, spread).Draw(t, "steps")
			posts[i] = Post{Kind: News, At: base.Add(time.Duration(steps) * res)}
			if res == 90*time.Minute {
				// Far instants: whole seconds across thousands of years.
				posts[i].At = base.Add(time.Duration(steps%(1<<33))*time.Second).AddDate(int(steps%3000), 0, 0)
			}
		}
		want := compareOrder(posts)
		if got := timeOrder(posts); !slices.Equal(got, want) {
			t.Fatalf("timeOrder = %v, want %v", got, want)
		}
	})
}

func TestTimeOrderExtremes(t *testing.T) {
	tests := []struct {
		name  string
		posts []Post
		want  []uint64
	}{
		{"one post", []Post{{Kind: News, At: time.Unix(5, 0)}}, []uint64{0}},
		{"ties keep index order", []Post{{Kind: News, At: time.Unix(5, 0)}, {Kind: Ad, At: time.Unix(4, 0)}, {Kind: Perk, At: time.Unix(5, 0)}}, []uint64{1, 0, 2}},
		{"nanoseconds over centuries fall back", []Post{{Kind: News, At: time.Unix(1<<40, 1)}, {Kind: Ad, At: time.Unix(-1<<40, 0)}}, []uint64{1, 0}},
		{"zero time and year 9999", []Post{{Kind: News, At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}, {Kind: Ad, At: time.Time{}}}, []uint64{1, 0}},
		{"milliseconds", []Post{{Kind: News, At: time.Unix(7, 3e6)}, {Kind: Ad, At: time.Unix(7, 2e6)}}, []uint64{1, 0}},
	}
	for _, tt := range tests {
		if got := timeOrder(tt.posts); !slices.Equal(got, tt.want) {
			t.Errorf("%s: timeOrder = %v, want %v", tt.name, got, tt.want)
		}
	}
}
