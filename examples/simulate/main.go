// Command simulate runs the referral campaign of seed F16 ("invite 3
// people to unlock a perk", a layer-to-layer coefficient of 1:2.3) under
// three offspring laws with the same mean, and shows why the mean alone
// says little: the chance that a member's referral tree dies out, and the
// spread of a month's outcome over 500 seeded runs. Next to these guessed
// laws it runs the law fitted to a real log, the bundled sample month
// (package sample), where the mean is far from the seed's guess. Then it
// sends the newcomers of one run through a live code (package livecode)
// and counts the WeChat groups they fill. It writes an SVG chart of the
// median members per law.
//
//	go run ./examples/simulate [-svg FILE]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/chart"
	"github.com/qunops/qunops/growth"
	"github.com/qunops/qunops/livecode"
	"github.com/qunops/qunops/sample"
)

func main() {
	svg := flag.String("svg", filepath.Join(os.TempDir(), "qunops-simulate.svg"), "write the chart to `FILE`")
	flag.Parse()
	if err := run(os.Stdout, *svg); err != nil {
		log.Fatal(err)
	}
}

type law struct {
	name  string
	color string
	o     growth.Offspring
}

// The three guessed laws of mean 2.3 (seed F16). The binomial law is a
// member who asks exactly 3 friends: a cap of 3 that F16 does not set (its
// "invite 3 to unlock a perk" is the share who reach 3, the invites≥3
// column, whatever the law).
var laws = []law{
	{"Poisson(2.3)", "#1f77b4", growth.Poisson{Lambda: 2.3}},
	{"NegBinomial(2.3, K=0.5)", "#d62728", growth.NegBinomial{R: 2.3, K: 0.5}},
	{"Binomial(3, 2.3/3)", "#2ca02c", growth.Binomial{N: 3, P: 2.3 / 3}},
}

// fitted returns the law fitted to the sample month's invites (the best
// of the three families by AIC), and the observed share of members who
// brought 3 or more.
func fitted() (law, string, error) {
	counter, err := growth.NewInviteCounter(time.Time{}, time.Time{}) // the whole month
	if err != nil {
		return law{}, "", err
	}
	for _, e := range sample.Events() {
		if err := counter.Add(e); err != nil {
			return law{}, "", err
		}
	}
	counts := counter.Total().Counts
	cmp, err := growth.Compare(counts, 0.95)
	if err != nil {
		return law{}, "", err
	}
	best, _ := cmp.Best()
	note := fmt.Sprintf("Fitted to the sample month: %d members present, %d invites; %v, mean %.3f [%.3f, %.3f] (95%%);\n"+
		"%v of the members reached 3 invites, the fitted law predicts %.1f%%.",
		counts.N(), counts.Total(), best.Family, best.Mean.Value, best.Mean.Low, best.Mean.High,
		counts.AtLeast(growth.UnlockInvites), 100*growth.AtLeast(best.Law, growth.UnlockInvites))
	return law{fmt.Sprintf("fitted %v(%.3f)", best.Family, best.Mean.Value), "#9467bd", best.Law}, note, nil
}

func run(w io.Writer, svgPath string) error {
	const seeds, days, runs = 100, 30, 500
	fit, note, err := fitted()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Referral campaign: %d seed members, %d days, %d runs per law (seed F16: mean 2.3)\n\n", seeds, days, runs)
	fmt.Fprintf(w, "%-24s %10s %10s %8s %8s %8s\n", "law", "dies out", "invites≥3", "p5", "p50", "p95")
	c := chart.Chart{Title: "Members over 30 days: three guessed laws with mean 2.3 and one fitted law (p50)", XLabel: "day"}
	panel := chart.Panel{YLabel: "members"}
	for i, l := range append(laws, fit) {
		cfg := growth.Config{Seeds: seeds, Offspring: l.o, Days: days + 1, Churn: 0.01}
		bands, err := growth.MonteCarlo(cfg, runs, rand.New(rand.NewPCG(1, uint64(i))))
		if err != nil {
			return err
		}
		last := bands.Days[len(bands.Days)-1].Members
		fmt.Fprintf(w, "%-24s %9.1f%% %9.1f%% %8d %8d %8d\n", l.name,
			100*growth.Extinction(l.o), 100*growth.AtLeast(l.o, 3), last.P5, last.P50, last.P95)
		y := make([]float64, len(bands.Days))
		c.X = make([]float64, len(bands.Days))
		for d, b := range bands.Days {
			c.X[d] = float64(b.Day)
			y[d] = float64(b.Members.P50)
		}
		panel.Series = append(panel.Series, chart.Series{Name: l.name, Color: l.color, Y: y})
	}
	fmt.Fprintln(w, "\n\"dies out\": the chance that one member's referral tree ends (Galton-Watson extinction).")
	fmt.Fprintln(w, "\"invites≥3\": the share of members who unlock the perk by bringing 3 or more (seed F16).")
	fmt.Fprintln(w, "\n"+note)

	groups, err := spread(seeds, days)
	if err != nil {
		return err
	}
	full, members := 0, 0
	for _, g := range groups {
		members += g.Members
		if g.Members >= g.ScanLimit {
			full++
		}
	}
	fmt.Fprintf(w, "\nOne Poisson run through a fill-first live code (200 scans per group QR, seed F11):\n")
	fmt.Fprintf(w, "  %d members in %d groups: %d at the scan limit, the newest (%s) with %d\n",
		members, len(groups), full, groups[len(groups)-1].ID, groups[len(groups)-1].Members)

	c.Panels = []chart.Panel{panel}
	f, err := os.Create(svgPath)
	if err != nil {
		return err
	}
	if err := chart.Write(f, c); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nChart: %s\n", svgPath)
	return nil
}

// spread plays one seeded Poisson campaign's newcomers through a live code
// pool, opening a group whenever no group can take a scan.
func spread(seeds, days int) ([]livecode.Stats, error) {
	run, err := growth.Simulate(growth.Config{Seeds: seeds, Offspring: laws[0].o, Days: days + 1},
		rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		return nil, err
	}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, qunops.DefaultLocation())
	pool, err := livecode.NewPool(livecode.FillFirst)
	if err != nil {
		return nil, err
	}
	user := 0
	for _, st := range run.Steps {
		day := start.AddDate(0, 0, st.Day)
		for i := 0; i < st.Joins; i++ {
			at := day.Add(8*time.Hour + time.Duration(i)*time.Minute)
			user++
			id := fmt.Sprintf("user%d", user)
			code, err := pool.Assign(id, at)
			if errors.Is(err, livecode.ErrFull) {
				// A new group, with a QR valid 7 days from now (WeChat's
				// rule; seed F11 gives the 200-scan limit).
				if err := pool.Add(livecode.CodeAt(pool.NextName(), at)); err != nil {
					return nil, err
				}
				code, err = pool.Assign(id, at)
			}
			if err != nil {
				return nil, err
			}
			if err := pool.Joined(id, code, at); err != nil {
				return nil, err
			}
		}
		// Renew the QRs before their 7 days run out.
		for _, s := range pool.AllStats() {
			if !s.Expires.IsZero() && s.Expires.Before(day.AddDate(0, 0, 2)) {
				if err := pool.ReplaceQR(s.ID, day.AddDate(0, 0, 8), day.AddDate(0, 0, 1)); err != nil {
					return nil, err
				}
			}
		}
	}
	return pool.AllStats(), nil
}
