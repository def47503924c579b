package growth

import (
	"fmt"
	"math"
)

// Extinction returns the probability that a referral tree started by one
// member dies out: the smallest fixed point q = PGF(q) in [0, 1] of the
// Galton-Watson process with offspring law o. For a tree started by n
// members independently it is q^n.
//
// It is exactly 1 when the mean is at most 1 (the critical and subcritical
// cases), except for the degenerate law that always gives exactly one
// offspring, which never dies out (0); it is exactly 0 whenever
// P(X = 0) = 0. Otherwise it solves u = 1 - PGF(1-u) for u = 1-q, the survival
// probability, by a bracketed regula falsi (Illinois) finished by bisection
// to the last bit; for the laws of this package that form is computed
// without cancellation, so the result stays accurate as the mean
// approaches 1 from above. It panics when o is invalid (see [Offspring]),
// or when a law of your own passes its Validate but gives a NaN mean or
// P(X = 0). Cost: 6 to 14 evaluations of 1 - PGF(1-u) for the laws of
// this package away from the critical point (13 for
// NegBinomial{R: 2.3, K: 0.5}, about 30 times one PGF evaluation in
// BenchmarkExtinctionNegBinomial against BenchmarkExtinctionPGFBaseline),
// up to about 150 within 1e-9 of it, where the computed fixed points form a
// plateau that only bisection resolves; no allocation.
//
// A mean says little about extinction alone: Poisson{2.3} dies out with
// probability 0.138, NegBinomial{R: 2.3, K: 0.5} with 0.588.
func Extinction(o Offspring) float64 {
	m, p0 := meanAndZero("Extinction", o)
	switch {
	case p0 == 0:
		return 0
	case m <= 1:
		return 1
	}
	return 1 - survivalRoot(survivalFunc(o))
}

// meanAndZero validates o and returns its mean and P(X = 0), panicking for
// an invalid law or a law of one's own whose Validate let a NaN through.
func meanAndZero(fn string, o Offspring) (m, p0 float64) {
	mustValid(fn, o)
	m, p0 = o.Mean(), o.PGF(0)
	if math.IsNaN(m) || math.IsNaN(p0) || m < 0 {
		panic(fmt.Errorf("growth: %s: law %v passed Validate but has mean %v and P(X = 0) %v", fn, o, m, p0))
	}
	return m, p0
}

