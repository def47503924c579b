package growth

import (
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
// P(X = 0) = 0. Otherwise it solves 1-q = 1 - PGF(1-(1-q)) by bisection in
// u = 1-q, the survival probability; for the laws of this package that form
// is computed without cancellation, so the result stays accurate as the
// mean approaches 1 from above. It returns NaN when o's mean or PGF is NaN
// (an invalid law). Cost: 55 to 110 PGF evaluations (bisection to the last
// bit), no allocation.
//
// A mean says little about extinction alone: Poisson{2.3} dies out with
// probability 0.138, NegBinomial{R: 2.3, K: 0.5} with 0.588.
func Extinction(o Offspring) float64 {
	m := o.Mean()
	p0 := o.PGF(0)
	switch {
	case math.IsNaN(m) || math.IsNaN(p0):
		return math.NaN()
	case p0 == 0:
		return 0
	case m <= 1:
		return 1
	}
	surv := survivalFunc(o)
	// phi(u) = surv(u) - u is positive on (0, u*) and negative on (u*, 1]
	// (surv is concave with slope m > 1 at 0, and surv(1) = 1 - p0 < 1).
	lo, hi := 0.0, 1.0
	for {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if surv.at(mid) > mid {
			lo = mid
		} else {
			hi = mid
		}
	}
	return 1 - lo
}

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
// rises with g towards [Extinction]. It returns NaN for a negative
// generation or an invalid law. Cost O(g) PGF evaluations, less once the
// iteration reaches its fixed point.
func ExtinctionBy(o Offspring, generation int) float64 {
	if generation < 0 || math.IsNaN(o.Mean()) || math.IsNaN(o.PGF(0)) {
		return math.NaN()
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
// returns NaN for a negative generation or an invalid law.
func ExpectedGeneration(o Offspring, generation int) float64 {
	m := o.Mean()
	if generation < 0 || math.IsNaN(m) {
		return math.NaN()
	}
	return math.Pow(m, float64(generation))
}

// AtLeast returns P(X >= k) for the offspring law o: with k = 3, the share
// of members who unlock an "invite 3 to unlock" perk (seed F16). It is 1
// for k <= 0.
//
// It needs the law's probabilities: o must have a method PMF(k int) float64
// (all laws of this package do); otherwise, or when the law is invalid, it
// returns NaN. It sums whichever side of k is shorter to keep the tail
// accurate. Cost O(k) PMF evaluations, or O(tail length) in the far tail.
func AtLeast(o Offspring, k int) float64 {
	pm, ok := o.(pmfer)
	if !ok || math.IsNaN(o.Mean()) {
		return math.NaN()
	}
	if k <= 0 {
		return 1
	}
	below := 0.0
	for j := 0; j < k; j++ {
		below += pm.PMF(j)
		if below > 0.5 && float64(j) > o.Mean() {
			return upperTail(pm, k, o.Mean())
		}
	}
	return math.Max(0, 1-below)
}

// upperTail sums PMF(j) for j >= k, k beyond the mean, until the terms stop
// mattering.
func upperTail(pm pmfer, k int, mean float64) float64 {
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
// ends with exactly n members in all (the founder included), and whether a
// closed form exists for o. By the hitting-time theorem (Otter 1949,
// Dwass 1969), P(T = n) = P(X_1 + ... + X_n = n-1) / n, and the n-fold sum
// has a closed law for the laws of this package: for Poisson this is the
// Borel law e^{-λn} (λn)^{n-1} / n!, for NegBinomial{R, K} it uses
// NegBinomial{nR, nK}, for Geometric{R} NegBinomial{nR, n}, for
// Binomial{N, P} Binomial{nN, P}. Summed over n it gives [Extinction]: the
// rest of the mass is the chance of an infinite tree.
//
// It returns (0, true) for n < 1, and (NaN, false) for any other law or an
// invalid one.
func TotalProgeny(o Offspring, n int) (float64, bool) {
	var sum pmfer
	switch l := o.(type) {
	case Poisson:
		if l.Validate() != nil {
			return math.NaN(), false
		}
		sum = Poisson{Lambda: l.Lambda * float64(n)}
	case Binomial:
		if l.Validate() != nil || l.N > math.MaxInt/max(n, 1) {
			return math.NaN(), false
		}
		sum = Binomial{N: l.N * n, P: l.P}
	case NegBinomial:
		if l.Validate() != nil {
			return math.NaN(), false
		}
		sum = NegBinomial{R: l.R * float64(n), K: l.K * float64(n)}
	case Geometric:
		if l.Validate() != nil {
			return math.NaN(), false
		}
		sum = NegBinomial{R: l.R * float64(n), K: float64(n)}
	default:
		return math.NaN(), false
	}
	if n < 1 {
		return 0, true
	}
	return sum.PMF(n-1) / float64(n), true
}
