package report

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/metrics"
)

var benchEvents = flag.Int("report.events", 300_000, "events of the generated log of BenchmarkBuildFiles")

// BenchmarkBuildFiles builds the report of a generated log file (20 groups
// of 1,000 members over 60 days, in time order, every event with an ID) on
// one worker and on GOMAXPROCS workers, and reports the speed-up of the
// parallel build over the sequential one measured in the same run:
//
//	go test ./report/ -run '^$' -bench BuildFiles -benchtime 1x -benchmem
func BenchmarkBuildFiles(b *testing.B) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	path := filepath.Join(b.TempDir(), "log.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := qunops.NewEncoder(w)
	for _, e := range genLog(*benchEvents, 20, 1000, 60, end, 5) {
		if err := enc.Encode(e); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	perOp := map[int]float64{}
	procs := runtime.GOMAXPROCS(0)
	for _, workers := range []int{1, procs} {
		b.Run("workers="+strconv.Itoa(workers), func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				if _, bad, err := BuildFiles([]string{path}, Options{}, ReadOptions{Workers: workers}); err != nil || bad != 0 {
					b.Fatal(bad, err)
				}
			}
			perOp[workers] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if workers > 1 && perOp[1] > 0 {
				b.ReportMetric(perOp[1]/perOp[workers], "speedup")
			}
		})
	}
}

// BenchmarkAdd measures Builder.Add against the metrics.Tracker.Add it
// wraps, on the same generated events (20 groups of 1,000 members over 60
// days), so that the cost of the single pass's bookkeeping shows as the
// difference:
//
//	go test ./report/ -run '^$' -bench '^BenchmarkAdd$' -benchmem
func BenchmarkAdd(b *testing.B) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(200_000, 20, 1000, 60, end, 7)
	b.Run("tracker", func(b *testing.B) {
		for b.Loop() {
			tr := metrics.NewTracker(nil)
			for _, e := range events {
				tr.Add(e)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	})
	b.Run("builder", func(b *testing.B) {
		for b.Loop() {
			bd, _ := New(Options{})
			for _, e := range events {
				bd.Add(e)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	})
	// Half the groups in a zone of their own (issue 21): Add looks up each
	// event's group to pick its zone's tracker.
	zoned := Options{Groups: map[string]GroupOptions{}}
	for g := 0; g < 20; g += 2 {
		zoned.Groups["g"+strconv.Itoa(g)+"@chatroom"] = GroupOptions{Zone: time.UTC}
	}
	b.Run("builder-zones", func(b *testing.B) {
		for b.Loop() {
			bd, _ := New(zoned)
			for _, e := range events {
				bd.Add(e)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	})
}
