package growth

import (
	"fmt"
	"math"
)

// Bass is the Bass (1969) diffusion model: of a market of potential
// members, those not yet joined join at the hazard rate P + Q·F(t), where
// F(t) is the share already joined. P is the coefficient of innovation
// (joins from outside pressure: posters, articles) and Q the coefficient of
// imitation (joins from word of mouth), both per unit of time, the unit
// being whatever the caller's t is measured in. The zero value is invalid
// (P must be positive).
type Bass struct {
	P float64 // innovation, > 0
	Q float64 // imitation, >= 0
}

// Validate reports an error unless P is finite and positive and Q finite
// and non-negative.
func (b Bass) Validate() error {
	if !(b.P > 0) || math.IsInf(b.P, 1) {
		return fmt.Errorf("growth: bass p %v must be finite and positive", b.P)
	}
	if !(b.Q >= 0) || math.IsInf(b.Q, 1) {
		return fmt.Errorf("growth: bass q %v must be finite and at least 0", b.Q)
	}
	return nil
}

// F returns the share of the market joined by time t:
// F(t) = (1 - e^{-(P+Q)t}) / (1 + (Q/P)·e^{-(P+Q)t}), 0 for t <= 0. It
// panics when the model is invalid or t is NaN (a programmer error, see
// [Offspring]).
func (b Bass) F(t float64) float64 {
	b.check("Bass.F", t)
	if t <= 0 {
		return 0
	}
	x := (b.P + b.Q) * t
	e := math.Exp(-x)
	return -math.Expm1(-x) / (1 + b.Q/b.P*e)
}

// Density returns f(t) = F'(t), the share of the market joining per unit of
// time at t: ((P+Q)²/P)·e^{-(P+Q)t} / (1 + (Q/P)·e^{-(P+Q)t})², 0 for t < 0.
// It panics when the model is invalid or t is NaN.
func (b Bass) Density(t float64) float64 {
	b.check("Bass.Density", t)
	if t < 0 {
		return 0
	}
	s := b.P + b.Q
	e := math.Exp(-s * t)
	d := 1 + b.Q/b.P*e
	return s * s / b.P * e / (d * d)
}

// Peak returns the time at which joins per unit of time are highest:
// t* = ln(Q/P)/(P+Q) when Q > P, and 0 when Q <= P (joins only fall from
// the start). At the peak F = (Q-P)/(2Q). It panics when the model is
// invalid.
func (b Bass) Peak() float64 {
	b.check("Bass.Peak", 0)
	if b.Q <= b.P {
		return 0
	}
	return math.Log(b.Q/b.P) / (b.P + b.Q)
}

// PeakHeight returns the highest joins per unit of time as a share of the
// market, Density(Peak()): (P+Q)²/(4Q) when Q > P, and P when Q <= P. It
// panics when the model is invalid.
func (b Bass) PeakHeight() float64 {
	b.check("Bass.PeakHeight", 0)
	if b.Q <= b.P {
		return b.P
	}
	return (b.P + b.Q) * (b.P + b.Q) / (4 * b.Q)
}

// check panics when the model is invalid or t is NaN.
func (b Bass) check(method string, t float64) {
	if err := b.Validate(); err != nil {
		invalid(method, err)
	}
	if math.IsNaN(t) {
		panic("growth: " + method + ": time NaN must be a number")
	}
}

// BassFit is the result of [FitBass].
type BassFit struct {
	Bass   Bass
	Market float64 // the market size M: cumulative ≈ M·F(t)
	SSE    float64 // sum of squared residuals of the fit
}

