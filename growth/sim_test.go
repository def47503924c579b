package growth

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/internal/golden"
	"pgregory.net/rapid"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Offspring: Poisson{Lambda: 2}}
	tests := []struct {
		name    string
		mod     func(*Config)
		wantErr string // "" for valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"no law", func(c *Config) { c.Offspring = nil }, "growth: config offspring law is required"},
		{"invalid law", func(c *Config) { c.Offspring = Poisson{Lambda: -2} }, "growth: poisson lambda -2"},
		{"NaN mean of a law of one's own", func(c *Config) { c.Offspring = lying{plain{Poisson{Lambda: 2}}} }, "mean NaN"},
		{"negative seeds", func(c *Config) { c.Seeds = -1 }, "seeds -1"},
		{"churn above 1", func(c *Config) { c.Churn = 1.5 }, "churn 1.5"},
		{"churn NaN", func(c *Config) { c.Churn = math.NaN() }, "churn NaN"},
		{"churn 1 is valid", func(c *Config) { c.Churn = 1 }, ""},
		{"negative capacity", func(c *Config) { c.Capacity = -5 }, "capacity -5"},
		{"negative days", func(c *Config) { c.Days = -1 }, "days -1"},
		{"negative limit", func(c *Config) { c.Limit = -1 }, "limit -1"},
		{"one-weight cycle", func(c *Config) { c.Cycle = []float64{0} }, "cycle has 1 weights"},
		{"same-day cycle", func(c *Config) { c.Cycle = []float64{1, 1} }, "delay of 0 days must be 0"},
		{"negative weight", func(c *Config) { c.Cycle = []float64{0, 1, -1} }, "weight -1 for 2 days"},
		{"infinite weight", func(c *Config) { c.Cycle = []float64{0, math.Inf(1)} }, "weight +Inf"},
		{"zero cycle", func(c *Config) { c.Cycle = []float64{0, 0, 0} }, "sum to 0"},
		{"spread cycle", func(c *Config) { c.Cycle = []float64{0, 1, 2, 0} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			err := c.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
			_, serr := Simulate(c, rand.New(rand.NewPCG(1, 2)))
			_, merr := MonteCarlo(c, 3, rand.New(rand.NewPCG(1, 2)))
			if (serr == nil) != (err == nil) || (merr == nil) != (err == nil) {
				t.Fatalf("Simulate: %v, MonteCarlo: %v, Validate: %v", serr, merr, err)
			}
		})
	}
	if _, err := Simulate(ok, nil); err == nil {
		t.Error("Simulate(nil source) gave no error")
	}
	if _, err := MonteCarlo(ok, 10, nil); err == nil {
		t.Error("MonteCarlo(nil source) gave no error")
	}
	if _, err := MonteCarlo(ok, 0, rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "runs 0") {
		t.Errorf("MonteCarlo(runs = 0) = %v", err)
	}
}

// The seeded output of Simulate and MonteCarlo is pinned bit for bit.
func TestSimulateGolden(t *testing.T) {
	cfg := Config{
		Seeds:     100,
		Offspring: NegBinomial{R: 2.3, K: 0.5},
		Cycle:     []float64{0, 0, 1, 2, 1},
		Churn:     0.014,
		Days:      30,
	}
	run, err := Simulate(cfg, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "simulate stopped=%v\nday,joins,leaves,members,joined,groups,full\n", run.Stopped)
	for _, s := range run.Steps {
		fmt.Fprintf(&buf, "%d,%d,%d,%d,%d,%d,%d\n", s.Day, s.Joins, s.Leaves, s.Members, s.Joined, s.Groups, s.Full)
	}
	bands, err := MonteCarlo(cfg, 200, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&buf, "montecarlo runs=%d stopped=%d\nday,members p5,p50,p95,mean,groups p5,p50,p95\n", bands.Runs, bands.Stopped)
	for _, d := range bands.Days {
		fmt.Fprintf(&buf, "%d,%d,%d,%d,%.4f,%d,%d,%d\n", d.Day, d.Members.P5, d.Members.P50, d.Members.P95,
			d.Members.Mean, d.Groups.P5, d.Groups.P50, d.Groups.P95)
	}
	golden.Check(t, filepath.Join("testdata", "simulate.golden"), buf.Bytes())
}