// survivalRoot returns the survival probability u* > 0 with surv(u*) = u*,
// as the largest float64 u at which surv(u) > u is computed, for a law with
// mean above 1 and P(X = 0) > 0.
//
// phi(u) = surv(u) - u is concave, 0 at 0 with slope m-1 > 0, positive on
// (0, u*) and negative on (u*, 1] (phi(1) = -P(X = 0)). The search keeps a
// bracket lo < u* <= hi with phi(lo) > 0 >= phi(hi):
//
//  1. Halve hi from 1 until phi is positive, which gives lo: one to three
//     steps for laws far from critical, about log2(1/u*) near it, where u*
//     is about 2(m-1)/Var(X).
//  2. Narrow the bracket by regula falsi with the Illinois modification
//     (Dowell and Jarratt 1971): the secant point of the bracket, and when
//     the same end is kept twice, that end's phi is halved, which gives
//     superlinear convergence on a concave phi where plain regula falsi
//     would move one end only. A step that would land outside the bracket
//     (or be NaN) is replaced by bisection, and so is every step after the
//     64th (Illinois converges in far fewer; this only bounds the cost); a
//     point within 4 units in the last place of an end moves to 4 units
//     inside, so that the step closes the bracket from the other side;
//     once phi(hi) is computed as exactly 0, the steps probe below hi with
//     doubling distances (the computed zeros may form a plateau), never
//     past the midpoint.
//  3. Once the bracket is a few units in the last place wide, bisect it to
//     the last bit, so that the result is the boundary of the sign of phi
//     as computed, whatever path led there: the result is then monotone in
//     the law's parameters wherever the computed phi is.
func survivalRoot(surv survival) float64 {
	lo, flo := 0.0, 0.0
	hi, fhi := 1.0, surv.at(1)-1
	for {
		mid := hi / 2
		if mid == 0 {
			return 0 // phi is not positive anywhere: survival below 1e-308
		}
		f := surv.at(mid) - mid
		if f > 0 {
			lo, flo = mid, f
			break
		}
		hi, fhi = mid, f
	}
	kept := 0  // which end the last step kept: -1 lo, +1 hi
	probe := 0 // consecutive steps that found phi = 0 at hi
	for step := 0; hi-lo > 8*ulp(hi); step++ {
		x := hi - fhi*(hi-lo)/(fhi-flo)
		tol := 4 * ulp(hi)
		switch {
		case !(x >= lo && x <= hi) || step >= 64:
			x = lo + (hi-lo)/2
		case fhi == 0:
			// hi is a root as computed; the computed roots may form a
			// plateau (a wide one near the critical point, where phi is
			// flat). Probe below hi with doubling steps, never past the
			// midpoint.
			x = max(hi-tol*math.Ldexp(1, probe), lo+(hi-lo)/2)
			probe++
		case x > hi-tol:
			// A secant point next to an end, as they are once the root
			// is nearly found, moves a few units in the last place inside
			// so that the step brackets the root from the other side.
			x = hi - tol
		case x < lo+tol:
			x = lo + tol
		}
		f := surv.at(x) - x
		if f > 0 {
			lo, flo = x, f
			if kept == 1 {
				fhi /= 2
			}
			kept = 1
		} else {
			hi, fhi = x, f
			if kept == -1 {
				flo /= 2
			}
			kept = -1
		}
	}
	for {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			return lo
		}
		if surv.at(mid) > mid {
			lo = mid
		} else {
			hi = mid
		}
	}
}

// ulp returns the spacing of float64 values at x > 0.
func ulp(x float64) float64 { return math.Nextafter(x, 2) - x }

// survival evaluates u -> 1 - PGF(1-u), without cancellation where the law
// allows. It is a value, not a closure, so that Extinction does not
// allocate.
type survival struct {
	t tailPGF
	o Offspring
}

func survivalFunc(o Offspring) survival {
	t, _ := o.(tailPGF)
	return survival{t: t, o: o}
}

func (s survival) at(u float64) float64 {
	if s.t != nil {
		return s.t.tailPGF(u)
	}
	return 1 - s.o.PGF(1-u)
}

// ExtinctionBy returns the probability that a tree started by one member
// has died out by the given generation: P(Z_g = 0), the g-fold iterate of
// the PGF at 0 (generation 0 is the founder, so ExtinctionBy(o, 0) = 0). It
// rises with g towards [Extinction]. It panics for a negative generation
// or an invalid law (see [Offspring]). Cost O(g) PGF evaluations, less once
// the iteration reaches its fixed point.
func ExtinctionBy(o Offspring, generation int) float64 {
	meanAndZero("ExtinctionBy", o)
	if generation < 0 {
		panic(fmt.Sprintf("growth: ExtinctionBy: generation %d must be at least 0", generation))
	}
	surv := survivalFunc(o)
	// Iterate the survival probability u_g = P(Z_g > 0) = 1 - PGF(1 - u_{g-1}),
	// u_0 = 1, which is accurate even when q is close to 1.
	u := 1.0
	for g := 0; g < generation; g++ {
		next := surv.at(u)
		if next == u {
			break
		}
		u = next
	}
	return 1 - u
}

// ExpectedGeneration returns E[Z_g] = m^g, the expected number of members
// in generation g of a tree started by one member, where m = o.Mean(). It
// panics for a negative generation or an invalid law (see [Offspring]).
func ExpectedGeneration(o Offspring, generation int) float64 {
	m, _ := meanAndZero("ExpectedGeneration", o)
	if generation < 0 {
		panic(fmt.Sprintf("growth: ExpectedGeneration: generation %d must be at least 0", generation))
	}
	return math.Pow(m, float64(generation))
}

