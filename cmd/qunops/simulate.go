package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/chart"
	"github.com/qunops/qunops/growth"
	"github.com/qunops/qunops/livecode"
)

// simConfig is what `qunops simulate` runs.
type simConfig struct {
	seed        uint64
	seeds       int
	law         string
	mean        float64
	dispersion  float64
	days        int
	churn       float64
	strategy    livecode.Strategy
	start       time.Time
	runs        int
	lateWelcome bool
	fitted      growth.Offspring // the law of -fit, which replaces law, mean and dispersion
}

// simDay is one CSV row.
type simDay struct {
	Day           int
	Date          time.Time
	Joins, Leaves int
	Members       int
	Groups        int // groups (codes) opened so far
	Open          int // codes taking scans at the end of the day
	QRRenewals    int // QRs replaced that day because they were about to expire
	P5, P50, P95  float64
	HaveBands     bool
	Exhausted     bool // the live code had no open group at some point that day
	LargestGroup  int
	// Unlocked is the expected members who have brought at least 3 by the
	// end of the day (seed F16's unlock), given the run's joins.
	Unlocked float64
}

func runSimulate(e *env, args []string) int {
	fs := newFlags(e, "simulate", `usage: qunops simulate [flags]

Simulates a seeded referral campaign (package growth) whose newcomers scan one live
code spread over WeChat groups (package livecode: a group QR takes 200 scans, seed F11,
and expires after 7 days, WeChat's rule, so the QRs are renewed), and writes a CSV row
per day on standard output. Each invitee joins 4 to 10 days after their inviter.

The law of the members each member brings is -law with -mean (and -dispersion), or,
with -fit FILE, the law fitted to a group log (see qunops fit): the family with the
lowest AIC over all its groups, or the -law family.

The column unlocked_expected is seed F16's unlock ("invite 3 people to unlock a
perk"): the members expected to have brought 3 or more by the end of the day, given
the run's joins and the law. -late-welcome raises the churn by 40% (seed F18:
newcomers not welcomed within 24 hours).
`)
	var c simConfig
	var strategy, start, svgPath string
	fs.Uint64Var(&c.seed, "seed", 1, "random `seed` (the output is reproducible from it)")
	fs.IntVar(&c.seeds, "seeds", 100, "founding `members` who join on day 0 (our choice; the seed gives none)")
	fs.StringVar(&c.law, "law", "poisson", "offspring `law`: poisson, negbin, binomial (each member asks 3 friends) or geometric")
	fs.Float64Var(&c.mean, "mean", 2.3, "members each member brings, on average (seed F16: 1:2.3)")
	fs.Float64Var(&c.dispersion, "dispersion", 0.5, "negbin dispersion `K` (variance mean+mean²/K)")
	fs.IntVar(&c.days, "days", 30, "days to simulate")
	fs.Float64Var(&c.churn, "churn", 0.01, "daily probability that a member leaves (our choice; the seed gives no churn figure)")
	fs.StringVar(&strategy, "strategy", "fill-first", "live code `strategy`: fill-first, round-robin, least-loaded, weighted or sticky")
	fs.StringVar(&start, "start", "2026-03-02", "the campaign's first `date` (Asia/Shanghai)")
	fs.IntVar(&c.runs, "runs", 0, "also run `N` Monte Carlo campaigns and add p5/p50/p95 of members")
	fs.StringVar(&svgPath, "svg", "", "write a line chart of members and groups to `FILE` (SVG)")
	fs.BoolVar(&c.lateWelcome, "late-welcome", false, "newcomers are welcomed later than 24 hours: churn × 1.4 (seed F18)")
	fitPath := fs.String("fit", "", "simulate the law fitted to the event log `FILE` (see qunops fit)")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 0 }); !ok {
		return code
	}
	if *fitPath != "" {
		law, code := lawFromLog(e, fs, *fitPath)
		if code != exitOK {
			return code
		}
		c.fitted = law
	}
	s, err := livecode.ParseStrategy(strategy)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: -strategy: %v\n", err)
		return exitUsage
	}
	c.strategy = s
	c.start, err = time.ParseInLocation(time.DateOnly, start, qunops.DefaultLocation())
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: -start %q: want a date like 2026-03-02\n", start)
		return exitUsage
	}
	switch {
	case !(c.churn >= 0 && c.churn <= 1):
		fmt.Fprintf(e.stderr, "qunops: -churn %v: want a daily probability from 0 to 1\n", c.churn)
		return exitUsage
	case c.days < 0:
		fmt.Fprintf(e.stderr, "qunops: -days %d: want 0 or more\n", c.days)
		return exitUsage
	case c.seeds < 0:
		fmt.Fprintf(e.stderr, "qunops: -seeds %d: want 0 or more\n", c.seeds)
		return exitUsage
	}
	if c.runs < 0 || c.runs > 100000 {
		fmt.Fprintf(e.stderr, "qunops: -runs %d: want 0 to 100000\n", c.runs)
		return exitUsage
	}
	rows, err := simulate(c)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(e.stdout)
	writeSimCSV(out, rows)
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	if svgPath != "" {
		f, err := os.Create(svgPath)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
		err = simChart(f, c, rows)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
	}
	return exitOK
}

