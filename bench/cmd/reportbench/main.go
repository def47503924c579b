// Command reportbench measures the qunops report against DuckDB on one JSON
// Lines event log, in one run: the whole report (days, retention, tiers,
// terms, verdicts; report.BuildFiles) on all cores and on one, and DuckDB's
// SQL for the days and the day-1/3/7 retention cohorts alone (package
// reportcmp) with as many threads and with one. It checks that the two give
// the same day and retention rows, printing the first difference and exiting
// with status 1 if they do not, then prints a Markdown table.
//
//	cd bench && go run ./cmd/biglog -groups 10 > /tmp/log.jsonl
//	go run ./cmd/reportbench -rounds 3 /tmp/log.jsonl
//
// Each measurement runs in a child process of its own (this command, run
// with -child), so that the engines' memory does not mix: the peak memory is
// the child's peak resident set (getrusage's ru_maxrss, the VmHWM of
// /proc/PID/status), which for DuckDB includes its C++ heap and for qunops
// the Go heap and runtime. The wall time is the child's own measure of the
// work, from opening the files to the rows in memory, without process start
// and without writing the rows for the comparison. A child with N cores runs
// with GOMAXPROCS=N; DuckDB is also given N threads. Two more runs give the
// floor under the report: qunops.Decoder alone on the same lines (each file
// cut at line boundaries into one piece per core, every event decoded and
// validated with ShareStrings as the report decodes, nothing counted), on
// N cores and on one; whatever the report
// counts costs on top of that. The runs take turns
// (qunops, DuckDB, qunops, ...) and the table shows the median of the rounds.
// On a machine that other work shares, the wall time of a run depends on
// that work; the ratio of CPU times is the steadier figure, the speed-up
// itself on one core, and on two a bound that leaves out what the second
// core gains. Unix only (getrusage).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/bench/reportcmp"
)

func main() {
	child := flag.String("child", "", "internal: run one engine (qunops or duckdb) and print its time")
	rowsOut := flag.String("rows", "", "internal: file for the child's rows")
	rounds := flag.Int("rounds", 1, "alternating rounds; the table shows medians")
	cores := flag.Int("cores", runtime.NumCPU(), "cores of the parallel runs (the other runs use one)")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: reportbench [-rounds N] [-cores N] FILE.jsonl...")
		os.Exit(2)
	}
	var err error
	if *child != "" {
		err = runChild(*child, *rowsOut, files)
	} else {
		err = runParent(files, *rounds, *cores)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reportbench:", err)
		os.Exit(1)
	}
}

// result is what a child prints on its standard output.
type result struct {
	Wall time.Duration `json:"wall"`
	Rows int           `json:"rows"`
	Bad  int           `json:"bad"`
}

