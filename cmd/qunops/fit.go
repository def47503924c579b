package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/growth"
)

const fitUsage = `usage: qunops fit [-json] [-from DATE] [-to DATE] [-tz ZONE] [-level P] [-bootstrap N [-seed S]] FILE...  (- reads standard input)

Estimates the referral law of each group from its log (package growth). A join
event's actor is the newcomer's inviter; every member present in the window (on
the roster, or with any event in it, or inviting in it) is counted with the
invites they made in it, 0 for most. Poisson, geometric and negative binomial
laws are fitted to these counts by maximum likelihood, with standard errors and
confidence intervals at -level, and compared by AIC (lower is better; a
difference under 2 says little). The seed's F16 claims are set against the data:
the mean against its 1:2.3, and the share of members who reached 3 invites (its
unlock) against the share each fitted law predicts. With -bootstrap N the intervals
and standard errors come from N seeded resamples of the members instead (better
for small groups; reproducible from -seed).

The counts are those of the window, not of a member's whole life: members who
joined near its end had little time to invite. The tables may change between
versions; the -json output is versioned ("v"): its from and to are the window's
instants (to excluded; null when open), and an interval bound or standard error
that the data leave unbounded is null.
`

// fitWindow is the -from/-to window, [from, to) in instants; zero sides
// are open.
type fitWindow struct{ from, to time.Time }

// parseFitWindow reads -from and -to as calendar dates in loc, -to
// inclusive.
func parseFitWindow(from, to string, loc *time.Location) (fitWindow, error) {
	var w fitWindow
	if from != "" {
		d, err := time.ParseInLocation(time.DateOnly, from, loc)
		if err != nil {
			return w, fmt.Errorf("-from %q: want a date like 2026-03-01", from)
		}
		w.from = d
	}
	if to != "" {
		d, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return w, fmt.Errorf("-to %q: want a date like 2026-03-31", to)
		}
		w.to = d.AddDate(0, 0, 1)
	}
	if !w.from.IsZero() && !w.to.IsZero() && !w.to.After(w.from) {
		return w, fmt.Errorf("-to %s is before -from %s", to, from)
	}
	return w, nil
}

// groupFit is the fit of one group, or of all (Group "").
type groupFit struct {
	growth.Invites
	cmp growth.Comparison
	err error // no fit at all (no member present)
}

// countInvites reads the named logs (- is standard input) into a counter.
// Bad lines go to standard error; it returns their number, and an error
// for a file it cannot read.
func countInvites(e *env, names []string, w fitWindow) (*growth.InviteCounter, int, error) {
	c, err := growth.NewInviteCounter(w.from, w.to)
	if err != nil {
		return nil, 0, err
	}
	bad := 0
	prog := newProgress(e.stderr)
	defer prog.done()
	for _, name := range names {
		r, name, done, err := openInput(e, name)
		if err != nil {
			return nil, bad, err
		}
		n, err := decodeLog(r, name, nil, e.stderr, 10, func(ev qunops.Event) {
			prog.tick()
			// Decoded events are valid, so Add cannot fail.
			_ = c.Add(ev)
		})
		done()
		bad += n
		if err != nil {
			return nil, bad, err
		}
	}
	return c, bad, nil
}

// fitBoot is the -bootstrap setting: reps resamples from r, none when
// reps is 0.
type fitBoot struct {
	reps int
	r    *rand.Rand
}

// fitGroups fits every group and the total, in that order (which the
// bootstrap's stream follows).
func fitGroups(c *growth.InviteCounter, level float64, boot fitBoot) ([]groupFit, groupFit) {
	inv := c.Groups()
	out := make([]groupFit, len(inv))
	for i, g := range inv {
		out[i] = fitOne(g, level, boot)
	}
	return out, fitOne(growth.SumInvites(inv), level, boot)
}

func fitOne(inv growth.Invites, level float64, boot fitBoot) groupFit {
	cmp, err := growth.Compare(inv.Counts, level)
	if err == nil && boot.reps > 0 {
		for i, f := range cmp.Fits {
			// The fit to the same counts succeeded, so this cannot fail.
			if b, err := growth.Bootstrap(inv.Counts, f.Family, level, boot.reps, boot.r); err == nil {
				cmp.Fits[i] = b
			}
		}
	}
	return groupFit{Invites: inv, cmp: cmp, err: err}
}

