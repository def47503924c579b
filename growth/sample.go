package growth

import (
	"math"
	"math/rand/v2"
)

// The samplers below are exact: each returns a value with exactly the law's
// distribution, up to the rounding of float64 arithmetic, for every valid
// parameter. None of them uses a normal or other approximation.

// maxExact is the largest mean for which integer-valued samples are
// meaningful in float64 arithmetic (2^52); beyond it, samplers round.
const maxExact = 1 << 52

// Sample draws a Poisson(Lambda) value: by sequential inversion for
// Lambda < 10 and by Hörmann's transformed rejection with squeeze (PTRS,
// 1993) above. It panics when the law is invalid. Cost O(1 + Lambda)
// below 10, O(1) expected above.
func (p Poisson) Sample(r *rand.Rand) int {
	lam := p.Lambda
	switch {
	case !(lam > 0) || math.IsInf(lam, 1):
		if err := p.Validate(); err != nil {
			invalid("Poisson.Sample", err)
		}
		return 0
	case lam < 10:
		return poissonInversion(r, lam)
	case lam > maxExact:
		return clampInt(math.Round(lam + math.Sqrt(lam)*r.NormFloat64()))
	}
	return poissonPTRS(r, lam)
}

// poissonInversion walks the cumulative distribution from 0 until it passes
// a uniform draw: the smallest k with u <= P(X <= k). It compares u with the
// partial sums a block of eight at a time and counts how many u passes,
// without a branch per term: the walk's length is random, so a branch per
// term is mispredicted about once a draw, which cost more than the terms.
// A draw that passes a whole block (for lam = 2.3, one in 300) goes on to
// the next block. The result is that of the plain term-by-term walk,
// poissonWalk, which the rare draw whose terms underflow before the sum
// reaches u falls back to.
func poissonInversion(r *rand.Rand, lam float64) int {
	u := r.Float64()
	pk := math.Exp(-lam)
	cum := pk
	if u <= cum {
		return 0
	}
	k := 0
	for {
		// Invariant: u > cum = P(X <= k); count the block's sums u passes.
		n := 0
		for j := 1; j <= poissonBlock; j++ {
			pk *= lam * recip[k+j]
			cum += pk
			n += b2i(u > cum)
		}
		if n < poissonBlock {
			return k + 1 + n
		}
		k += poissonBlock
		if pk == 0 || k+poissonBlock >= len(recip) {
			// Underflow or a far tail (probability below 1e-16 for
			// lam < 10): finish term by term, as the reference walk does.
			return poissonWalk(u, lam)
		}
	}
}

// poissonBlock is the number of terms poissonInversion adds between
// branches.
const poissonBlock = 8

// b2i converts a bool to 0 or 1 without a branch.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// poissonWalk is sequential inversion term by term for a given uniform u:
// the reference poissonInversion and PoissonSampler agree with.
func poissonWalk(u, lam float64) int {
	pk := math.Exp(-lam)
	cum := pk
	k := 0
	for u > cum {
		k++
		if k < len(recip) {
			pk *= lam * recip[k]
		} else {
			pk *= lam / float64(k)
		}
		if pk == 0 { // rounding left cum just below u: the tail is empty
			break
		}
		cum += pk
	}
	return k
}

// recip holds 1/k, so that inversion multiplies instead of dividing; built
// once, never written after.
var recip = func() [64]float64 {
	var t [64]float64
	for k := 1; k < len(t); k++ {
		t[k] = 1 / float64(k)
	}
	return t
}()

// ptrsConst holds the constants of algorithm PTRS of W. Hörmann, "The
// transformed rejection method for generating Poisson random variables",
// Insurance: Mathematics and Economics 12 (1993) 39-45, for lam >= 10.
type ptrsConst struct {
	lam, logLam, a, b, invAlpha, vr float64
}

func newPTRS(lam float64) ptrsConst {
	slam := math.Sqrt(lam)
	b := 0.931 + 2.53*slam
	return ptrsConst{
		lam:      lam,
		logLam:   math.Log(lam),
		a:        -0.059 + 0.02483*b,
		b:        b,
		invAlpha: 1.1239 + 1.1328/(b-3.4),
		vr:       0.9277 - 3.6224/(b-2),
	}
}

// poissonPTRS draws by PTRS for lam >= 10.
func poissonPTRS(r *rand.Rand, lam float64) int {
	return newPTRS(lam).sample(r)
}

