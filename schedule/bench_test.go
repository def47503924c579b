package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Issue 8 targets: Week under 20 µs, Check of 10,000 posts under 1 ms.
// Baselines measured in the same run give the floor each operation sits
// on: BenchmarkWeekBaseline makes the default week's 11 instants with
// time.Date alone, BenchmarkCheckBaseline buckets 10,000 posts into local
// days with t.In(loc).Date() alone.

var sinkSlots []Slot
var sinkViolations []Violation
var sinkTime time.Time
var sinkInt int

func BenchmarkWeek(b *testing.B) {
	for _, zone := range []string{"Asia/Shanghai", "America/New_York"} {
		loc := mustLoad(b, zone)
		p := DefaultPlan()
		start := time.Date(2026, 3, 4, 12, 0, 0, 0, loc)
		b.Run(zone, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkSlots = p.Week(start)
			}
		})
	}
}

func BenchmarkWeekBaseline(b *testing.B) {
	loc := mustLoad(b, "Asia/Shanghai")
	b.ReportAllocs()
	for b.Loop() {
		for d := range 7 {
			sinkTime = time.Date(2026, 3, 2+d, 8, 0, 0, 0, loc)
		}
		for _, d := range []int{0, 1, 2, 4} {
			sinkTime = time.Date(2026, 3, 2+d, 20, 0, 0, 0, loc)
		}
	}
}

func BenchmarkNext(b *testing.B) {
	loc := mustLoad(b, "Asia/Shanghai")
	p := DefaultPlan()
	after := time.Date(2026, 3, 6, 21, 0, 0, 0, loc) // Friday night: the next perk is next week
	b.ReportAllocs()
	for b.Loop() {
		sinkTime, _ = p.Next(Perk, after)
	}
}

// posts10k returns 10,000 posts over 200 days in time order, 50 a day
// (the cap of seed F23): the day's news at 08:00, the week's interactive
// posts and perk at 20:00 on the days Week plans, notices (with @all,
// seed F23) and ads in
// between with no run of more than 3 ads. This is the common case of a
// well-run group: Check finds nothing.
func posts10k(loc *time.Location) []Post {
	r := rand.New(rand.NewPCG(1, 2))
	posts := make([]Post, 0, 10000)
	for d := range 200 {
		at := func(h, m int) time.Time { return time.Date(2026, 1, 5+d, h, m, 0, 0, loc) } // 5 January 2026 is a Monday
		posts = append(posts, Post{Kind: News, At: at(8, 0)})
		run := 0
		for i := range 48 {
			k := Notice
			if run < 3 && r.IntN(2) == 0 {
				k = Ad
			}
			if k == Ad {
				run++
			} else {
				run = 0
			}
			posts = append(posts, Post{Kind: k, At: at(9, i*13), MentionAll: k == Notice})
		}
		switch d % 7 {
		case 0, 2, 4:
			posts = append(posts, Post{Kind: Interactive, At: at(20, 0)})
		case 1:
			posts = append(posts, Post{Kind: Perk, At: at(20, 0)})
		default:
			posts = append(posts, Post{Kind: Notice, At: at(21, 0), MentionAll: true})
		}
	}
	return posts
}

func BenchmarkCheck(b *testing.B) {
	for _, zone := range []string{"Asia/Shanghai", "America/New_York"} {
		p := DefaultPlan()
		p.Location = mustLoad(b, zone)
		posts := posts10k(p.Location)
		if vs := p.Check(posts); len(vs) != 0 {
			b.Fatalf("benchmark posts break the plan: %+v", vs[0])
		}
		b.Run(zone+"/sorted", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkViolations = p.Check(posts)
			}
		})
		shuffled := append([]Post(nil), posts...)
		rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b.Run(zone+"/shuffled", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkViolations = p.Check(shuffled)
			}
		})
	}
}

func BenchmarkCheckBaseline(b *testing.B) {
	loc := mustLoad(b, "Asia/Shanghai")
	posts := posts10k(loc)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for i := range posts {
			_, _, d := posts[i].At.In(loc).Date()
			n += d
		}
		sinkInt = n
	}
}