// FitBass fits a Bass model to an observed cumulative series: cumulative[i]
// members had joined by time t[i]. The method is nonlinear least squares
// (Srinivasan and Mason 1986): it minimizes Σ (cumulative[i] - M·F(t[i]))²
// over P, Q and M. When market > 0, M is fixed to it; otherwise M is fitted
// too, and for each (P, Q) its best value Σ c·F / Σ F² is used, so the search
// is over (P, Q) only. The search runs Nelder-Mead on (log P, log Q) from the
// best point of a fixed grid (P from 1e-4 to 1, Q from 1e-3 to 10 per unit
// of time), then restarts once from its result; it is deterministic. Like
// any least-squares fit of the Bass model, it is poorly determined before
// the peak: look at the series before trusting Q and M.
//
// Times must be finite, non-negative and strictly increasing, counts finite
// and non-negative, and there must be at least 3 points (2 when market is
// given). Cost O(len(t)) per evaluation, a few thousand evaluations.
func FitBass(t, cumulative []float64, market float64) (BassFit, error) {
	if len(t) != len(cumulative) {
		return BassFit{}, fmt.Errorf("growth: fit has %d times but %d counts", len(t), len(cumulative))
	}
	if math.IsNaN(market) || math.IsInf(market, 0) {
		return BassFit{}, fmt.Errorf("growth: fit market %v must be finite", market)
	}
	need := 3
	if market > 0 {
		need = 2
	}
	if len(t) < need {
		return BassFit{}, fmt.Errorf("growth: fit needs at least %d points, got %d", need, len(t))
	}
	for i := range t {
		if !(t[i] >= 0) || math.IsInf(t[i], 1) {
			return BassFit{}, fmt.Errorf("growth: fit time %v at index %d must be finite and at least 0", t[i], i)
		}
		if i > 0 && !(t[i] > t[i-1]) {
			return BassFit{}, fmt.Errorf("growth: fit time %v at index %d must be after %v", t[i], i, t[i-1])
		}
		if !(cumulative[i] >= 0) || math.IsInf(cumulative[i], 1) {
			return BassFit{}, fmt.Errorf("growth: fit count %v at index %d must be finite and at least 0", cumulative[i], i)
		}
	}
	// obj returns the SSE and market for (log P, log Q).
	obj := func(x [2]float64) (float64, float64) {
		b := Bass{P: math.Exp(x[0]), Q: math.Exp(x[1])}
		m := market
		if m <= 0 {
			var cf, ff float64
			for i, ti := range t {
				f := b.F(ti)
				cf += cumulative[i] * f
				ff += f * f
			}
			if ff == 0 {
				return math.Inf(1), 0
			}
			m = cf / ff
		}
		var sse float64
		for i, ti := range t {
			r := cumulative[i] - m*b.F(ti)
			sse += r * r
		}
		if math.IsNaN(sse) {
			sse = math.Inf(1)
		}
		return sse, m
	}
	f := func(x [2]float64) float64 { s, _ := obj(x); return s }

	best := [2]float64{math.Log(0.01), math.Log(0.1)}
	bestV := f(best)
	for i := 0; i <= 16; i++ {
		for j := 0; j <= 16; j++ {
			x := [2]float64{math.Log(1e-4) + float64(i)*math.Log(1e4)/16, math.Log(1e-3) + float64(j)*math.Log(1e4)/16}
			if v := f(x); v < bestV {
				best, bestV = x, v
			}
		}
	}
	x := nelderMead(f, best, 0.5)
	x = nelderMead(f, x, 0.05)
	sse, m := obj(x)
	return BassFit{Bass: Bass{P: math.Exp(x[0]), Q: math.Exp(x[1])}, Market: m, SSE: sse}, nil
}

// nelderMead minimizes f over the plane from x0 with an initial simplex of
// the given step, with the standard coefficients (reflection 1, expansion 2,
// contraction and shrink 1/2).
func nelderMead(f func([2]float64) float64, x0 [2]float64, step float64) [2]float64 {
	pts := [3][2]float64{x0, {x0[0] + step, x0[1]}, {x0[0], x0[1] + step}}
	vals := [3]float64{f(pts[0]), f(pts[1]), f(pts[2])}
	for iter := 0; iter < 2000; iter++ {
		// Order best, middle, worst.
		for i := 1; i < 3; i++ {
			for j := i; j > 0 && vals[j] < vals[j-1]; j-- {
				vals[j], vals[j-1] = vals[j-1], vals[j]
				pts[j], pts[j-1] = pts[j-1], pts[j]
			}
		}
		size := math.Max(math.Abs(pts[1][0]-pts[0][0])+math.Abs(pts[1][1]-pts[0][1]),
			math.Abs(pts[2][0]-pts[0][0])+math.Abs(pts[2][1]-pts[0][1]))
		if size < 1e-11 {
			break
		}
		c := [2]float64{(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2}
		at := func(t float64) [2]float64 {
			return [2]float64{c[0] + t*(pts[2][0]-c[0]), c[1] + t*(pts[2][1]-c[1])}
		}
		xr := at(-1)
		fr := f(xr)
		switch {
		case fr < vals[0]:
			xe := at(-2)
			if fe := f(xe); fe < fr {
				pts[2], vals[2] = xe, fe
			} else {
				pts[2], vals[2] = xr, fr
			}
		case fr < vals[1]:
			pts[2], vals[2] = xr, fr
		default:
			var xc [2]float64
			if fr < vals[2] {
				xc = at(-0.5)
			} else {
				xc = at(0.5)
			}
			if fc := f(xc); fc < math.Min(fr, vals[2]) {
				pts[2], vals[2] = xc, fc
			} else {
				for i := 1; i < 3; i++ {
					pts[i] = [2]float64{(pts[0][0] + pts[i][0]) / 2, (pts[0][1] + pts[i][1]) / 2}
					vals[i] = f(pts[i])
				}
			}
		}
	}
	bi := 0
	for i := 1; i < 3; i++ {
		if vals[i] < vals[bi] {
			bi = i
		}
	}
	return pts[bi]
}