// lawFromLog fits the log at path and returns the law to simulate: the
// best fit over all groups, or the -law family's fit when -law is set.
// -mean and -dispersion are errors with -fit.
func lawFromLog(e *env, fs *flag.FlagSet, path string) (growth.Offspring, int) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"mean", "dispersion"} {
		if set[name] {
			fmt.Fprintf(e.stderr, "qunops: -%s: the law comes from -fit %s; drop one of them\n", name, path)
			return nil, exitUsage
		}
	}
	var want growth.Family
	if set["law"] {
		law := fs.Lookup("law").Value.String()
		f, err := growth.ParseFamily(law)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: -law %q with -fit: want poisson, geometric or negbin\n", law)
			return nil, exitUsage
		}
		want = f
	}
	c, bad, err := countInvites(e, []string{path}, fitWindow{})
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: -fit: %v\n", err)
		return nil, exitBad
	}
	if bad > 0 {
		fmt.Fprintf(e.stderr, "qunops: -fit %s: %s; fix the log first (qunops validate)\n", path, plural(bad, "bad line"))
		return nil, exitBad
	}
	_, total := fitGroups(c, 0.95, fitBoot{})
	if total.err != nil {
		fmt.Fprintf(e.stderr, "qunops: -fit %s: %v\n", path, total.err)
		return nil, exitBad
	}
	// Compare succeeded, so there is a best fit (Poisson fits whatever
	// has members).
	fit, _ := total.cmp.Best()
	if set["law"] {
		ok := false
		for _, f := range total.cmp.Fits {
			if f.Family == want {
				fit, ok = f, true
			}
		}
		if !ok {
			for _, u := range total.cmp.Unfitted {
				if u.Family == want {
					fmt.Fprintf(e.stderr, "qunops: -fit %s -law %v: %v\n", path, want, u.Err)
				}
			}
			return nil, exitBad
		}
	}
	fmt.Fprintf(e.stderr, "qunops: simulating the %v law fitted to %s: mean %s", fit.Family, path, fmtParam(fit.Mean))
	if fit.Family == growth.FamilyNegBinomial {
		fmt.Fprintf(e.stderr, ", dispersion K %s", fmtParam(fit.Dispersion))
	}
	fmt.Fprintln(e.stderr)
	return fit.Law, exitOK
}

func offspringLaw(c simConfig) (growth.Offspring, error) {
	if c.fitted != nil {
		return c.fitted, nil
	}
	var o growth.Offspring
	switch c.law {
	case "poisson":
		o = growth.Poisson{Lambda: c.mean}
	case "negbin":
		o = growth.NegBinomial{R: c.mean, K: c.dispersion}
	case "binomial":
		// Each member asks 3 friends, each of whom joins with the same
		// chance. This is not seed F16's "invite 3 to unlock a perk", which
		// sets no cap: its unlock is the share who reach 3 invites
		// (unlocked_expected), whatever the law.
		o = growth.Binomial{N: 3, P: c.mean / 3}
	case "geometric":
		o = growth.Geometric{R: c.mean}
	default:
		return nil, fmt.Errorf("-law %q: want poisson, negbin, binomial or geometric", c.law)
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("-law %s with -mean %v: %w", c.law, c.mean, err)
	}
	return o, nil
}