// simConfig draws a small valid configuration.
func simConfig(t *rapid.T) Config {
	var o Offspring
	switch rapid.IntRange(0, 4).Draw(t, "law") {
	case 0:
		o = Poisson{Lambda: rapid.Float64Range(0, 4).Draw(t, "lambda")}
	case 1:
		o = Binomial{N: rapid.IntRange(0, 6).Draw(t, "n"), P: rapid.Float64Range(0, 1).Draw(t, "p")}
	case 2:
		o = NegBinomial{R: rapid.Float64Range(0, 4).Draw(t, "r"), K: rapid.Float64Range(0.1, 5).Draw(t, "k")}
	case 3:
		o = Geometric{R: rapid.Float64Range(0, 4).Draw(t, "r")}
	default:
		o = plain{Poisson{Lambda: rapid.Float64Range(0, 3).Draw(t, "lambda")}}
	}
	var cycle []float64
	if rapid.Bool().Draw(t, "spread") {
		cycle = []float64{0}
		for i := rapid.IntRange(1, 6).Draw(t, "delays"); i > 0; i-- {
			cycle = append(cycle, rapid.Float64Range(0, 3).Draw(t, "weight"))
		}
		cycle = append(cycle, 1)
	}
	return Config{
		Seeds:     rapid.IntRange(0, 300).Draw(t, "seeds"),
		Offspring: o,
		Cycle:     cycle,
		Churn:     rapid.SampledFrom([]float64{0, 0.01, 0.2, 1}).Draw(t, "churn"),
		Capacity:  rapid.SampledFrom([]int{0, 20, 137, 500}).Draw(t, "capacity"),
		Days:      rapid.IntRange(0, 60).Draw(t, "days"),
		Limit:     rapid.IntRange(0, 20000).Draw(t, "limit"),
	}
}

// Every run balances its books: members are joins minus leaves, nobody
// joins beyond Limit, groups hold everyone and never exceed capacity, and
// without churn the groups are exactly the fewest that hold everyone.
func TestSimulateInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := simConfig(t)
		seed := rapid.Uint64().Draw(t, "seed")
		run, err := Simulate(cfg, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := cfg.resolve()
		if len(run.Steps) != rc.Days {
			t.Fatalf("%d steps, want %d", len(run.Steps), rc.Days)
		}
		members, joined, groups := 0, 0, 0
		for i, s := range run.Steps {
			if s.Day != i || s.Joins < 0 || s.Leaves < 0 || s.Leaves > members {
				t.Fatalf("step %+v after %d members", s, members)
			}
			members += s.Joins - s.Leaves
			joined += s.Joins
			if s.Members != members || s.Joined != joined || joined > rc.Limit {
				t.Fatalf("step %+v: want members %d, joined %d (limit %d)", s, members, joined, rc.Limit)
			}
			if s.Groups < groups || s.Groups*rc.Capacity < members || s.Full > s.Groups {
				t.Fatalf("step %+v: groups went from %d, capacity %d", s, groups, rc.Capacity)
			}
			if cfg.Churn == 0 {
				if want := (members + rc.Capacity - 1) / rc.Capacity; s.Groups != want || s.Full != members/rc.Capacity {
					t.Fatalf("step %+v: want %d groups, %d full", s, want, members/rc.Capacity)
				}
			}
			groups = s.Groups
		}
		if i := 0; len(run.Steps) > 0 && run.Steps[i].Joins != min(rc.Seeds, rc.Limit) {
			t.Fatalf("day 0 joins %d, want %d seeds", run.Steps[0].Joins, rc.Seeds)
		}
		// The same seed gives the same run; MonteCarlo with one run agrees.
		again, _ := Simulate(cfg, rand.New(rand.NewPCG(seed, 2)))
		if diff := cmp.Diff(run, again); diff != "" {
			t.Fatalf("not reproducible (-first +second):\n%s", diff)
		}
		bands, err := MonteCarlo(cfg, 1, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if bands.Stopped != 0 != run.Stopped {
			t.Fatalf("MonteCarlo stopped %d, Simulate %v", bands.Stopped, run.Stopped)
		}
		for i, d := range bands.Days {
			s := run.Steps[i]
			want := Band{P5: s.Members, P50: s.Members, P95: s.Members, Mean: float64(s.Members)}
			if !cmp.Equal(d.Members, want) || d.Groups.P50 != s.Groups || d.Joined.P95 != s.Joined {
				t.Fatalf("day %d: bands %+v, run %+v", i, d, s)
			}
		}
	})
}

