package growth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Defaults of [Config].
const (
	// DefaultCapacity is the members one group holds before newcomers
	// overflow into a new group: WeChat's group size limit, and the default
	// Cap of a livecode.Code. It is not a seed figure: seed F11 says only
	// that a full group sends newcomers on to a new one.
	DefaultCapacity = 500
	// DefaultDays is the simulated horizon: one month, the span of the
	// seed's referral drive (seed F17: 3000+ members in one month).
	DefaultDays = 30
	// DefaultCycleDays is the days between a member's join and the join of
	// the members they bring. It is not a seed figure: seed F17 (3000+ in a
	// month) with F16's layer coefficient 2.3 from about 100 seed members
	// implies three to four layers a month, about a week each.
	DefaultCycleDays = 7
	// DefaultLimit bounds the members who can ever join, so that a
	// supercritical law cannot overflow; it is a safety bound, not a seed
	// figure.
	DefaultLimit = 10_000_000
)

// Config describes a referral campaign for [Simulate] and [MonteCarlo].
// Zero fields take the documented defaults; only Offspring is required.
type Config struct {
	// Seeds is the number of founding members, who join on day 0.
	// Default 1.
	Seeds int
	// Offspring is the law of the members each member brings (required).
	Offspring Offspring
	// Cycle is the law of the delay between a member's join and the join of
	// each member they bring: Cycle[d] is the relative weight of a delay of
	// d days. Cycle[0] must be 0 (nobody joins on their inviter's day).
	// Default FixedCycle(DefaultCycleDays).
	Cycle []float64
	// Churn is the probability that a member leaves on any given day after
	// the day they join, in [0, 1]. Default 0 (nobody leaves). Members who
	// leave have already sent their invites. See LateWelcome.
	Churn float64
	// LateWelcome says that newcomers are welcomed later than 24 hours
	// after joining: the daily churn is then Churn × [LateWelcomeChurn],
	// at most 1 (seed F18: 40% more churn without a timely welcome).
	// Default false: newcomers are welcomed in time.
	LateWelcome bool
	// Capacity is the members a group holds. Default [DefaultCapacity].
	Capacity int
	// Days is the number of days simulated, day 0 included.
	// Default [DefaultDays].
	Days int
	// Limit is the most members who can ever join (the market, or the end
	// of the campaign); invitees beyond it are turned away.
	// Default [DefaultLimit].
	Limit int
	// Quantiles are the levels, each in [0, 1], of the quantiles that
	// [MonteCarlo] reports in each [Band]'s Q, in the caller's order: 0.025
	// and 0.975 for a central 95% band. Default none; P5, P50 and P95 are
	// always reported. [Simulate] ignores them.
	Quantiles []float64
}

// LateWelcomeChurn is the factor by which churn rises when newcomers are
// welcomed later than 24 hours after joining (seed F18: 40% more churn).
// [Config].LateWelcome applies it to the daily churn: the seed gives a
// relative rise and no horizon, so we read it as a rise of the daily
// probability (ours).
const LateWelcomeChurn = 1.4

// FixedCycle returns the Cycle of a delay of exactly days days (days >= 1);
// nil for days < 1, which Config reads as the default.
func FixedCycle(days int) []float64 {
	if days < 1 {
		return nil
	}
	c := make([]float64, days+1)
	c[days] = 1
	return c
}

// Step is one day of a simulated campaign.
type Step struct {
	Day     int // 0 is the day the seed members join
	Joins   int // members who joined that day
	Leaves  int // members who left that day
	Members int // members at the end of the day
	Joined  int // members who ever joined, through that day
	Groups  int // groups opened so far (each needs its own QR code)
	Full    int // groups at capacity at the end of the day
}

// Run is one simulated campaign.
type Run struct {
	Steps []Step // one per day, from day 0
	// Stopped reports whether the referral chain had ended by the last day:
	// no invitee was still to come, whether the tree died out or reached
	// Limit.
	Stopped bool
}

// resolved is a validated Config with its defaults applied.
type resolved struct {
	Config
	weights []float64 // weights[d] = Cycle[d] / Σ_{e>=d} Cycle[e]: the chain of binomials
}

