package growth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Seed F16's referral figures, for comparing a fit with the seed.
const (
	// ReferralCoefficient is the seed's layer-to-layer propagation
	// coefficient, "1:2.3": the mean of the offspring law (seed F16).
	ReferralCoefficient = 2.3
	// UnlockInvites is the invites that unlock the seed's referral perk,
	// "invite 3 people to unlock a perk" (seed F16). The share of members
	// who unlock it is [AtLeast](law, UnlockInvites) for a law and
	// [Counts.AtLeast](UnlockInvites) for observed counts.
	UnlockInvites = 3
)

// Family is a family of offspring laws that [FitPoisson], [FitGeometric]
// and [FitNegBinomial] fit. Its words are "poisson", "geometric" and
// "negbin", both ways.
type Family int

// The families, in the order [Compare] fits them.
const (
	FamilyPoisson     Family = iota // Poisson{Lambda}: one parameter
	FamilyGeometric                 // Geometric{R}: one parameter
	FamilyNegBinomial               // NegBinomial{R, K}: two parameters
)

var familyWords = [...]string{"poisson", "geometric", "negbin"}

// String returns the family's word, or "Family(n)" for an unknown value.
func (f Family) String() string {
	if f >= 0 && int(f) < len(familyWords) {
		return familyWords[f]
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// MarshalText returns the family's word; an unknown value is an error.
func (f Family) MarshalText() ([]byte, error) {
	if f < 0 || int(f) >= len(familyWords) {
		return nil, fmt.Errorf("growth: unknown family %d", int(f))
	}
	return []byte(familyWords[f]), nil
}

// UnmarshalText reads a family's word; any other word is an error that
// lists the valid ones.
func (f *Family) UnmarshalText(b []byte) error {
	p, err := ParseFamily(string(b))
	if err != nil {
		return err
	}
	*f = p
	return nil
}

// ParseFamily returns the family of a word: poisson, geometric or negbin.
func ParseFamily(s string) (Family, error) {
	for i, w := range familyWords {
		if s == w {
			return Family(i), nil
		}
	}
	return 0, fmt.Errorf("growth: family %q: want poisson, geometric or negbin", s)
}

// ErrNoOverdispersion is wrapped by the error of [FitNegBinomial] when
// the counts vary no more than a Poisson law's (variance <= mean): the
// likelihood then rises with the dispersion K all the way to the Poisson
// limit, so K has no finite estimate. Use the Poisson fit; [Compare] does.
var ErrNoOverdispersion = errors.New("no overdispersion")

// Parameter is a fitted parameter of a law: the maximum-likelihood value, its
// standard error from the Fisher information at that value, and a
// confidence interval at the fit's Level. The interval is not Value ±
// z·SE: see each fit for its construction. High is +Inf when the data do
// not bound the parameter from above.
type Parameter struct {
	Value, SE float64
	Low, High float64
}

// Contains reports whether x lies in the interval [Low, High]: whether
// the data are consistent with x at the fit's level (for the mean, for
// instance, with seed F16's [ReferralCoefficient]).
func (e Parameter) Contains(x float64) bool { return x >= e.Low && x <= e.High }

// Fit is a maximum-likelihood fit of an offspring law to [Counts].
type Fit struct {
	Family Family
	// Law is the fitted law: Poisson{Lambda: Mean.Value},
	// Geometric{R: Mean.Value} or NegBinomial{R: Mean.Value,
	// K: Dispersion.Value}. Use it with [AtLeast], [Extinction] or
	// [Simulate].
	Law Offspring
	// Mean is the law's mean (Lambda or R), which is the sample mean for
	// every family.
	Mean Parameter
	// Dispersion is the negative binomial's K (variance R + R²/K); the
	// zero Parameter for the other families.
	Dispersion Parameter
	// LogLik is the maximized log-likelihood (natural log, with every
	// constant term, so that fits of different families compare), and
	// AIC = 2·Params - 2·LogLik: the lower, the better the family
	// describes the counts for its number of parameters.
	LogLik, AIC float64
	Params      int
	N           int64   // members fitted (the exposed population)
	Level       float64 // the confidence level of the intervals
}

// z returns the two-sided standard normal quantile of a level in (0, 1).
func zOf(level float64) float64 { return math.Sqrt2 * math.Erfinv(level) }

// fitInput checks the arguments every fit shares and returns n, the total
// and the mean.
func fitInput(fam Family, c Counts, level float64) (n, total int64, mean float64, err error) {
	if !(level > 0 && level < 1) {
		return 0, 0, 0, fmt.Errorf("growth: fit %v: level %v must be in (0, 1)", fam, level)
	}
	if err := c.validate(); err != nil {
		return 0, 0, 0, err
	}
	n, total = c.N(), c.Total()
	if n == 0 {
		return 0, 0, 0, fmt.Errorf("growth: fit %v: no exposed members to fit", fam)
	}
	return n, total, float64(total) / float64(n), nil
}

// meanEstimate returns the estimate of a mean R whose law has variance
// R + phi·R², from n members with sample mean ybar: the standard error
// sqrt((R + phi·R²)/n) at R = ybar, and the score interval, the R with
// n(ybar - R)² <= z²(R + phi·R²) (for Poisson, phi = 0, this is the
// classic score interval ybar + z²/2n ± z·sqrt(ybar/n + z²/4n²)). Unlike
// ybar ± z·SE it stays inside [0, +Inf), and it is not empty when every
// count is 0: [0, z²/n] for Poisson.
func meanEstimate(ybar float64, n int64, phi, z float64) Parameter {
	nf := float64(n)
	z2 := z * z
	a := nf - z2*phi
	b := 2*nf*ybar + z2
	c := nf * ybar * ybar
	// The discriminant b² - 4ac, expanded so that nothing cancels.
	sq := math.Sqrt(z2*z2 + 4*z2*nf*ybar*(1+phi*ybar))
	e := Parameter{Value: ybar, SE: math.Sqrt((ybar + phi*ybar*ybar) / nf), Low: 2 * c / (b + sq), High: math.Inf(1)}
	if a > 0 {
		e.High = (b + sq) / (2 * a)
	}
	return e
}

// lfactSum returns Σ Counts[k]·log(k!).
func (c Counts) lfactSum() float64 {
	s := 0.0
	for k, x := range c {
		if x != 0 && k > 1 {
			s += float64(x) * lfact(k)
		}
	}
	return s
}

// FitPoisson fits a Poisson law by maximum likelihood: Lambda is the
// sample mean, with standard error sqrt(Lambda/N) and the score interval
// (see [Parameter]). Level is the confidence level in (0, 1), e.g. 0.95. It
// returns an error for a level outside (0, 1), a negative bin or no
// member; counts that are all 0 fit Lambda = 0 with an interval
// [0, z²/N]. Cost O(len(c)).
func FitPoisson(c Counts, level float64) (Fit, error) {
	n, total, m, err := fitInput(FamilyPoisson, c, level)
	if err != nil {
		return Fit{}, err
	}
	ll := 0 - float64(n)*m - c.lfactSum() // 0 - 0 is +0: no "-0" for counts of zeros
	if total > 0 {
		ll += float64(total) * math.Log(m)
	}
	return finish(Fit{Family: FamilyPoisson, Law: Poisson{Lambda: m}, Mean: meanEstimate(m, n, 0, zOf(level)),
		LogLik: ll, Params: 1, N: n, Level: level}), nil
}

// FitGeometric fits a geometric law (P(X = k) = R^k/(1+R)^(k+1)) by
// maximum likelihood: R is the sample mean, with standard error
// sqrt((R+R²)/N) and the score interval (see [Parameter]), which has no
// upper bound when N <= z². Errors as [FitPoisson]. Cost O(len(c)).
func FitGeometric(c Counts, level float64) (Fit, error) {
	n, total, m, err := fitInput(FamilyGeometric, c, level)
	if err != nil {
		return Fit{}, err
	}
	ll := 0 - float64(total+n)*math.Log1p(m)
	if total > 0 {
		ll += float64(total) * math.Log(m)
	}
	return finish(Fit{Family: FamilyGeometric, Law: Geometric{R: m}, Mean: meanEstimate(m, n, 1, zOf(level)),
		LogLik: ll, Params: 1, N: n, Level: level}), nil
}

// finish fills in the AIC.
func finish(f Fit) Fit {
	f.AIC = 2*float64(f.Params) - 2*f.LogLik
	return f
}

// nbProfile is the negative binomial log-likelihood of counts as a
// function of K with the mean at its estimate, the sample mean m (the
// estimate of R whatever K is: its score is Σ(y - R)/(R(1 + R/K)), zero at
// the mean). With G_j the members who brought more than j,
// Σ_i log(Γ(y_i+K)/Γ(K)) = Σ_j G_j log(K+j), so every term costs
// O(len(counts)) and no digamma function is needed.
type nbProfile struct {
	g        []float64 // g[j] = G_j, members with a count above j
	n, total float64
	m        float64
	lfact    float64 // Σ log(y_i!)
}

func newNBProfile(c Counts, n, total int64) nbProfile {
	p := nbProfile{g: make([]float64, max(len(c)-1, 0)), n: float64(n), total: float64(total), lfact: c.lfactSum()}
	p.m = p.total / p.n
	above := n
	for j := range p.g {
		above -= c[j]
		p.g[j] = float64(above)
	}
	return p
}

// logLik returns the log-likelihood at (m, k).
func (p nbProfile) logLik(k float64) float64 {
	s := 0.0
	for j, g := range p.g {
		if g != 0 {
			s += g * math.Log(k+float64(j))
		}
	}
	// n·K·log(K/(K+m)) + total·log(m/(K+m)), each without cancellation.
	return s - p.lfact - p.n*k*math.Log1p(p.m/k) - p.total*math.Log1p(k/p.m)
}

// score returns the derivative of logLik in K:
// Σ_j G_j/(K+j) - n·log(1 + m/K).
func (p nbProfile) score(k float64) float64 {
	s := 0.0
	for j, g := range p.g {
		if g != 0 {
			s += g / (k + float64(j))
		}
	}
	return s - p.n*math.Log1p(p.m/k)
}

// info returns the observed information in K, -d²logLik/dK²:
// Σ_j G_j/(K+j)² - n·m/(K(K+m)).
func (p nbProfile) info(k float64) float64 {
	s := 0.0
	for j, g := range p.g {
		if g != 0 {
			d := k + float64(j)
			s += g / (d * d)
		}
	}
	return s - p.n*p.m/(k*(k+p.m))
}

// poissonLogLik is the limit of logLik as K grows.
func (p nbProfile) poissonLogLik() float64 {
	return p.total*math.Log(p.m) - p.n*p.m - p.lfact
}

// Bounds of the search for K: below kMin the law is a point mass at 0 with
// rare huge counts, above kMax it is a Poisson law to 12 digits.
const (
	kMin = 1e-12
	kMax = 1e12
)

// FitNegBinomial fits a negative binomial law NegBinomial{R, K} by maximum
// likelihood. R is the sample mean, with standard error
// sqrt((R + R²/K)/N) and the score interval at the fitted K (see
// [Parameter]). K solves the likelihood equation
// Σ_j G_j/(K+j) = N·log(1 + R/K), G_j the members who brought more than j,
// by bisection on log K; its standard error comes from the observed
// information, and its interval is the profile-likelihood interval (the K
// whose log-likelihood is within z²/2 of the maximum; R and K are
// orthogonal, so the profile is the likelihood at R), whose High is +Inf
// when the Poisson limit is within it.
//
// Besides the errors of [FitPoisson], it returns an error when every count
// is 0 (the counts are a point mass at 0, which every K fits; use the
// Poisson fit, Lambda = 0) and one that wraps [ErrNoOverdispersion] when
// the variance of the counts is at most their mean, or so close to it
// that K would pass 1e12. Cost O(len(c)) per evaluation, about 150
// evaluations (45 bisection steps for K and for each bound of its
// interval).
func FitNegBinomial(c Counts, level float64) (Fit, error) {
	n, total, m, err := fitInput(FamilyNegBinomial, c, level)
	if err != nil {
		return Fit{}, err
	}
	if total == 0 {
		return Fit{}, fmt.Errorf("growth: fit negbin: all %d members brought 0, which every dispersion K fits; use the poisson fit (mean 0)", n)
	}
	v, _ := c.Variance()
	if v <= m {
		return Fit{}, fmt.Errorf("growth: fit negbin: variance %.4g is at most the mean %.4g: %w (K would be infinite; use the poisson fit)", v, m, ErrNoOverdispersion)
	}
	p := newNBProfile(c, n, total)
	// The score is positive near K = 0 (G_0/K dominates) and, when the
	// variance exceeds the mean, negative for large K (it behaves like
	// n(m² - (v + m² - m))/2K² = n(m - v)/2K²). Bracket from the moment
	// estimate m²/(v-m), then bisect on log K.
	k0 := math.Min(math.Max(m*m/(v-m), kMin), kMax)
	lo, hi := k0, k0
	for p.score(lo) <= 0 {
		if lo <= kMin {
			return Fit{}, fmt.Errorf("growth: fit negbin: no dispersion above %g fits", kMin)
		}
		lo = math.Max(lo/4, kMin)
	}
	for p.score(hi) > 0 {
		if hi >= kMax {
			return Fit{}, fmt.Errorf("growth: fit negbin: variance %.6g barely above the mean %.6g: %w (K above %g; use the poisson fit)", v, m, ErrNoOverdispersion, kMax)
		}
		hi = math.Min(hi*4, kMax)
	}
	k := bisectLog(lo, hi, func(k float64) bool { return p.score(k) > 0 })
	z := zOf(level)
	ll := p.logLik(k)
	disp := Parameter{Value: k, SE: math.Inf(1), Low: 0, High: math.Inf(1)}
	if i := p.info(k); i > 0 {
		disp.SE = 1 / math.Sqrt(i)
	}
	target := ll - z*z/2
	above := func(k float64) bool { return p.logLik(k) > target }
	// Below the estimate: logLik falls to -Inf as K goes to 0 (G_0 > 0).
	if b := k / 2; b > 0 {
		for b > kMin*1e-6 && above(b) {
			b /= 2
		}
		if !above(b) {
			disp.Low = bisectLog(b, k, func(x float64) bool { return !above(x) })
		}
	}
	// Above it: bounded only if the Poisson limit is outside the interval.
	if p.poissonLogLik() <= target {
		b := k * 2
		for b < kMax*1e3 && above(b) {
			b *= 2
		}
		if !above(b) {
			disp.High = bisectLog(k, b, above)
		}
	}
	return finish(Fit{Family: FamilyNegBinomial, Law: NegBinomial{R: m, K: k}, Mean: meanEstimate(m, n, 1/k, z),
		Dispersion: disp, LogLik: ll, Params: 2, N: n, Level: level}), nil
}

// bisectLog returns the boundary in [lo, hi] (0 < lo < hi) between the
// points where in is true (at lo) and false (at hi), by bisection on log x
// to a relative width of 1e-13.
func bisectLog(lo, hi float64, in func(float64) bool) float64 {
	for range 200 {
		if hi-lo <= 1e-13*hi {
			break
		}
		mid := math.Sqrt(lo * hi)
		if !(mid > lo && mid < hi) {
			mid = lo + (hi-lo)/2
		}
		if in(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// Comparison is the result of [Compare]: the fits of every family that
// could be fitted, and why the others could not. The zero value has no
// fit.
type Comparison struct {
	Fits     []Fit         // in family order: poisson, geometric, negbin
	Unfitted []FamilyError // one per family that could not be fitted
	// Counts is what was fitted. Counts.AtLeast(UnlockInvites) is the
	// observed share of members who unlocked seed F16's perk, to set
	// against AtLeast(fit.Law, UnlockInvites), the share each fit
	// predicts.
	Counts Counts
}

// Compare fits every family to the counts at the given level and returns
// them with their AICs. A family that cannot be fitted (the negative
// binomial without overdispersion) is listed in Unfitted; it returns an
// error only when no family can be fitted (no member, a bad level or a
// negative bin). Cost: the sum of the fits, O(len(c)) each.
func Compare(c Counts, level float64) (Comparison, error) {
	var cmp Comparison
	cmp.Counts = c
	for fam, fit := range []func(Counts, float64) (Fit, error){FitPoisson, FitGeometric, FitNegBinomial} {
		fam := Family(fam)
		f, err := fit(c, level)
		if err != nil {
			if len(cmp.Fits) == 0 {
				return Comparison{}, err // the errors every family shares
			}
			cmp.Unfitted = append(cmp.Unfitted, FamilyError{Family: fam, Err: err})
			continue
		}
		cmp.Fits = append(cmp.Fits, f)
	}
	return cmp, nil
}

// FamilyError is why a family could not be fitted, in a [Comparison].
type FamilyError struct {
	Family Family
	Err    error // the fit's error, which names the family
}

func (e FamilyError) Error() string { return e.Err.Error() }
func (e FamilyError) Unwrap() error { return e.Err }

// Best returns the fit with the lowest AIC; among equal AICs, the one
// with fewer parameters (the earlier family). It returns false when there
// is no fit.
func (c Comparison) Best() (Fit, bool) {
	best := -1
	for i, f := range c.Fits {
		if best < 0 || f.AIC < c.Fits[best].AIC {
			best = i
		}
	}
	if best < 0 {
		return Fit{}, false
	}
	return c.Fits[best], true
}

// Bootstrap returns the fit of family fam to c with percentile bootstrap
// intervals instead of the asymptotic ones: reps resamples of the members,
// drawn with replacement (a multinomial draw over the bins of c, exact,
// O(len(c)) per resample), are refitted, and each parameter's Low and
// High are the nearest-rank (1-level)/2 and (1+level)/2 quantiles of the
// refitted values, its SE their standard deviation. Value, LogLik and AIC
// stay those of the fit to c. A resample that the negative binomial cannot
// fit for lack of overdispersion counts as K = +Inf (its Poisson limit)
// and leaves the mean's sample; one whose counts are all 0 counts as
// R = 0 and K = +Inf.
//
// It resamples the members, not the law, so the mean's interval is the
// same for every family but for the randomness of the resamples: it
// describes the data, whichever law fits them. Use it for small groups,
// where the asymptotic intervals can be off; it is reproducible bit for
// bit from r's seed. It returns the
// errors of the fit to c, and an error for reps < 2 or a nil r. Cost:
// reps fits and resamples, O(reps·len(c)) and about 100 times that for
// the negative binomial.
func Bootstrap(c Counts, fam Family, level float64, reps int, r *rand.Rand) (Fit, error) {
	if r == nil {
		return Fit{}, errors.New("growth: bootstrap needs a random source, got nil")
	}
	if reps < 2 {
		return Fit{}, fmt.Errorf("growth: bootstrap reps %d must be at least 2", reps)
	}
	var fit func(Counts, float64) (Fit, error)
	switch fam {
	case FamilyPoisson:
		fit = FitPoisson
	case FamilyGeometric:
		fit = FitGeometric
	case FamilyNegBinomial:
		fit = FitNegBinomial
	default:
		return Fit{}, fmt.Errorf("growth: bootstrap: unknown family %d", int(fam))
	}
	f, err := fit(c, level)
	if err != nil {
		return Fit{}, err
	}
	means := make([]float64, reps)
	ks := make([]float64, reps)
	re := make(Counts, len(c))
	for i := range reps {
		resample(re, c, f.N, r)
		means[i], _ = re.Mean()
		ks[i] = math.Inf(1)
		if fam == FamilyNegBinomial {
			if g, err := FitNegBinomial(re, level); err == nil {
				ks[i] = g.Dispersion.Value
			}
		}
	}
	f.Mean = percentile(f.Mean.Value, means, level)
	if fam == FamilyNegBinomial {
		f.Dispersion = percentile(f.Dispersion.Value, ks, level)
	}
	return f, nil
}

// resample draws n members with replacement from the histogram c into
// dst (len(dst) == len(c)): a multinomial draw with probabilities c[k]/n,
// as a chain of binomials.
func resample(dst, c Counts, n int64, r *rand.Rand) {
	left, weight := n, n
	for k, x := range c {
		switch {
		case left == 0 || x == 0:
			dst[k] = 0
		case x == weight:
			dst[k] = left
		default:
			dst[k] = int64(Binomial{N: int(left), P: float64(x) / float64(weight)}.Sample(r))
		}
		left -= dst[k]
		weight -= x
	}
}

// percentile sorts v and returns the bootstrap estimate around value: the
// nearest-rank quantiles at (1±level)/2 and the standard deviation of v
// (+Inf when v holds an infinity).
func percentile(value float64, v []float64, level float64) Parameter {
	slices.Sort(v)
	var sum, sq float64
	for _, x := range v {
		sum += x
	}
	mean := sum / float64(len(v))
	for _, x := range v {
		sq += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(sq / float64(len(v)-1))
	if math.IsInf(mean, 0) {
		sd = math.Inf(1)
	}
	return Parameter{Value: value, SE: sd,
		Low:  v[quantileRank((1-level)/2, len(v))-1],
		High: v[quantileRank((1+level)/2, len(v))-1]}
}