func TestBandsOrdered(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := simConfig(t)
		runs := rapid.IntRange(1, 40).Draw(t, "runs")
		bands, err := MonteCarlo(cfg, runs, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range bands.Days {
			for _, b := range []Band{d.Joins, d.Leaves, d.Members, d.Joined, d.Groups} {
				if b.P5 > b.P50 || b.P50 > b.P95 || !(b.Mean >= 0) {
					t.Fatalf("day %d: band %+v", d.Day, b)
				}
			}
		}
		if bands.Stopped < 0 || bands.Stopped > runs {
			t.Fatalf("stopped %d of %d", bands.Stopped, runs)
		}
	})
}

func TestNearestRank(t *testing.T) {
	v := make([]int, 1000)
	for i := range v {
		v[i] = i + 1
	}
	// Nearest rank: p5 of 1..1000 is the 50th value, p95 the 950th.
	if got := band(v, nil); got.P5 != 50 || got.P50 != 500 || got.P95 != 950 || got.Mean != 500.5 {
		t.Errorf("band(1..1000) = %+v", got)
	}
	if got := band([]int{7}, nil); !cmp.Equal(got, Band{P5: 7, P50: 7, P95: 7, Mean: 7}) {
		t.Errorf("band(7) = %+v", got)
	}
	// Three values: ranks ceil(0.15) = 1, ceil(1.5) = 2, ceil(2.85) = 3.
	if got := band([]int{9, 1, 5}, nil); got.P5 != 1 || got.P50 != 5 || got.P95 != 9 {
		t.Errorf("band(9, 1, 5) = %+v", got)
	}
}