func (c ptrsConst) sample(r *rand.Rand) int {
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*c.a/us+c.b)*u + c.lam + 0.43)
		if us >= 0.07 && v <= c.vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v*c.invAlpha/(c.a/(us*us)+c.b)) <= -c.lam+k*c.logLam-lg {
			return int(k)
		}
	}
}

// Sample draws a Binomial(N, P) value: by inversion when
// min(P, 1-P)·N < 10 and by Hörmann's BTRS (1993) above, using the symmetry
// X(N, P) = N - X(N, 1-P). It panics when the law is invalid. Cost
// O(1 + NP) below 10, O(1) expected above.
func (b Binomial) Sample(r *rand.Rand) int {
	if err := b.Validate(); err != nil {
		invalid("Binomial.Sample", err)
	}
	if b.N == 0 || b.P == 0 {
		return 0
	}
	if b.P == 1 {
		return b.N
	}
	p, flip := b.P, false
	if p > 0.5 {
		p, flip = 1-p, true
	}
	var k int
	if float64(b.N)*p < 10 {
		k = binomialInversion(r, b.N, p)
	} else {
		k = binomialBTRS(r, b.N, p)
	}
	if flip {
		return b.N - k
	}
	return k
}

// binomialInversion walks the probabilities P(X = 0), P(X = 1), ... with
// the ratio P(k)/P(k-1) = ((n+1)/k - 1) p/q, for p <= 1/2 and np < 10.
func binomialInversion(r *rand.Rand, n int, p float64) int {
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	p0 := math.Pow(q, float64(n))
	for {
		u := r.Float64()
		pk := p0
		k := 0
		for u > pk {
			u -= pk
			k++
			if k > n {
				break
			}
			pk *= a/float64(k) - s
		}
		if k <= n {
			return k
		}
		// Rounding ran past n: draw again (probability about 1e-16).
	}
}

// binomialBTRS is algorithm BTRS of W. Hörmann, "The generation of binomial
// random variates", J. Statist. Comput. Simul. 46 (1993) 101-110, for
// p <= 1/2 and np >= 10. As in later errata, the acceptance test compares
// the logarithm of v.
func binomialBTRS(r *rand.Rand, n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	alpha := (2.83 + 5.1/b) * spq
	lpq := math.Log(p / q)
	m := math.Floor((nf + 1) * p)
	h := lgamma(m+1) + lgamma(nf-m+1)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if math.Log(v*alpha/(a/(us*us)+b)) <= h-lgamma(k+1)-lgamma(nf-k+1)+(k-m)*lpq {
			return int(k)
		}
	}
}

// Sample draws a negative binomial value as a gamma-Poisson mixture: a
// rate from Gamma(shape K, scale R/K) (Marsaglia and Tsang 2000), then a
// Poisson draw with that rate. It panics when the law is invalid. Cost
// O(1) expected.
func (n NegBinomial) Sample(r *rand.Rand) int {
	if err := n.Validate(); err != nil {
		invalid("NegBinomial.Sample", err)
	}
	if n.R == 0 {
		return 0
	}
	return Poisson{Lambda: gammaSample(r, n.K) * (n.R / n.K)}.Sample(r)
}

// gammaSample draws from Gamma(shape, 1) by G. Marsaglia and W. W. Tsang,
// "A simple method for generating gamma variables", ACM TOMS 26 (2000)
// 363-372; shapes below 1 use their boost Gamma(a) = Gamma(a+1)·U^(1/a).
func gammaSample(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		u := r.Float64()
		return gammaSample(r, shape+1) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = r.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 {
			return d * v
		}
		if math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// Sample draws a geometric value as the floor of an exponential variable
// divided by -log(1-p) = log(1 + 1/R), which is exact. It panics when the
// law is invalid. Cost O(1).
func (g Geometric) Sample(r *rand.Rand) int {
	if err := g.Validate(); err != nil {
		invalid("Geometric.Sample", err)
	}
	if g.R == 0 {
		return 0
	}
	return clampInt(math.Floor(r.ExpFloat64() / math.Log1p(1/g.R)))
}

// clampInt converts a non-negative whole float to int, saturating at
// math.MaxInt.
func clampInt(x float64) int {
	if x >= math.MaxInt {
		return math.MaxInt
	}
	if x < 0 {
		return 0
	}
	return int(x)
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}
