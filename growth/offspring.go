package growth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Offspring is the law of the number of members one member brings in: the
// offspring distribution of a Galton-Watson branching process.
//
// PGF is the probability generating function E[s^X] for s in [0, 1], PMF
// the probability P(X = k) (0 for k < 0), Mean is E[X], Sample draws one
// value with the given source, and Validate reports whether the law's
// parameters are usable. These are exactly the methods the functions of
// this package call, so a law of your own works everywhere a law of this
// package does: [Extinction] and [ExtinctionBy] use Validate, Mean and
// PGF; [AtLeast] uses PMF; [Simulate] uses Sample (member by member for a
// law of your own, by cohort for the package's laws, which are closed
// under sums).
//
// An invalid law is a programmer error, like a negative n for
// math/rand's IntN: the methods of the package's laws and the functions
// that take a law panic with Validate's error, and the functions check a
// law of your own with its Validate before any other call. A law whose
// parameters come from data should be checked with Validate first, or come
// from a fit ([FitPoisson], [FitGeometric], [FitNegBinomial]), which
// returns an error instead.
//
// The package's laws ([Poisson], [Binomial], [NegBinomial], [Geometric],
// [PoissonSampler]) also compute 1 - PGF(1-u) without cancellation, which
// keeps [Extinction] accurate as the mean approaches 1 from above; a law of
// your own gets the plain 1 - PGF(1-u), which loses digits to cancellation
// there and nowhere else.
type Offspring interface {
	PGF(s float64) float64
	PMF(k int) float64
	Mean() float64
	Sample(r *rand.Rand) int
	Validate() error
}

// mustValid panics with o's Validate error, prefixed with the function
// that found it: the programmer-error contract of [Offspring].
func mustValid(fn string, o Offspring) {
	if o == nil {
		panic("growth: " + fn + ": nil offspring law")
	}
	if err := o.Validate(); err != nil {
		panic(fmt.Errorf("growth: %s: %w", fn, err))
	}
}

// invalid panics with a law's Validate error from one of its methods.
func invalid(method string, err error) {
	panic(fmt.Errorf("%w (in %s)", err, method))
}

// tailPGF is implemented by the laws of this package: it returns
// 1 - PGF(1-u) without the cancellation of computing it from PGF, which is
// what keeps [Extinction] accurate near the critical point.
type tailPGF interface {
	tailPGF(u float64) float64
}

// Poisson is the Poisson law with mean Lambda: the offspring law when every
// member meets many friends and each converts with a small, equal chance.
// Variance Lambda. The zero value is valid (nobody brings anyone).
type Poisson struct {
	Lambda float64
}

// Validate reports an error unless Lambda is finite and non-negative.
func (p Poisson) Validate() error {
	if !(p.Lambda >= 0) || math.IsInf(p.Lambda, 1) {
		return fmt.Errorf("growth: poisson lambda %v must be finite and at least 0", p.Lambda)
	}
	return nil
}

// Mean returns Lambda; it panics when the law is invalid.
func (p Poisson) Mean() float64 {
	if err := p.Validate(); err != nil {
		invalid("Poisson.Mean", err)
	}
	return p.Lambda
}

// Variance returns Lambda; it panics when the law is invalid.
func (p Poisson) Variance() float64 { return p.Mean() }

// PGF returns exp(Lambda (s-1)); it panics when the law is invalid.
func (p Poisson) PGF(s float64) float64 {
	if err := p.Validate(); err != nil {
		invalid("Poisson.PGF", err)
	}
	return math.Exp(p.Lambda * (s - 1))
}

func (p Poisson) tailPGF(u float64) float64 {
	return -math.Expm1(-p.Lambda * u)
}

// PMF returns P(X = k): 0 for k < 0; it panics when the law is invalid.
func (p Poisson) PMF(k int) float64 {
	if err := p.Validate(); err != nil {
		invalid("Poisson.PMF", err)
	}
	if k < 0 {
		return 0
	}
	if p.Lambda == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	return math.Exp(float64(k)*math.Log(p.Lambda) - p.Lambda - lfact(k))
}

// Binomial is the binomial law of N trials with success probability P: a
// member who asks exactly N friends, each joining with probability P. Mean
// NP, variance NP(1-P). The zero value is valid (nobody brings anyone).
type Binomial struct {
	N int
	P float64
}

// Validate reports an error unless N >= 0 and 0 <= P <= 1.
func (b Binomial) Validate() error {
	if b.N < 0 {
		return fmt.Errorf("growth: binomial n %d must be at least 0", b.N)
	}
	if !(b.P >= 0 && b.P <= 1) {
		return fmt.Errorf("growth: binomial p %v must be in [0, 1]", b.P)
	}
	return nil
}

// Mean returns N*P; it panics when the law is invalid.
func (b Binomial) Mean() float64 {
	if err := b.Validate(); err != nil {
		invalid("Binomial.Mean", err)
	}
	return float64(b.N) * b.P
}

// Variance returns N*P*(1-P); it panics when the law is invalid.
func (b Binomial) Variance() float64 {
	if err := b.Validate(); err != nil {
		invalid("Binomial.Variance", err)
	}
	return float64(b.N) * b.P * (1 - b.P)
}

// PGF returns (1-P+Ps)^N; it panics when the law is invalid.
func (b Binomial) PGF(s float64) float64 {
	if err := b.Validate(); err != nil {
		invalid("Binomial.PGF", err)
	}
	return math.Pow(1-b.P+b.P*s, float64(b.N))
}

func (b Binomial) tailPGF(u float64) float64 {
	if b.P*u >= 1 {
		return 1
	}
	return -math.Expm1(float64(b.N) * math.Log1p(-b.P*u))
}