// AtLeast returns P(X >= k) for the offspring law o: with k = 3, the share
// of members who unlock an "invite 3 to unlock" perk (seed F16). It is 1
// for k <= 0.
//
// It panics when the law is invalid (see [Offspring]). It sums whichever
// side of k is shorter to keep the tail accurate. Cost O(k) PMF
// evaluations, or O(tail length) in the far tail.
func AtLeast(o Offspring, k int) float64 {
	m, _ := meanAndZero("AtLeast", o)
	if k <= 0 {
		return 1
	}
	below := 0.0
	for j := 0; j < k; j++ {
		below += o.PMF(j)
		if below > 0.5 && float64(j) > m {
			return upperTail(o, k, m)
		}
	}
	return math.Max(0, 1-below)
}

// upperTail sums PMF(j) for j >= k, k beyond the mean, until the terms stop
// mattering.
func upperTail(pm Offspring, k int, mean float64) float64 {
	sum := 0.0
	for j := k; ; j++ {
		t := pm.PMF(j)
		sum += t
		if (t == 0 || t < sum*1e-17) && float64(j) > mean {
			return sum
		}
	}
}

// TotalProgeny returns the probability that a tree started by one member
// ends with exactly n members in all (the founder included), and whether
// it came from a closed form. By the hitting-time theorem (Otter 1949,
// Dwass 1969), P(T = n) = P(X_1 + ... + X_n = n-1) / n, and the n-fold sum
// has a closed law for the laws of this package: for Poisson this is the
// Borel law e^{-λn} (λn)^{n-1} / n!, for NegBinomial{R, K} it uses
// NegBinomial{nR, nK}, for Geometric{R} NegBinomial{nR, n}, for
// Binomial{N, P} Binomial{nN, P}. Summed over n it gives [Extinction]: the
// rest of the mass is the chance of an infinite tree.
//
// For a law of your own it convolves PMF(0..n-1) n times by repeated
// squaring and reports false: the same probability, at a cost of
// O(n² log n) instead of O(1). It returns (0, true) for n < 1 and panics
// for an invalid law (see [Offspring]) or a Binomial whose N·n overflows
// an int.
func TotalProgeny(o Offspring, n int) (float64, bool) {
	mustValid("TotalProgeny", o)
	if n < 1 {
		return 0, true
	}
	var sum Offspring
	switch l := o.(type) {
	case Poisson:
		sum = Poisson{Lambda: l.Lambda * float64(n)}
	case Binomial:
		if l.N > math.MaxInt/n {
			panic(fmt.Sprintf("growth: TotalProgeny: binomial n %d times %d members overflows an int", l.N, n))
		}
		sum = Binomial{N: l.N * n, P: l.P}
	case NegBinomial:
		sum = NegBinomial{R: l.R * float64(n), K: l.K * float64(n)}
	case Geometric:
		sum = NegBinomial{R: l.R * float64(n), K: float64(n)}
	default:
		return convolvedAt(o, n, n-1) / float64(n), false
	}
	return sum.PMF(n-1) / float64(n), true
}

// convolvedAt returns P(X_1 + ... + X_n = k) for n independent draws of o,
// from PMF(0..k) by repeated squaring of the truncated distribution (the
// terms above k never contribute to a sum of k).
func convolvedAt(o Offspring, n, k int) float64 {
	base := make([]float64, k+1)
	for j := range base {
		base[j] = o.PMF(j)
	}
	acc := make([]float64, k+1)
	acc[0] = 1 // the law of an empty sum
	tmp := make([]float64, k+1)
	mul := func(dst, a, b []float64) {
		clear(tmp)
		for i, x := range a {
			if x == 0 {
				continue
			}
			for j, y := range b[:k+1-i] {
				tmp[i+j] += x * y
			}
		}
		copy(dst, tmp)
	}
	for e := n; e > 0; e >>= 1 {
		if e&1 == 1 {
			mul(acc, acc, base)
		}
		if e > 1 {
			mul(base, base, base)
		}
	}
	return acc[k]
}