func (c Config) resolve() (resolved, error) {
	var z resolved
	if c.Offspring == nil {
		return z, errors.New("growth: config offspring law is required")
	}
	if err := c.Offspring.Validate(); err != nil {
		return z, err
	}
	if m := c.Offspring.Mean(); math.IsNaN(m) || m < 0 {
		return z, fmt.Errorf("growth: config offspring mean %v must be at least 0", m)
	}
	switch {
	case c.Seeds < 0:
		return z, fmt.Errorf("growth: config seeds %d must be at least 0", c.Seeds)
	case !(c.Churn >= 0 && c.Churn <= 1):
		return z, fmt.Errorf("growth: config churn %v must be in [0, 1]", c.Churn)
	case c.Capacity < 0:
		return z, fmt.Errorf("growth: config capacity %d must be at least 0", c.Capacity)
	case c.Days < 0:
		return z, fmt.Errorf("growth: config days %d must be at least 0", c.Days)
	case c.Limit < 0:
		return z, fmt.Errorf("growth: config limit %d must be at least 0", c.Limit)
	}
	for i, q := range c.Quantiles {
		if !(q >= 0 && q <= 1) {
			return z, fmt.Errorf("growth: config quantiles[%d] %v must be in [0, 1]", i, q)
		}
	}
	if c.LateWelcome {
		c.Churn = min(1, c.Churn*LateWelcomeChurn)
	}
	if c.Seeds == 0 {
		c.Seeds = 1
	}
	if c.Capacity == 0 {
		c.Capacity = DefaultCapacity
	}
	if c.Days == 0 {
		c.Days = DefaultDays
	}
	if c.Limit == 0 {
		c.Limit = DefaultLimit
	}
	if c.Cycle == nil {
		c.Cycle = FixedCycle(DefaultCycleDays)
	}
	if len(c.Cycle) < 2 {
		return z, fmt.Errorf("growth: config cycle has %d weights, want at least 2", len(c.Cycle))
	}
	if c.Cycle[0] != 0 {
		return z, fmt.Errorf("growth: config cycle weight %v for a delay of 0 days must be 0", c.Cycle[0])
	}
	sum := 0.0
	for d, w := range c.Cycle {
		if !(w >= 0) || math.IsInf(w, 1) {
			return z, fmt.Errorf("growth: config cycle weight %v for %d days must be finite and at least 0", w, d)
		}
		sum += w
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return z, fmt.Errorf("growth: config cycle weights sum to %v, want a finite positive sum", sum)
	}
	// Splitting a count over the delays multinomially is a chain of
	// binomials, each with the weight of its delay over the weight left.
	w := make([]float64, len(c.Cycle))
	rest := sum
	last := len(c.Cycle) - 1
	for c.Cycle[last] == 0 {
		last--
	}
	for d := 1; d < last; d++ {
		w[d] = math.Min(1, c.Cycle[d]/rest)
		rest -= c.Cycle[d]
	}
	w[last] = 1 // whatever is left, exactly, whatever the rounding above
	return resolved{Config: c, weights: w}, nil
}

// Validate reports the first problem with the configuration, or nil.
func (c Config) Validate() error {
	_, err := c.resolve()
	return err
}

// simulator holds the buffers of one run, reused across the runs of a
// Monte Carlo.
type simulator struct {
	cfg     resolved
	pending []int // invitees arriving on each day
	groups  []int // members of each opened group
	steps   []Step
}

// Simulate runs one seeded referral campaign and returns its daily series.
//
// The model: Seeds members join on day 0. Every member, on the day they
// join, brings a number of members drawn from Offspring, who join after
// delays drawn independently from Cycle. From the day after joining, each
// member leaves on each day with probability Churn. Newcomers fill the
// groups in order, the first group with room first (like livecode's
// FillFirst), and a new group opens when all are full. At most Limit
// members ever join. Day d's order is: leaves, then joins, then the joiners'
// invitees are scheduled.
//
// The simulation tracks counts, not individuals: the day's joiners are a
// cohort whose total offspring is drawn at once (exactly, for the laws of
// this package, which are closed under sums; by summing per member for a
// law of your own), then split over the delays by a multinomial draw; each
// group's leavers are one binomial draw. This has exactly the law of the
// member-by-member referral tree, at a cost that does not grow with the
// members: O(Days · (len(Cycle) + groups)) per run for the package's laws.
//
// The result depends only on cfg and the state of r, so a seeded r makes it
// reproducible bit for bit (pinned by a golden test; changing the stream is
// a breaking change). It returns an error for an invalid cfg or a nil r.
func Simulate(cfg Config, r *rand.Rand) (Run, error) {
	if r == nil {
		return Run{}, errors.New("growth: simulate needs a random source, got nil")
	}
	rc, err := cfg.resolve()
	if err != nil {
		return Run{}, err
	}
	s := &simulator{cfg: rc}
	stopped := s.run(r)
	return Run{Steps: slices.Clone(s.steps), Stopped: stopped}, nil
}