// PMF returns P(X = k): 0 outside [0, N]; it panics when the law is invalid.
func (b Binomial) PMF(k int) float64 {
	if err := b.Validate(); err != nil {
		invalid("Binomial.PMF", err)
	}
	if k < 0 || k > b.N {
		return 0
	}
	switch b.P {
	case 0:
		if k == 0 {
			return 1
		}
		return 0
	case 1:
		if k == b.N {
			return 1
		}
		return 0
	}
	return math.Exp(lchoose(b.N, k) + float64(k)*math.Log(b.P) + float64(b.N-k)*math.Log1p(-b.P))
}

// NegBinomial is the negative binomial law with mean R and dispersion K
// (variance R + R²/K): a Poisson law whose mean varies from member to member
// as a gamma law of shape K. Small K means a few members bring most of the
// newcomers; as K grows the law tends to Poisson(R). K = 1 is the geometric
// law. The zero value is invalid (K must be positive).
type NegBinomial struct {
	R float64 // mean
	K float64 // dispersion (the gamma shape)
}

// Validate reports an error unless R is finite and non-negative and K is
// finite and positive.
func (n NegBinomial) Validate() error {
	if !(n.R >= 0) || math.IsInf(n.R, 1) {
		return fmt.Errorf("growth: negative binomial mean %v must be finite and at least 0", n.R)
	}
	if !(n.K > 0) || math.IsInf(n.K, 1) {
		return fmt.Errorf("growth: negative binomial dispersion %v must be finite and positive", n.K)
	}
	return nil
}

// Mean returns R; it panics when the law is invalid.
func (n NegBinomial) Mean() float64 {
	if err := n.Validate(); err != nil {
		invalid("NegBinomial.Mean", err)
	}
	return n.R
}

// Variance returns R + R²/K; it panics when the law is invalid.
func (n NegBinomial) Variance() float64 {
	if err := n.Validate(); err != nil {
		invalid("NegBinomial.Variance", err)
	}
	return n.R + n.R*n.R/n.K
}

// PGF returns (1 + R(1-s)/K)^-K; it panics when the law is invalid.
func (n NegBinomial) PGF(s float64) float64 {
	if err := n.Validate(); err != nil {
		invalid("NegBinomial.PGF", err)
	}
	return math.Exp(-n.K * math.Log1p(n.R*(1-s)/n.K))
}

func (n NegBinomial) tailPGF(u float64) float64 {
	return -math.Expm1(-n.K * math.Log1p(n.R*u/n.K))
}

// PMF returns P(X = k): 0 for k < 0; it panics when the law is invalid.
func (n NegBinomial) PMF(k int) float64 {
	if err := n.Validate(); err != nil {
		invalid("NegBinomial.PMF", err)
	}
	if k < 0 {
		return 0
	}
	if n.R == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	kf := float64(k)
	lg1, _ := math.Lgamma(kf + n.K)
	lg2, _ := math.Lgamma(n.K)
	// log of K/(K+R) and R/(K+R), each without cancellation.
	lq := -math.Log1p(n.R / n.K)
	lp := -math.Log1p(n.K / n.R)
	return math.Exp(lg1 - lg2 - lfact(k) + n.K*lq + kf*lp)
}

// Geometric is the geometric law on 0, 1, 2, ... with mean R:
// P(X = k) = (1-p)^k p with p = 1/(1+R). It is [NegBinomial] with the same R
// and K = 1, variance R + R². The zero value is valid (nobody brings anyone).
type Geometric struct {
	R float64 // mean
}

// Validate reports an error unless R is finite and non-negative.
func (g Geometric) Validate() error {
	if !(g.R >= 0) || math.IsInf(g.R, 1) {
		return fmt.Errorf("growth: geometric mean %v must be finite and at least 0", g.R)
	}
	return nil
}

// Mean returns R; it panics when the law is invalid.
func (g Geometric) Mean() float64 {
	if err := g.Validate(); err != nil {
		invalid("Geometric.Mean", err)
	}
	return g.R
}

// Variance returns R + R²; it panics when the law is invalid.
func (g Geometric) Variance() float64 {
	if err := g.Validate(); err != nil {
		invalid("Geometric.Variance", err)
	}
	return g.R + g.R*g.R
}

// PGF returns 1/(1 + R(1-s)); it panics when the law is invalid.
func (g Geometric) PGF(s float64) float64 {
	if err := g.Validate(); err != nil {
		invalid("Geometric.PGF", err)
	}
	return 1 / (1 + g.R*(1-s))
}

func (g Geometric) tailPGF(u float64) float64 {
	return g.R * u / (1 + g.R*u)
}

// PMF returns P(X = k) = R^k / (1+R)^(k+1): 0 for k < 0; it panics when the
// law is invalid.
func (g Geometric) PMF(k int) float64 {
	if err := g.Validate(); err != nil {
		invalid("Geometric.PMF", err)
	}
	if k < 0 {
		return 0
	}
	if g.R == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	// (R/(1+R))^k / (1+R), in logs to stay finite for large k.
	return math.Exp(-float64(k)*math.Log1p(1/g.R) - math.Log1p(g.R))
}

// lfact returns log(k!).
func lfact(k int) float64 {
	if k < len(lfactTable) {
		return lfactTable[k]
	}
	v, _ := math.Lgamma(float64(k) + 1)
	return v
}

// lchoose returns log(n choose k) for 0 <= k <= n.
func lchoose(n, k int) float64 {
	return lfact(n) - lfact(k) - lfact(n-k)
}

// lfactTable holds log(k!) for small k; built once, never written after.
var lfactTable = func() [256]float64 {
	var t [256]float64
	for k := 2; k < len(t); k++ {
		t[k] = t[k-1] + math.Log(float64(k))
	}
	return t
}()
