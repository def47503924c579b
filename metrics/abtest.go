package metrics

import (
	"fmt"
	"math"

	"github.com/qunops/qunops/internal/stats"
)

// Interval is a closed interval [Lo, Hi] of proportions or of a difference
// of proportions.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// String formats i with six decimals, e.g. "[0.877675, 0.930124]".
func (i Interval) String() string { return fmt.Sprintf("[%.6f, %.6f]", i.Lo, i.Hi) }

// Arm is one arm of an A/B test of proportions.
type Arm struct {
	Successes int      `json:"successes"`
	Trials    int      `json:"trials"`
	Rate      Ratio    `json:"rate"`   // Successes / Trials, exact
	Wilson    Interval `json:"wilson"` // Wilson score interval of Rate (Wilson 1927)
}

// ABResult is the outcome of [ABTest]: arm A against arm B (seed F28, where
// the claim rate of coupons sent after 20:00 was compared with noon).
//
// In JSON its keys are the field names in snake_case ("a", "b",
// "confidence", "diff", "lift", "testable", "z", "p", "diff_interval").
type ABResult struct {
	A          Arm     `json:"a"`
	B          Arm     `json:"b"`
	Confidence float64 `json:"confidence"` // of the intervals, e.g. 0.95
	// Diff is rate A minus rate B.
	Diff float64 `json:"diff"`
	// Lift is rate B over rate A minus 1, exact: (sB*nA - sA*nB) / (sA*nB).
	// The seed's "+180%" is a Lift of 1.8. Undefined when arm A has no
	// success.
	Lift Ratio `json:"lift"`
	// Testable is false when both arms together have no success or no
	// failure: the pooled variance is 0 and Z and P are undefined (reported
	// as 0 and 1).
	Testable bool `json:"testable"`
	// Z is the pooled two-proportion z statistic of A - B and P its
	// two-sided p-value.
	Z float64 `json:"z"`
	P float64 `json:"p"`
	// DiffInterval is the Newcombe hybrid score interval of A - B (Newcombe
	// 1998, method 10), built from the two Wilson intervals.
	DiffInterval Interval `json:"diff_interval"`
}

// ABTest compares the success proportions of two arms (seed F28): a pooled
// two-proportion z-test with a two-sided p-value, a Wilson score interval per
// arm and a Newcombe interval for the difference A - B. Each arm needs at
// least one trial and successes within 0..trials.
//
// References: E. B. Wilson (1927), "Probable inference, the law of
// succession, and statistical inference", JASA 22; R. G. Newcombe (1998),
// "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17, method 10.
func ABTest(successA, trialsA, successB, trialsB int, o ABOptions) (ABResult, error) {
	if err := o.Validate(); err != nil {
		return ABResult{}, err
	}
	conf := o.Confidence
	if conf == 0 {
		conf = defaultConfidence
	}
	for _, arm := range []struct {
		name string
		s, n int
	}{{"A", successA, trialsA}, {"B", successB, trialsB}} {
		if arm.n < 1 {
			return ABResult{}, fmt.Errorf("metrics: a/b test: arm %s trials %d must be at least 1", arm.name, arm.n)
		}
		if arm.s < 0 || arm.s > arm.n {
			return ABResult{}, fmt.Errorf("metrics: a/b test: arm %s successes %d must lie within 0..%d", arm.name, arm.s, arm.n)
		}
	}
	z := normalQuantile(1 - (1-conf)/2)
	r := ABResult{Confidence: conf}
	r.A = Arm{Successes: successA, Trials: trialsA, Rate: ratioOf(successA, trialsA), Wilson: wilson(successA, trialsA, z)}
	r.B = Arm{Successes: successB, Trials: trialsB, Rate: ratioOf(successB, trialsB), Wilson: wilson(successB, trialsB, z)}
	pa, pb := float64(successA)/float64(trialsA), float64(successB)/float64(trialsB)
	r.Diff = pa - pb
	if successA > 0 {
		r.Lift = Ratio{Num: int64(successB)*int64(trialsA) - int64(successA)*int64(trialsB), Den: int64(successA) * int64(trialsB)}
	}
	pooled := float64(successA+successB) / float64(trialsA+trialsB)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(trialsA) + 1/float64(trialsB)))
	r.Z, r.P = 0, 1
	if se > 0 {
		r.Testable = true
		r.Z = r.Diff / se
		r.P = math.Erfc(math.Abs(r.Z) / math.Sqrt2)
	}
	la, ua := r.A.Wilson.Lo, r.A.Wilson.Hi
	lb, ub := r.B.Wilson.Lo, r.B.Wilson.Hi
	r.DiffInterval = Interval{
		Lo: r.Diff - math.Sqrt((pa-la)*(pa-la)+(ub-pb)*(ub-pb)),
		Hi: r.Diff + math.Sqrt((ua-pa)*(ua-pa)+(pb-lb)*(pb-lb)),
	}
	return r, nil
}