// run simulates one campaign into s.steps and reports whether the chain
// stopped.
func (s *simulator) run(r *rand.Rand) bool {
	c := &s.cfg
	days := c.Days
	if cap(s.pending) < days {
		s.pending = make([]int, days)
	}
	s.pending = s.pending[:days]
	clear(s.pending)
	s.groups = s.groups[:0]
	s.steps = s.steps[:0]
	later := 0 // invitees due after the horizon
	members, joined, open := 0, 0, 0
	for day := 0; day < days; day++ {
		st := Step{Day: day}
		// Leaves.
		if c.Churn > 0 && members > 0 {
			for g, n := range s.groups {
				if n == 0 {
					continue
				}
				l := Binomial{N: n, P: c.Churn}.Sample(r)
				s.groups[g] -= l
				st.Leaves += l
			}
			members -= st.Leaves
			open = 0 // leaves may free room anywhere: fill first from the start
		}
		// Joins.
		arrivals := s.pending[day]
		if day == 0 {
			arrivals = satAdd(arrivals, c.Seeds)
		}
		arrivals = min(arrivals, c.Limit-joined)
		st.Joins = arrivals
		joined += arrivals
		members += arrivals
		for left := arrivals; left > 0; {
			if open == len(s.groups) {
				s.groups = append(s.groups, 0)
			}
			room := c.Capacity - s.groups[open]
			take := min(room, left)
			s.groups[open] += take
			left -= take
			if s.groups[open] == c.Capacity {
				open++
			}
		}
		for open < len(s.groups) && s.groups[open] == c.Capacity {
			open++
		}
		// The joiners' invitees.
		if arrivals > 0 && joined < c.Limit {
			kids := sumOffspring(c.Offspring, arrivals, r)
			for d := 1; d < len(c.Cycle) && kids > 0; d++ {
				x := kids
				if w := c.weights[d]; w < 1 {
					x = Binomial{N: kids, P: w}.Sample(r)
				}
				kids -= x
				if day+d < days {
					s.pending[day+d] = satAdd(s.pending[day+d], x)
				} else {
					later = satAdd(later, x)
				}
			}
		}
		st.Members = members
		st.Joined = joined
		st.Groups = len(s.groups)
		for _, n := range s.groups {
			if n == c.Capacity {
				st.Full++
			}
		}
		s.steps = append(s.steps, st)
	}
	return later == 0 || joined >= c.Limit
}

// sumOffspring draws the total offspring of n members.
func sumOffspring(o Offspring, n int, r *rand.Rand) int {
	if n <= 0 {
		return 0 // and no draw: NegBinomial{K: 0} would be invalid
	}
	nf := float64(n)
	switch l := o.(type) {
	case Poisson:
		return Poisson{Lambda: l.Lambda * nf}.Sample(r)
	case Binomial:
		if l.N == 0 || n <= math.MaxInt/l.N {
			return Binomial{N: l.N * n, P: l.P}.Sample(r)
		}
	case NegBinomial:
		return NegBinomial{R: l.R * nf, K: l.K * nf}.Sample(r)
	case Geometric:
		return NegBinomial{R: l.R * nf, K: nf}.Sample(r)
	}
	total := 0
	for range n {
		total = satAdd(total, max(0, o.Sample(r)))
	}
	return total
}

