package bench

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"syscall"
	"time"
)

// Result is one engine's figures: medians over the rounds.
type Result struct {
	Name       string
	MBps       float64 // throughput over the corpus, one call per message
	AllocsMsg  float64 // allocations per message
	AllocsNone float64 // allocations per message in which the engine finds nothing
	Build      time.Duration
	RetainedMB float64 // heap held by the built matcher
	BuildMB    float64 // bytes allocated while building
	Matches    int     // matches found in one pass (a sanity check)
}

// minCPU is the processor time each engine gets per round.
const minCPU = 400 * time.Millisecond

// cpuTime is the processor time this process has used, user and system.
// Throughput is measured in processor time, not wall time, because the
// machines this runs on are shared: waiting for a core is not the engine's
// cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Measure builds every engine on d and times it over rounds alternating
// rounds (engine order rotates each round), returning medians. It runs on
// whatever GOMAXPROCS the caller set; run it with GOMAXPROCS 1 so that the
// processor time is one core's.
func Measure(engines []Engine, d *Data, rounds int, progress io.Writer) ([]Result, error) {
	bs := make([][]byte, len(d.Messages))
	for i, m := range d.Messages {
		bs[i] = []byte(m)
	}
	total := d.Bytes()
	scans := make([]Scan, len(engines))
	results := make([]Result, len(engines))
	for i, e := range engines {
		var ms0, ms1 runtime.MemStats
		var builds []time.Duration
		var scan Scan
		for k := 0; k < 3; k++ {
			scan = nil
			runtime.GC()
			runtime.ReadMemStats(&ms0)
			t0 := time.Now()
			s, err := e.Build(d.Patterns)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			builds = append(builds, time.Since(t0))
			runtime.ReadMemStats(&ms1)
			scan = s
		}
		alloc := ms1.TotalAlloc - ms0.TotalAlloc
		runtime.GC()
		runtime.ReadMemStats(&ms1)
		retained := float64(int64(ms1.HeapAlloc)-int64(ms0.HeapAlloc)) / (1 << 20)
		n := 0
		for j := range d.Messages {
			n += scan(d.Messages[j], bs[j])
		}
		scans[i] = scan
		var none []int
		for j := range d.Messages {
			if scan(d.Messages[j], bs[j]) == 0 {
				none = append(none, j)
			}
		}
		runtime.ReadMemStats(&ms0)
		for _, j := range none {
			scan(d.Messages[j], bs[j])
		}
		runtime.ReadMemStats(&ms1)
		results[i] = Result{
			AllocsNone: float64(ms1.Mallocs-ms0.Mallocs) / float64(len(none)),
			Name:       e.Name,
			Build:      median(builds),
			RetainedMB: retained,
			BuildMB:    float64(alloc) / (1 << 20),
			Matches:    n,
		}
		fmt.Fprintf(progress, "built %s in %v\n", e.Name, results[i].Build)
	}
	mbps := make([][]float64, len(engines))
	allocs := make([][]float64, len(engines))
	for r := 0; r < rounds; r++ {
		for k := range engines {
			i := (k + r) % len(engines)
			scan := scans[i]
			pass := func() {
				sink := 0
				for j := range d.Messages {
					sink += scan(d.Messages[j], bs[j])
				}
				_ = sink
			}
			pass() // warm up
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			c0 := cpuTime()
			passes := 0
			for cpuTime()-c0 < minCPU {
				pass()
				passes++
			}
			cpu := cpuTime() - c0
			runtime.ReadMemStats(&ms1)
			mb := float64(total) * float64(passes) / cpu.Seconds() / 1e6
			mbps[i] = append(mbps[i], mb)
			allocs[i] = append(allocs[i], float64(ms1.Mallocs-ms0.Mallocs)/float64(passes*len(d.Messages)))
			fmt.Fprintf(progress, "round %d %-45s %8.1f MB/s\n", r+1, engines[i].Name, mb)
		}
	}
	for i := range results {
		results[i].MBps = medianF(mbps[i])
		results[i].AllocsMsg = medianF(allocs[i])
	}
	return results, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianF(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Table writes results as a Markdown table, with throughput as a ratio to
// the fastest peer (engines whose name does not start with "qunops").
func Table(w io.Writer, results []Result) {
	best := 0.0
	for _, r := range results {
		if len(r.Name) < 6 || r.Name[:6] != "qunops" {
			best = max(best, r.MBps)
		}
	}
	fmt.Fprintln(w, "| engine | MB/s | x fastest peer | allocs/message | allocs/message without match | build | heap held | allocated by build | matches |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %.1f | %.2f | %.3f | %.3f | %d ms | %.1f MB | %.1f MB | %d |\n",
			r.Name, r.MBps, r.MBps/best, r.AllocsMsg, r.AllocsNone, r.Build.Milliseconds(), r.RetainedMB, r.BuildMB, r.Matches)
	}
}
