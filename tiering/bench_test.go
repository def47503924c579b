package tiering

import (
	"runtime"
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// Figures are ratios against a baseline benchmark run in the same
// invocation (the machine is shared), e.g.
//
//	go test ./tiering -run XXX -bench 'Classify|Tally|Roster' -benchmem -cpu 1
//
// and, at the scale (10 million events, 1 million members):
//
//	QUNOPS_BENCH_FULL=1 go test ./tiering -run XXX -bench 'Tally|Roster' -benchmem -benchtime 2x -cpu 1

// BenchmarkClassify: target under 50 ns and 0 allocations per call.
func BenchmarkClassify(b *testing.B) {
	p := DefaultPolicy()
	ms := genMembers(1024, t0, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p.Classify(ms[i&1023].Activity, t0)
		i++
	}
}

// BenchmarkClassifyBaseline is the floor of a classification: the same
// rules in the same order with the default thresholds as constants, and no
// reason. BenchmarkClassify is reported as a ratio against it.
func BenchmarkClassifyBaseline(b *testing.B) {
	ms := genMembers(1024, t0, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		baselineTier(&ms[i&1023].Activity, t0)
		i++
	}
}

func baselineTier(a *Activity, now time.Time) Tier {
	switch {
	case a.Warnings >= 2 || a.Banned:
		return Violator
	case a.Messages > 5 || a.Invites >= 3:
		return Core
	case a.Interactions > 3:
		return Active
	case !a.Joined.IsZero() && now.Sub(a.Joined) < 7*24*time.Hour:
		return New
	case a.Messages == 0 && a.Claims == 0 && !within(a.LastMessage, now, 7*24*time.Hour) && !within(a.LastClaim, now, 7*24*time.Hour):
		return Lurker
	}
	return Casual
}

func benchEvents(b *testing.B) []qunops.Event {
	n, m := 300_000, 20_000
	if fullScale() {
		n, m = 10_000_000, 200_000
	}
	return genLog(n, m, t0, 2)
}

// BenchmarkTally: target 3 million events per second or more on one core
// (run with -cpu 1). Each iteration tallies the whole log into a new Tally.
func BenchmarkTally(b *testing.B) {
	events := benchEvents(b)
	b.ReportAllocs()
	cpu := processCPU()
	var tl *Tally
	for b.Loop() {
		tl, _ = NewTally(Policy{}, t0)
		for _, e := range events {
			if err := tl.Add(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportRate(b, len(events), cpu)
	b.ReportMetric(float64(heldBy(func() { tl = nil })), "held-B")
}

// BenchmarkTallyMerge merges two tallies, of alternate events of the log,
// into a new tally: the members of the two overlap, their IDs do not. One
// op is both merges. Merge must cost O(members + IDs); adding the other
// tally's keys in the order of its slots to tables that grew on the way
// once made it superlinear (see idSet.reserve).
func BenchmarkTallyMerge(b *testing.B) {
	events := benchEvents(b)
	var halves [2]*Tally
	for i := range halves {
		halves[i], _ = NewTally(Policy{}, t0)
	}
	for i, e := range events {
		if err := halves[i%2].Add(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		tl, _ := NewTally(Policy{}, t0)
		for _, h := range halves {
			if err := tl.Merge(h); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// heldBy returns the bytes of heap that drop frees: the memory held
// by what it lets go, measured after a full collection on each side.
func heldBy(drop func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	drop()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > before.HeapAlloc {
		return 0
	}
	return before.HeapAlloc - after.HeapAlloc
}

// reportRate reports events per second of wall time and, where the
// process's CPU time can be read, per second of CPU time since cpu.
func reportRate(b *testing.B, events int, cpu time.Duration) {
	n := float64(events) * float64(b.N)
	b.ReportMetric(n/b.Elapsed().Seconds(), "events/s")
	if now := processCPU(); now > cpu {
		b.ReportMetric(n/(now-cpu).Seconds(), "events/cpu-s")
	}
}

// BenchmarkTallyBaseline is the floor any tally must pay: validating each
// event, skipping duplicates by ID and counting it per member in a map.
// BenchmarkTally is reported as a ratio against it.
func BenchmarkTallyBaseline(b *testing.B) {
	events := benchEvents(b)
	b.ReportAllocs()
	cpu := processCPU()
	var ids map[string]struct{}
	var counts map[string]int
	for b.Loop() {
		ids = map[string]struct{}{}
		counts = map[string]int{}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				b.Fatal(err)
			}
			if _, dup := ids[e.ID]; dup {
				continue
			}
			ids[e.ID] = struct{}{}
			counts[e.Member]++
		}
	}
	reportRate(b, len(events), cpu)
	// The baseline's maps keep the ID strings, which the events also hold:
	// held-B counts only the maps.
	b.ReportMetric(float64(heldBy(func() { ids, counts = nil, nil })), "held-B")
}

// BenchmarkRoster: target a roster of 1 million members in under 200 ms
// (QUNOPS_BENCH_FULL=1; 100 000 members by default).
func BenchmarkRoster(b *testing.B) {
	m := 100_000
	if fullScale() {
		m = 1_000_000
	}
	ms := genMembers(m, t0, 3)
	p := DefaultPolicy()
	b.ReportAllocs()
	for b.Loop() {
		NewRoster(p, ms, t0)
	}
	b.ReportMetric(float64(m), "members")
}

// BenchmarkRosterBaseline is the floor of a roster: the entries written
// with the baseline classification and no reason.
func BenchmarkRosterBaseline(b *testing.B) {
	m := 100_000
	if fullScale() {
		m = 1_000_000
	}
	ms := genMembers(m, t0, 3)
	b.ReportAllocs()
	for b.Loop() {
		es := make([]Entry, len(ms))
		for i := range ms {
			es[i] = Entry{Member: ms[i].ID, Tier: baselineTier(&ms[i].Activity, t0)}
		}
	}
	b.ReportMetric(float64(m), "members")
}

func BenchmarkLedgerAdd(b *testing.B) {
	events := genLog(100_000, 5_000, t0, 4)
	b.ReportAllocs()
	for b.Loop() {
		l, _ := NewLedger(LedgerPolicy{})
		for _, e := range events {
			if _, err := l.Add(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
