package tiering

import (
	"testing"

	"github.com/qunops/qunops"
)

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
	for b.Loop() {
		tl, _ := NewTally(Policy{}, t0)
		for _, e := range events {
			if err := tl.Add(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkTallyBaseline is the floor any tally must pay: validating each
// event, skipping duplicates by ID and counting it per member in a map.
// BenchmarkTally is reported as a ratio against it.
func BenchmarkTallyBaseline(b *testing.B) {
	events := benchEvents(b)
	b.ReportAllocs()
	for b.Loop() {
		ids := map[string]struct{}{}
		counts := map[string]int{}
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
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
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