// satAdd adds two non-negative ints, saturating at math.MaxInt.
func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// Band summarizes one quantity across the runs of a Monte Carlo on one day:
// nearest-rank percentiles (the value of the run at rank ceil(p·runs/100)
// in increasing order, so each is a value some run had) and the mean.
type Band struct {
	P5, P50, P95 int
	// Q holds the quantiles at the levels of Config.Quantiles, in their
	// order, by the same nearest-rank rule (rank ceil(q·runs), at least
	// 1; a q·runs within 1e-9 of a whole number counts as that number, so
	// that 0.07 of 100 runs is rank 7 whatever the rounding of 0.07).
	// Nil when Config.Quantiles is empty.
	Q    []int
	Mean float64
}

// DayBands is the bands of every quantity of [Step] on one day.
type DayBands struct {
	Day                                    int  // as in Step.Day
	Joins, Leaves, Members, Joined, Groups Band // the Step field of that name
}

// Bands is the result of [MonteCarlo].
type Bands struct {
	Runs      int        // the number of runs summarized
	Quantiles []float64  // the levels of each Band's Q: Config.Quantiles
	Days      []DayBands // one per day, from day 0
	Stopped   int        // runs whose referral chain had ended by the last day
}

// MonteCarlo simulates runs independent campaigns (see [Simulate]) one after
// the other from r, and returns per-day p5/p50/p95 bands, the quantiles of
// cfg.Quantiles, and means of joins, leaves, members, members ever joined
// and groups. It is
// reproducible bit for bit from r's seed; run i uses the stream as left by
// runs 0..i-1. Cost: runs × the cost of one run, plus sorting
// runs values per day and quantity; memory O(runs × Days).
func MonteCarlo(cfg Config, runs int, r *rand.Rand) (Bands, error) {
	if r == nil {
		return Bands{}, errors.New("growth: monte carlo needs a random source, got nil")
	}
	if runs < 1 {
		return Bands{}, fmt.Errorf("growth: monte carlo runs %d must be at least 1", runs)
	}
	rc, err := cfg.resolve()
	if err != nil {
		return Bands{}, err
	}
	days := rc.Days
	const nq = 5
	vals := make([]int, nq*days*runs) // [quantity][day][run]
	at := func(q, day int) []int { return vals[(q*days+day)*runs : (q*days+day+1)*runs] }
	s := &simulator{cfg: rc}
	out := Bands{Runs: runs, Days: make([]DayBands, days), Quantiles: slices.Clone(rc.Quantiles)}
	for i := range runs {
		if s.run(r) {
			out.Stopped++
		}
		for d, st := range s.steps {
			at(0, d)[i] = st.Joins
			at(1, d)[i] = st.Leaves
			at(2, d)[i] = st.Members
			at(3, d)[i] = st.Joined
			at(4, d)[i] = st.Groups
		}
	}
	for d := range days {
		b := &out.Days[d]
		b.Day = d
		for q, dst := range []*Band{&b.Joins, &b.Leaves, &b.Members, &b.Joined, &b.Groups} {
			*dst = band(at(q, d), rc.Quantiles)
		}
	}
	return out, nil
}

// band sorts v in place and summarizes it, with the quantiles at levels qs.
func band(v []int, qs []float64) Band {
	slices.Sort(v)
	sum := 0.0
	for _, x := range v {
		sum += float64(x)
	}
	b := Band{
		P5:   nearestRank(v, 5),
		P50:  nearestRank(v, 50),
		P95:  nearestRank(v, 95),
		Mean: sum / float64(len(v)),
	}
	if len(qs) > 0 {
		b.Q = make([]int, len(qs))
		for i, q := range qs {
			b.Q[i] = v[quantileRank(q, len(v))-1]
		}
	}
	return b
}

// quantileRank returns the nearest rank ceil(q·n) of level q in [0, 1]
// among n > 0 sorted values, clamped to 1..n, reading a q·n within 1e-9 of
// a whole number as that number.
func quantileRank(q float64, n int) int {
	x := q * float64(n)
	r := math.Ceil(x)
	if m := math.Round(x); math.Abs(x-m) <= 1e-9*math.Max(1, x) {
		r = m
	}
	return min(max(int(r), 1), n)
}

// nearestRank returns the p-th percentile of sorted v by the nearest-rank
// method.
func nearestRank(v []int, p int) int {
	rank := (p*len(v) + 99) / 100 // ceil(p·n/100)
	return v[max(rank, 1)-1]
}