// Issue 22: the caller chooses the quantiles of the bands. Nearest rank
// by hand: of 1..100, level q is value ceil(100q); 0.07 of 100 runs is
// rank 7 although 0.07*100 is 7.000000000000001 in float64.
func TestBandQuantiles(t *testing.T) {
	v := make([]int, 100)
	for i := range v {
		v[i] = 100 - i // unsorted on purpose
	}
	got := band(v, []float64{0, 0.025, 0.07, 0.5, 0.975, 1})
	if want := []int{1, 3, 7, 50, 98, 100}; !cmp.Equal(got.Q, want) {
		t.Errorf("Q = %v, want %v", got.Q, want)
	}
	cfg := Config{Seeds: 10, Offspring: Poisson{Lambda: 1.5}, Days: 15, Quantiles: []float64{0.05, 0.5, 0.95, 0.25}}
	bands, err := MonteCarlo(cfg, 200, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(bands.Quantiles, cfg.Quantiles) {
		t.Errorf("Bands.Quantiles = %v", bands.Quantiles)
	}
	for _, d := range bands.Days {
		m := d.Members
		// The default percentiles and the same levels asked for agree.
		if len(m.Q) != 4 || m.Q[0] != m.P5 || m.Q[1] != m.P50 || m.Q[2] != m.P95 || m.Q[3] < m.P5 || m.Q[3] > m.P50 {
			t.Fatalf("day %d: %+v", d.Day, m)
		}
	}
	for _, bad := range [][]float64{{1.5}, {0.5, -0.1}, {math.NaN()}} {
		cfg.Quantiles = bad
		if _, err := MonteCarlo(cfg, 3, rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "quantiles[") {
			t.Errorf("quantiles %v: err = %v", bad, err)
		}
	}
}

// Seed F18 (issue 19): a late welcome raises the daily churn by 40%, and
// leaves nothing else changed: with no arrivals after day 0, the leavers
// of day 1 are Binomial(seeds, churn × 1.4).
func TestLateWelcomeF18(t *testing.T) {
	cfg := Config{Seeds: 10000, Offspring: Poisson{}, Days: 2, Churn: 0.05}
	late := cfg
	late.LateWelcome = true
	const runs = 200
	var on, off float64
	for i := range runs {
		a, err := Simulate(cfg, rand.New(rand.NewPCG(uint64(i), 1)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Simulate(late, rand.New(rand.NewPCG(uint64(i), 1)))
		if err != nil {
			t.Fatal(err)
		}
		off += float64(a.Steps[1].Leaves)
		on += float64(b.Steps[1].Leaves)
	}
	// Means of 500 and 700 leavers a run; the standard error of each mean
	// over 200 runs is below 2.
	if math.Abs(off/runs-500) > 10 || math.Abs(on/runs-700) > 10 {
		t.Errorf("mean leavers on day 1: %v welcomed in time, %v late; want 500 and 700", off/runs, on/runs)
	}
	cfg.Churn, cfg.LateWelcome = 0.9, true
	run, err := Simulate(cfg, rand.New(rand.NewPCG(1, 1)))
	if err != nil || run.Steps[1].Leaves != 10000 {
		t.Errorf("churn 0.9 × 1.4 is capped at 1: %v leavers, %v", run.Steps[1].Leaves, err)
	}
}

// meanOf returns the mean and standard error of f over runs seeded runs.
func meanOf(t *testing.T, cfg Config, runs int, f func(Run) float64) (float64, float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var sum, sq float64
	for range runs {
		run, err := Simulate(cfg, r)
		if err != nil {
			t.Fatal(err)
		}
		x := f(run)
		sum += x
		sq += x * x
	}
	mean := sum / float64(runs)
	return mean, math.Sqrt((sq/float64(runs) - mean*mean) / float64(runs))
}

// Simulated means agree with the closed forms: Cumulative for the members
// joined after whole cycles, Retained for the members left with churn
// (r = (1-churn)^7 per 7-day cycle), and a recursion on expected arrivals
// for a spread cycle. Bounds: 6 standard errors.
func TestSimulateMeansMatchClosedForms(t *testing.T) {
	churn := 0.03
	tests := []struct {
		name string
		cfg  Config
		f    func(Run) float64
		want float64
	}{
		{"joined by day 28 poisson", Config{Seeds: 100, Offspring: Poisson{Lambda: 2.3}},
			func(r Run) float64 { return float64(r.Steps[28].Joined) }, Cumulative(100, 2.3, 4)},
		{"joined by day 28 negbin", Config{Seeds: 100, Offspring: NegBinomial{R: 2.3, K: 0.5}},
			func(r Run) float64 { return float64(r.Steps[28].Joined) }, Cumulative(100, 2.3, 4)},
		{"joined by day 28 member by member", Config{Seeds: 100, Offspring: plain{Geometric{R: 2.3}}},
			func(r Run) float64 { return float64(r.Steps[28].Joined) }, Cumulative(100, 2.3, 4)},
		{"members on day 28 with churn", Config{Seeds: 100, Offspring: Binomial{N: 5, P: 0.46}, Churn: churn},
			func(r Run) float64 { return float64(r.Steps[28].Members) }, Retained(100, 2.3, math.Pow(1-churn, 7), 4)},
		{"members on day 28 with churn, small groups", Config{Seeds: 100, Offspring: Geometric{R: 2.3}, Churn: churn, Capacity: 60},
			func(r Run) float64 { return float64(r.Steps[28].Members) }, Retained(100, 2.3, math.Pow(1-churn, 7), 4)},
		{"joined by day 20 spread cycle", Config{Seeds: 50, Offspring: NegBinomial{R: 1.6, K: 2}, Cycle: []float64{0, 1, 3, 0, 1}, Days: 21},
			func(r Run) float64 { return float64(r.Steps[20].Joined) }, expectedJoined(50, 1.6, []float64{0, 1, 3, 0, 1}, 21)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, se := meanOf(t, tt.cfg, 1500, tt.f)
			if math.Abs(mean-tt.want) > 6*se {
				t.Errorf("mean %.2f ± %.2f, closed form %.2f", mean, se, tt.want)
			}
		})
	}
}

// expectedJoined is E[joined through day days-1] by the renewal recursion
// E[a_d] = Σ_l m·w_l·E[a_{d-l}], a_0 = seeds.
func expectedJoined(seeds, m float64, cycle []float64, days int) float64 {
	sum := 0.0
	for _, w := range cycle {
		sum += w
	}
	a := make([]float64, days)
	a[0] = seeds
	total := 0.0
	for d := range days {
		for l := 1; l < len(cycle) && l <= d; l++ {
			a[d] += m * cycle[l] / sum * a[d-l]
		}
		total += a[d]
	}
	return total
}

// A chain started by one member stops by the horizon about as often as the
// branching process dies out within the generations that fit.
func TestSimulateStoppedMatchesExtinction(t *testing.T) {
	o := Poisson{Lambda: 1.5}
	cfg := Config{Seeds: 1, Offspring: o, Cycle: FixedCycle(1), Days: 8}
	const runs = 20000
	bands, err := MonteCarlo(cfg, runs, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	// Days 0..7 hold generations 0..7; the chain has stopped when
	// generation 8 is empty.
	p := ExtinctionBy(o, 8)
	got := float64(bands.Stopped) / runs
	if se := math.Sqrt(p * (1 - p) / runs); math.Abs(got-p) > 6*se {
		t.Errorf("stopped %.4f, P(Z_8 = 0) = %.4f ± %.4f", got, p, se)
	}
}

func TestFixedCycle(t *testing.T) {
	if diff := cmp.Diff([]float64{0, 0, 0, 1}, FixedCycle(3)); diff != "" {
		t.Errorf("FixedCycle(3) (-want +got):\n%s", diff)
	}
	if FixedCycle(0) != nil || FixedCycle(-2) != nil {
		t.Errorf("FixedCycle below 1 must be nil (the default)")
	}
}

// Simulate never panics, whatever the configuration: it returns an error or
// a run that balances its books.
func FuzzSimulate(f *testing.F) {
	f.Add(100, 2.3, 0.5, 7, 0.0, 500, 30, 0, uint64(1))
	f.Add(1, 0.0, 1.0, 1, 1.0, 1, 5, 3, uint64(2))
	f.Add(-1, math.NaN(), -1.0, 0, 2.0, -1, -1, -1, uint64(3))
	f.Fuzz(func(t *testing.T, seeds int, mean, k float64, delay int, churn float64, capacity, days, limit int, seed uint64) {
		if days > 200 || limit > 100000 || delay > 400 || (capacity > 0 && capacity < 20) {
			return // keep each input cheap
		}
		cfg := Config{Seeds: seeds, Offspring: NegBinomial{R: mean, K: k}, Cycle: FixedCycle(delay),
			Churn: churn, Capacity: capacity, Days: days, Limit: limit}
		run, err := Simulate(cfg, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			return
		}
		members := 0
		for _, s := range run.Steps {
			members += s.Joins - s.Leaves
			if s.Members != members || members < 0 {
				t.Fatalf("step %+v, want %d members", s, members)
			}
		}
	})
}