// simulate draws the daily joins and leaves of one campaign with growth,
// then plays them through a live code pool: each newcomer scans the live
// code during the day and joins the group it shows; when no group can take
// a scan, a new group (and code) is opened; QRs are renewed before their 7
// days (WeChat's validity of a group QR) run out. Leavers are drawn
// uniformly from the members.
func simulate(c simConfig) ([]simDay, error) {
	law, err := offspringLaw(c)
	if err != nil {
		return nil, err
	}
	// Each invitee joins 4 to 10 days after their inviter, a week on average
	// (growth's default cycle, spread so that joins come every day).
	cycle := []float64{0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}
	cfg := growth.Config{Seeds: c.seeds, Offspring: law, Cycle: cycle, Churn: c.churn, Days: c.days, LateWelcome: c.lateWelcome}
	r := rand.New(rand.NewPCG(c.seed, 0x9e3779b97f4a7c15))
	run, err := growth.Simulate(cfg, r)
	if err != nil {
		return nil, err
	}
	var bands *growth.Bands
	if c.runs > 0 {
		b, err := growth.MonteCarlo(cfg, c.runs, rand.New(rand.NewPCG(c.seed, 2)))
		if err != nil {
			return nil, err
		}
		bands = &b
	}
	pool, err := livecode.NewPool(c.strategy, livecode.CodeAt("group 1", c.start))
	if err != nil {
		return nil, err
	}
	type member struct{ user, code string }
	var members []member
	next := 0
	rows := make([]simDay, 0, len(run.Steps))
	for _, st := range run.Steps {
		day := c.start.AddDate(0, 0, st.Day)
		row := simDay{Day: st.Day, Date: day, Joins: st.Joins, Leaves: st.Leaves}
		// Renew the QRs that would expire within the day (a group QR lasts
		// 7 days: WeChat's rule, not a seed figure), except those of groups
		// past the scan limit (seed F11), which no QR admits any more.
		for _, s := range pool.AllStats() {
			if !s.Retired && s.Members < s.ScanLimit && !s.Expires.IsZero() && s.Expires.Before(day.AddDate(0, 0, 1)) {
				if err := pool.ReplaceQR(s.ID, day.AddDate(0, 0, 7), day); err != nil {
					return nil, err
				}
				row.QRRenewals++
			}
		}
		for i := 0; i < st.Leaves && len(members) > 0; i++ {
			k := r.IntN(len(members))
			m := members[k]
			members[k] = members[len(members)-1]
			members = members[:len(members)-1]
			if err := pool.Left(m.user, m.code, day.Add(7*time.Hour)); err != nil {
				return nil, err
			}
		}
		// Scans spread from 08:00 to 22:00.
		for i := 0; i < st.Joins; i++ {
			at := day.Add(8*time.Hour + time.Duration(i)*14*time.Hour/time.Duration(st.Joins))
			next++
			user := fmt.Sprintf("u%d", next)
			code, err := pool.Assign(user, at)
			if errors.Is(err, livecode.ErrFull) {
				row.Exhausted = true
				if err := pool.Add(livecode.CodeAt(pool.NextName(), at)); err != nil {
					return nil, err
				}
				code, err = pool.Assign(user, at)
			}
			if err != nil {
				return nil, err
			}
			if err := pool.Joined(user, code, at.Add(time.Minute)); err != nil {
				return nil, err
			}
			members = append(members, member{user, code})
		}
		row.Members = len(members)
		for _, s := range pool.AllStats() {
			row.Groups++
			if s.Open {
				row.Open++
			}
			row.LargestGroup = max(row.LargestGroup, s.Members)
		}
		row.Unlocked = expectedUnlocked(law, cycle, run.Steps[:st.Day+1])
		if bands != nil && st.Day < len(bands.Days) {
			b := bands.Days[st.Day].Members
			row.P5, row.P50, row.P95, row.HaveBands = float64(b.P5), float64(b.P50), float64(b.P95), true
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// expectedUnlocked returns the members expected to have brought at least
// growth.UnlockInvites by the end of the last of steps (seed F16's
// unlock), given each day's joins: a member who joined t days earlier has
// seen each of their invitees arrive with probability F(t), the share of
// cycle's weight at delays up to t, so the invitees arrived so far follow
// the law thinned by F(t), which is a law of the same family.
func expectedUnlocked(law growth.Offspring, cycle []float64, steps []growth.Step) float64 {
	sum := 0.0
	for _, w := range cycle {
		sum += w
	}
	today := len(steps) - 1
	total := 0.0
	for _, st := range steps {
		if st.Joins == 0 {
			continue
		}
		f := 0.0
		for d := 0; d <= today-st.Day && d < len(cycle); d++ {
			f += cycle[d]
		}
		if f == 0 {
			continue
		}
		total += float64(st.Joins) * growth.AtLeast(thinned(law, min(1, f/sum)), growth.UnlockInvites)
	}
	return total
}

// thinned returns the law of the offspring of o that arrive when each
// arrives independently with probability f in (0, 1].
func thinned(o growth.Offspring, f float64) growth.Offspring {
	switch l := o.(type) {
	case growth.Poisson:
		return growth.Poisson{Lambda: l.Lambda * f}
	case growth.NegBinomial:
		return growth.NegBinomial{R: l.R * f, K: l.K}
	case growth.Geometric:
		return growth.Geometric{R: l.R * f}
	case growth.Binomial:
		return growth.Binomial{N: l.N, P: l.P * f}
	}
	panic(fmt.Sprintf("qunops: no thinned form for %T", o)) // simulate builds only the laws above
}

func writeSimCSV(w io.Writer, rows []simDay) {
	head := []string{"day", "date", "joins", "leaves", "members", "groups", "open_codes", "largest_group", "qr_renewals", "new_group_needed", "unlocked_expected"}
	if len(rows) > 0 && rows[0].HaveBands {
		head = append(head, "members_p5", "members_p50", "members_p95")
	}
	fmt.Fprintln(w, strings.Join(head, ","))
	for _, r := range rows {
		fmt.Fprintf(w, "%d,%s,%d,%d,%d,%d,%d,%d,%d,%t,%.1f", r.Day, r.Date.Format(time.DateOnly), r.Joins, r.Leaves, r.Members,
			r.Groups, r.Open, r.LargestGroup, r.QRRenewals, r.Exhausted, r.Unlocked)
		if r.HaveBands {
			fmt.Fprintf(w, ",%g,%g,%g", r.P5, r.P50, r.P95)
		}
		fmt.Fprintln(w)
	}
}

// lawTitle describes the simulated law for the chart's title.
func lawTitle(c simConfig) string {
	if c.fitted != nil {
		return fmt.Sprintf("fitted law mean %.3g", c.fitted.Mean())
	}
	return fmt.Sprintf("%s mean %v", c.law, c.mean)
}

func simChart(w io.Writer, c simConfig, rows []simDay) error {
	x := make([]float64, len(rows))
	members := make([]float64, len(rows))
	groups := make([]float64, len(rows))
	for i, r := range rows {
		x[i] = float64(r.Day)
		members[i] = float64(r.Members)
		groups[i] = float64(r.Groups)
	}
	top := chart.Panel{YLabel: "members", Series: []chart.Series{{Name: "this run", Color: "#1f77b4", Y: members}}}
	if len(rows) > 0 && rows[0].HaveBands {
		p5, p50, p95 := make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
		for i, r := range rows {
			p5[i], p50[i], p95[i] = r.P5, r.P50, r.P95
		}
		top.Series = append(top.Series,
			chart.Series{Name: "p50", Color: "#555", Y: p50},
			chart.Series{Name: "p5", Color: "#999", Dash: true, Y: p5},
			chart.Series{Name: "p95", Color: "#999", Dash: true, Y: p95})
	}
	return chart.Write(w, chart.Chart{
		Title:  fmt.Sprintf("Referral campaign: %d seeds, %s, %s live code (seed %d)", c.seeds, lawTitle(c), c.strategy, c.seed),
		XLabel: "day",
		X:      x,
		Panels: []chart.Panel{top, {YLabel: "groups", Series: []chart.Series{{Name: "groups", Color: "#d62728", Y: groups}}}},
	})
}