// runChild runs one engine on files, with GOMAXPROCS cores (and as many
// DuckDB threads), writes its rows to rowsOut and prints a result.
func runChild(engine, rowsOut string, files []string) error {
	var rows []string
	var res result
	start := time.Now()
	switch engine {
	case "qunops":
		rep, bad, err := reportcmp.Qunops(files, 0)
		if err != nil {
			return err
		}
		res.Wall, res.Bad = time.Since(start), bad
		rows = reportcmp.Rows(rep)
	case "decode":
		n, bad, err := decodeOnly(files, runtime.GOMAXPROCS(0))
		if err != nil {
			return err
		}
		res.Wall, res.Bad, res.Rows = time.Since(start), bad, n
		return json.NewEncoder(os.Stdout).Encode(res)
	case "duckdb":
		db, err := reportcmp.Open(runtime.GOMAXPROCS(0))
		if err != nil {
			return err
		}
		defer db.Close()
		rows, err = reportcmp.DuckDB(context.Background(), db, files, "Asia/Shanghai")
		if err != nil {
			return err
		}
		res.Wall = time.Since(start)
	default:
		return fmt.Errorf("unknown engine %q", engine)
	}
	res.Rows = len(rows)
	if err := os.WriteFile(rowsOut, []byte(strings.Join(rows, "\n")), 0o644); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// config is one engine on some cores.
type config struct {
	engine string
	cores  int
	walls  []time.Duration
	peaks  []int64         // bytes
	cpus   []time.Duration // user + system time of the whole child
	rows   int
}

func (c *config) name() string {
	switch c.engine {
	case "qunops":
		return fmt.Sprintf("qunops report (whole report), GOMAXPROCS=%d", c.cores)
	case "decode":
		return fmt.Sprintf("floor: qunops.Decoder alone (nothing counted), GOMAXPROCS=%d", c.cores)
	}
	return fmt.Sprintf("DuckDB (days + retention), %d thread(s)", c.cores)
}

func median[T int64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func runParent(files []string, rounds, cores int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "reportbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var size int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		size += st.Size()
	}
	configs := []*config{{engine: "qunops", cores: cores}, {engine: "duckdb", cores: cores},
		{engine: "qunops", cores: 1}, {engine: "duckdb", cores: 1},
		{engine: "decode", cores: cores}, {engine: "decode", cores: 1}}
	load0 := loadavg()
	var ref []string // rows of the first run, which every run must match
	refName := ""
	for r := range rounds {
		for i, c := range configs {
			rowsFile := filepath.Join(dir, fmt.Sprintf("rows%d", i))
			args := append([]string{"-child", c.engine, "-rows", rowsFile}, files...)
			cmd := exec.Command(self, args...)
			cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(c.cores))
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err != nil {
				return fmt.Errorf("%s: %w", c.name(), err)
			}
			var res result
			if err := json.Unmarshal(out, &res); err != nil {
				return fmt.Errorf("%s: %w", c.name(), err)
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				return fmt.Errorf("%s: no resource usage", c.name())
			}
			c.walls = append(c.walls, res.Wall)
			c.peaks = append(c.peaks, int64(ru.Maxrss)*1024) // kilobytes on Linux
			c.cpus = append(c.cpus, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()))
			c.rows = res.Rows
			if c.engine == "decode" { // no rows to compare
				fmt.Fprintf(os.Stderr, "round %d: %s: %v, peak %.0f MB, %d events, %d bad lines\n",
					r+1, c.name(), res.Wall.Round(time.Millisecond), float64(c.peaks[len(c.peaks)-1])/1e6, res.Rows, res.Bad)
				continue
			}
			rows, err := readRows(rowsFile)
			if err != nil {
				return err
			}
			if ref == nil {
				ref, refName = rows, c.name()
			} else if d := reportcmp.Diff(ref, rows, refName, c.name()); d != "" {
				return fmt.Errorf("the engines disagree: %s", d)
			}
			fmt.Fprintf(os.Stderr, "round %d: %s: %v, peak %.0f MB, %d rows, %d bad lines\n",
				r+1, c.name(), res.Wall.Round(time.Millisecond), float64(c.peaks[len(c.peaks)-1])/1e6, res.Rows, res.Bad)
		}
	}
	days, rets := 0, 0
	for _, row := range ref {
		if strings.HasPrefix(row, "day\t") {
			days++
		} else {
			rets++
		}
	}
	fmt.Printf("%s (%.1f MB), %d day rows and %d retention rows, identical in every run; %d round(s), medians; %s, %d CPUs; load average %s before, %s after\n\n",
		strings.Join(files, " "), float64(size)/1e6, days, rets, rounds, runtime.GOARCH, runtime.NumCPU(), load0, loadavg())
	fmt.Println("| run | wall | CPU time | peak memory (RSS) | qunops / DuckDB wall | speed-up (DuckDB / qunops wall) | DuckDB / qunops CPU time | qunops / DuckDB memory |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for i, c := range configs {
		var ratio [4]string
		if c.engine == "decode" { // against DuckDB on as many cores
			d := configs[1]
			if c.cores == 1 {
				d = configs[3]
			}
			ratio[0] = fmt.Sprintf("%.2f", float64(median(c.walls))/float64(median(d.walls)))
		}
		if c.engine == "duckdb" { // the qunops run on as many cores is the one before
			q := configs[i-1]
			ratio[0] = fmt.Sprintf("%.2f", float64(median(q.walls))/float64(median(c.walls)))
			ratio[1] = fmt.Sprintf("%.2fx", float64(median(c.walls))/float64(median(q.walls)))
			ratio[2] = fmt.Sprintf("%.2fx", float64(median(c.cpus))/float64(median(q.cpus)))
			ratio[3] = fmt.Sprintf("%.2f", float64(median(q.peaks))/float64(median(c.peaks)))
		}
		fmt.Printf("| %s | %.2f s | %.2f s | %.0f MB | %s | %s | %s | %s |\n", c.name(), median(c.walls).Seconds(),
			median(c.cpus).Seconds(), float64(median(c.peaks))/1e6, ratio[0], ratio[1], ratio[2], ratio[3])
	}
	return nil
}

// loadavg returns the 1-minute load average of the machine, or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func readRows(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rows = append(rows, sc.Text())
	}
	return rows, sc.Err()
}

// decodeOnly decodes every line of files with qunops.Decoder, each file cut
// at line boundaries into one piece per worker, and returns the number of
// events and of bad lines.
func decodeOnly(files []string, workers int) (events, bad int, err error) {
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return 0, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return 0, 0, err
		}
		cuts := []int64{0}
		for k := 1; k < workers; k++ {
			at := max(st.Size()*int64(k)/int64(workers), cuts[len(cuts)-1])
			next, err := lineAfter(f, at, st.Size())
			if err != nil {
				f.Close()
				return 0, 0, err
			}
			cuts = append(cuts, next)
		}
		cuts = append(cuts, st.Size())
		type count struct {
			events, bad int
			err         error
		}
		counts := make([]count, workers)
		var wg sync.WaitGroup
		for k := range workers {
			wg.Go(func() {
				dec := qunops.NewDecoder(io.NewSectionReader(f, cuts[k], cuts[k+1]-cuts[k]))
				dec.ShareStrings() // as the report's decoders do
				for {
					_, err := dec.Decode()
					if err == io.EOF {
						return
					}
					var le *qunops.LineError
					switch {
					case errors.As(err, &le):
						counts[k].bad++
					case err != nil:
						counts[k].err = err
						return
					default:
						counts[k].events++
					}
				}
			})
		}
		wg.Wait()
		f.Close()
		for _, c := range counts {
			if c.err != nil {
				return 0, 0, c.err
			}
			events += c.events
			bad += c.bad
		}
	}
	return events, bad, nil
}

// lineAfter returns the offset just after the first newline at or after
// at, or size when there is none.
func lineAfter(f *os.File, at, size int64) (int64, error) {
	buf := make([]byte, 64<<10)
	for at < size {
		n, err := f.ReadAt(buf, at)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return at + int64(i) + 1, nil
		}
		at += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	return size, nil
}