// Wilson returns the Wilson score interval (Wilson 1927) of successes out of
// trials at the given confidence (0 means 0.95).
func Wilson(successes, trials int, confidence float64) (Interval, error) {
	if confidence == 0 {
		confidence = defaultConfidence
	}
	if !(confidence > 0 && confidence < 1) {
		return Interval{}, fmt.Errorf("metrics: wilson: confidence %v must lie strictly between 0 and 1", confidence)
	}
	if trials < 1 || successes < 0 || successes > trials {
		return Interval{}, fmt.Errorf("metrics: wilson: %d successes of %d trials: need trials >= 1 and successes within 0..trials", successes, trials)
	}
	return wilson(successes, trials, normalQuantile(1-(1-confidence)/2)), nil
}

// wilson is the Wilson score interval for z.
func wilson(s, n int, z float64) Interval {
	lo, hi := stats.Wilson(s, n, z)
	return Interval{Lo: lo, Hi: hi}
}

// normalQuantile is the inverse of the standard normal distribution
// function, Φ⁻¹(p) = -√2 erfc⁻¹(2p).
func normalQuantile(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// SampleSize returns the number of trials per arm needed to detect the
// difference between proportions p1 and p2 with a two-sided pooled z-test,
// by the formula without continuity correction in J. L. Fleiss, B. Levin and
// M. C. Paik (2003), Statistical Methods for Rates and Proportions, 3rd ed.,
// section 4.2:
//
//	n = (z(1-α/2)·√(2·p̄·q̄) + z(power)·√(p1·q1 + p2·q2))² / (p1 - p2)²
//
// rounded up, with p̄ the mean of p1 and p2 and q = 1 - p. p1 and p2 must
// differ and lie strictly between 0 and 1.
func SampleSize(p1, p2 float64, o SampleOptions) (int, error) {
	if err := o.Validate(); err != nil {
		return 0, err
	}
	alpha, power := o.Alpha, o.Power
	if alpha == 0 {
		alpha = defaultAlpha
	}
	if power == 0 {
		power = defaultPower
	}
	switch {
	case !(p1 > 0 && p1 < 1), !(p2 > 0 && p2 < 1):
		return 0, fmt.Errorf("metrics: sample size: proportions %v and %v must lie strictly between 0 and 1", p1, p2)
	case p1 == p2:
		return 0, fmt.Errorf("metrics: sample size: proportions are equal (%v): no difference to detect", p1)
	}
	za, zb := normalQuantile(1-alpha/2), normalQuantile(power)
	pm := (p1 + p2) / 2
	root := za*math.Sqrt(2*pm*(1-pm)) + zb*math.Sqrt(p1*(1-p1)+p2*(1-p2))
	n := root * root / ((p1 - p2) * (p1 - p2))
	if n > math.MaxInt32 {
		return 0, fmt.Errorf("metrics: sample size: %.0f per arm is too large (proportions %v and %v are too close)", n, p1, p2)
	}
	return int(math.Ceil(n)), nil
}
