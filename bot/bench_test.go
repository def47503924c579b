package bot

import (
	"fmt"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// benchEvents returns n clean messages of 100 members, a millisecond apart
// (1,000 events a second: the journal is fsynced every 1,000 events).
func benchEvents(n int) []qunops.Event {
	evs := make([]qunops.Event, n)
	t0 := at(8, 0, 0)
	for i := range evs {
		evs[i] = qunops.Event{Type: qunops.Message, Group: "g1", Member: fmt.Sprintf("m%d", i%100),
			Time: t0.Add(time.Duration(i) * time.Millisecond), Text: "大家早上好,今天天气不错"}
	}
	return evs
}

// BenchmarkRunner measures an event through the runner: the hand-off from
// the Source goroutine, the journal append (one write call; fsync batched
// every second of the runner's clock, here every event's clock second),
// the engine's Handle and the bookkeeping. "engine" is Handle alone on the
// same events, for the overhead as a difference in the same run.
func BenchmarkRunner(b *testing.B) {
	b.Run("engine", func(b *testing.B) {
		evs := benchEvents(b.N)
		e, err := rules.New(testPolicy())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := e.Handle(evs[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, sync := range []struct {
		name  string
		every time.Duration
		each  bool
	}{{"journal", time.Second, false}, {"journal-sync-each", 0, true}} {
		b.Run(sync.name, func(b *testing.B) {
			evs := benchEvents(b.N)
			c := &clock{}
			src := newSource(evs, 0, c)
			r := newTestRunner(b, b.TempDir(), src, &sink{}, c,
				Options{SyncEvery: sync.every, SyncEach: sync.each, SnapshotEvery: 1 << 30, SnapshotInterval: 1 << 62})
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU()
			if err := runUntilDrained(r, src); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if cpu != 0 {
				// All threads: the loop, the receiver, the journal's
				// fsync goroutine, the garbage collector.
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
			if got := r.Stats().Events; got != int64(b.N) {
				b.Fatalf("events %d, want %d", got, b.N)
			}
		})
	}
}

// BenchmarkJournalAppend is the journal's share of BenchmarkRunner: one
// event encoded and written (no fsync).
func BenchmarkJournalAppend(b *testing.B) {
	evs := benchEvents(1000)
	j, err := createJournal(b.TempDir()+"/j.jsonl", time.Time{}, journalOpts{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.close()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := j.event(evs[i%len(evs)]); err != nil {
			b.Fatal(err)
		}
	}
}