func runFit(e *env, args []string) int {
	fs := newFlags(e, "fit", fitUsage)
	asJSON := fs.Bool("json", false, "write one JSON object (versioned, stable) instead of tables")
	from := fs.String("from", "", "first `date` of the window (YYYY-MM-DD in -tz; default: the log's start)")
	to := fs.String("to", "", "last `date` of the window, included (default: the log's end)")
	tz := fs.String("tz", "Asia/Shanghai", "time `zone` of -from and -to")
	level := fs.Float64("level", 0.95, "confidence `level` of the intervals, in (0, 1)")
	reps := fs.Int("bootstrap", 0, "percentile bootstrap intervals from `N` resamples (0: the asymptotic ones)")
	seed := fs.Uint64("seed", 1, "random `seed` of -bootstrap (the output is reproducible from it)")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n > 0 }); !ok {
		return code
	}
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	w, err := parseFitWindow(*from, *to, loc)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	if !(*level > 0 && *level < 1) {
		fmt.Fprintf(e.stderr, "qunops: -level %v: want a probability between 0 and 1, like 0.95\n", *level)
		return exitUsage
	}
	if *reps < 0 || *reps == 1 || *reps > 1_000_000 {
		fmt.Fprintf(e.stderr, "qunops: -bootstrap %d: want 0 (none) or 2 to 1000000 resamples\n", *reps)
		return exitUsage
	}
	c, bad, err := countInvites(e, fs.Args(), w)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	groups, total := fitGroups(c, *level, fitBoot{*reps, rand.New(rand.NewPCG(*seed, 22))})
	out := bufio.NewWriter(e.stdout)
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(fitJSONOf(groups, total, w, *level, *reps)); err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
	} else {
		printFits(out, groups, total, *level, *reps)
	}
	return e.finish(out, bad)
}

// printFits writes the human tables.
func printFits(w io.Writer, groups []groupFit, total groupFit, level float64, reps int) {
	if reps > 0 {
		fmt.Fprintf(w, "Intervals and standard errors from %d bootstrap resamples of the members.\n\n", reps)
	}
	for _, g := range groups {
		printFit(w, g, level)
		fmt.Fprintln(w)
	}
	printFit(w, total, level)
}

func printFit(w io.Writer, g groupFit, level float64) {
	name := g.Group
	if name == "" {
		name = "all groups"
	}
	fmt.Fprintf(w, "%s: %s present, %s in the window, %d with an inviter", name,
		plural(int(g.Counts.N()), "member"), plural(g.Joins, "join"), g.Invited)
	if g.Outsiders > 0 {
		fmt.Fprintf(w, " (%s seen only as inviters)", plural(g.Outsiders, "member"))
	}
	fmt.Fprintln(w)
	if g.err != nil {
		fmt.Fprintf(w, "  no fit: %v\n", g.err)
		return
	}
	mean, _ := g.Counts.Mean()
	v, _ := g.Counts.Variance()
	fmt.Fprintf(w, "  invites per member: mean %.3f (seed F16: %v), variance %.3f; %v reached %d invites (F16's unlock)\n",
		mean, growth.ReferralCoefficient, v, g.Counts.AtLeast(growth.UnlockInvites), growth.UnlockInvites)
	best, _ := g.cmp.Best()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	pct := fmt.Sprintf("%g%%", 100*level)
	fmt.Fprintf(tw, "  law\tmean [%s]\tK [%s]\tlog-lik\tAIC\tΔAIC\tP(X≥3)\tF16 2.3\n", pct, pct)
	for _, f := range g.cmp.Fits {
		k := ""
		if f.Family == growth.FamilyNegBinomial {
			k = fmtParam(f.Dispersion)
		}
		f16 := "outside"
		if f.Mean.Contains(growth.ReferralCoefficient) {
			f16 = "inside"
		}
		mark := ""
		if f.Family == best.Family {
			mark = " (best)"
		}
		fmt.Fprintf(tw, "  %v%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.1f%%\t%s\n", f.Family, mark, fmtParam(f.Mean), k,
			f.LogLik, f.AIC, f.AIC-best.AIC, 100*growth.AtLeast(f.Law, growth.UnlockInvites), f16)
	}
	tw.Flush()
	for _, err := range g.cmp.Unfitted {
		fmt.Fprintf(w, "  not fitted: %s\n", strings.TrimPrefix(err.Error(), "growth: fit "))
	}
}

// fmtParam prints an estimate with its interval.
func fmtParam(p growth.Parameter) string {
	hi := "∞"
	if !math.IsInf(p.High, 1) {
		hi = fmt.Sprintf("%.3f", p.High)
	}
	return fmt.Sprintf("%.3f [%.3f, %s]", p.Value, p.Low, hi)
}

// The -json output, version 1.
type fitJSON struct {
	V         int            `json:"v"`
	Level     float64        `json:"level"`
	Bootstrap int            `json:"bootstrap"` // resamples of the intervals; 0: asymptotic
	From      *time.Time     `json:"from"`      // null: the log's start
	To        *time.Time     `json:"to"`        // null: the log's end; exclusive
	Groups    []fitGroupJSON `json:"groups"`
	Total     fitGroupJSON   `json:"total"`
	Seed      fitSeedJSON    `json:"seed"`
}

type fitSeedJSON struct {
	Coefficient   float64 `json:"coefficient"`    // F16's 1:2.3
	UnlockInvites int     `json:"unlock_invites"` // F16's "invite 3"
}

type fitGroupJSON struct {
	Group     string          `json:"group"` // "" for the total
	Members   int64           `json:"members"`
	Invites   int64           `json:"invites"`
	Joins     int             `json:"joins"`
	Invited   int             `json:"invited"`
	Outsiders int             `json:"outsiders"`
	Counts    growth.Counts   `json:"counts"` // counts[k]: members who brought k
	Mean      *float64        `json:"mean"`
	Variance  *float64        `json:"variance"`
	Unlocked  qunops.Ratio    `json:"unlocked"` // share with at least unlock_invites invites
	Fits      []fitLawJSON    `json:"fits"`
	Unfitted  []fitFailedJSON `json:"unfitted"`
	Best      string          `json:"best"` // family of the lowest AIC; "" when none
	Error     string          `json:"error,omitempty"`
}

type fitLawJSON struct {
	Family          growth.Family `json:"family"`
	Mean            fitParamJSON  `json:"mean"`
	Dispersion      *fitParamJSON `json:"dispersion"` // negbin only
	LogLik          float64       `json:"log_lik"`
	AIC             float64       `json:"aic"`
	DeltaAIC        float64       `json:"delta_aic"`
	Params          int           `json:"params"`
	UnlockPredicted float64       `json:"unlock_predicted"` // P(X >= unlock_invites) under the law
	SeedInside      bool          `json:"seed_inside"`      // the coefficient lies in the mean's interval
}

type fitParamJSON struct {
	Value float64  `json:"value"`
	SE    *float64 `json:"se"` // null when infinite
	Low   float64  `json:"low"`
	High  *float64 `json:"high"` // null when unbounded
}

type fitFailedJSON struct {
	Family growth.Family `json:"family"`
	Error  string        `json:"error"`
}

func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}

func paramJSON(p growth.Parameter) fitParamJSON {
	return fitParamJSON{Value: p.Value, SE: finite(p.SE), Low: p.Low, High: finite(p.High)}
}

func fitJSONOf(groups []groupFit, total groupFit, w fitWindow, level float64, reps int) fitJSON {
	out := fitJSON{V: 1, Level: level, Bootstrap: reps, Groups: make([]fitGroupJSON, len(groups)), Total: groupJSON(total),
		Seed: fitSeedJSON{Coefficient: growth.ReferralCoefficient, UnlockInvites: growth.UnlockInvites}}
	if !w.from.IsZero() {
		out.From = &w.from
	}
	if !w.to.IsZero() {
		out.To = &w.to
	}
	for i, g := range groups {
		out.Groups[i] = groupJSON(g)
	}
	return out
}

func groupJSON(g groupFit) fitGroupJSON {
	j := fitGroupJSON{Group: g.Group, Members: g.Counts.N(), Invites: g.Counts.Total(), Joins: g.Joins, Invited: g.Invited,
		Outsiders: g.Outsiders, Counts: g.Counts, Unlocked: g.Counts.AtLeast(growth.UnlockInvites),
		Fits: []fitLawJSON{}, Unfitted: []fitFailedJSON{}}
	if j.Counts == nil {
		j.Counts = growth.Counts{}
	}
	if m, ok := g.Counts.Mean(); ok {
		v, _ := g.Counts.Variance()
		j.Mean, j.Variance = &m, &v
	}
	if g.err != nil {
		j.Error = g.err.Error()
		return j
	}
	best, _ := g.cmp.Best()
	j.Best = best.Family.String()
	for _, f := range g.cmp.Fits {
		l := fitLawJSON{Family: f.Family, Mean: paramJSON(f.Mean), LogLik: f.LogLik, AIC: f.AIC, DeltaAIC: f.AIC - best.AIC,
			Params: f.Params, UnlockPredicted: growth.AtLeast(f.Law, growth.UnlockInvites),
			SeedInside: f.Mean.Contains(growth.ReferralCoefficient)}
		if f.Family == growth.FamilyNegBinomial {
			d := paramJSON(f.Dispersion)
			l.Dispersion = &d
		}
		j.Fits = append(j.Fits, l)
	}
	for _, u := range g.cmp.Unfitted {
		j.Unfitted = append(j.Unfitted, fitFailedJSON{Family: u.Family, Error: u.Err.Error()})
	}
	return j
}
