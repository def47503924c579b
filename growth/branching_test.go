package growth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// plain is a law of one's own: it hides the package's cancellation-free
// tail and its type, so that the generic paths of Extinction,
// ExtinctionBy, TotalProgeny and Simulate are exercised.
type plain struct{ o Offspring }

func (p plain) PGF(s float64) float64   { return p.o.PGF(s) }
func (p plain) PMF(k int) float64       { return p.o.PMF(k) }
func (p plain) Mean() float64           { return p.o.Mean() }
func (p plain) Sample(r *rand.Rand) int { return p.o.Sample(r) }
func (p plain) Validate() error         { return p.o.Validate() }

// lying is a law of one's own whose Validate lets a NaN mean through.
type lying struct{ plain }

func (lying) Validate() error { return nil }
func (lying) Mean() float64   { return math.NaN() }

// panicMessage returns what f panics with, or "" when it returns.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestExtinctionReference(t *testing.T) {
	tests := []struct {
		name string
		o    Offspring
		want float64
		tol  float64
		src  string
	}{
		{"poisson 1.5", Poisson{Lambda: 1.5}, 0.4171883561, 5e-11, "issue 7, 10 decimals"},
		{"binomial 3 0.5", Binomial{N: 3, P: 0.5}, math.Sqrt(5) - 2, 1e-15,
			"issue 7; q = (1+q)³/8 gives q² + 4q - 1 = 0"},
		{"F16 poisson 2.3", Poisson{Lambda: 2.3}, 0.13757672198100823, 1e-14,
			"issue 7 (about 0.138); 2e6 fixed-point iterations in Python"},
		{"F16 negbin 2.3 k=0.5", NegBinomial{R: 2.3, K: 0.5}, 0.5874503379466357, 1e-14,
			"issue 7 (about 0.588); 2e6 fixed-point iterations in Python"},
		{"F16 geometric 2.3", Geometric{R: 2.3}, 1 / 2.3, 1e-15,
			"closed form: a geometric law of mean m > 1 dies out with probability 1/m"},
		{"generic path poisson 1.5", plain{Poisson{Lambda: 1.5}}, 0.4171883561, 5e-11, "issue 7"},
		{"generic path binomial 3 0.5", plain{Binomial{N: 3, P: 0.5}}, math.Sqrt(5) - 2, 1e-14, "issue 7"},
		{"critical poisson", Poisson{Lambda: 1}, 1, 0, "mean <= 1"},
		{"subcritical negbin", NegBinomial{R: 0.7, K: 0.2}, 1, 0, "mean <= 1"},
		{"nobody invites", Poisson{}, 1, 0, "mean 0"},
		{"exactly one each", Binomial{N: 1, P: 1}, 0, 0, "X = 1 always: never extinct"},
		{"always two", Binomial{N: 2, P: 1}, 0, 0, "P(X = 0) = 0"},
		{"binomial 2 0.75", Binomial{N: 2, P: 0.75}, 1.0 / 9, 1e-15, "q = (1/4 + 3q/4)² gives q = 1/9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extinction(tt.o)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Extinction = %.16g, want %.16g ± %g (%s)", got, tt.want, tt.tol, tt.src)
			}
		})
	}
}

// Issue 22: an invalid law is a programmer error that panics with the
// law's own Validate message and the function's name, never a silent NaN.
func TestInvalidLawPanics(t *testing.T) {
	laws := []struct {
		o    Offspring
		want string
	}{
		{Poisson{Lambda: -1}, "poisson lambda -1"},
		{Poisson{Lambda: math.NaN()}, "poisson lambda NaN"},
		{Binomial{N: -1, P: 0.5}, "binomial n -1"},
		{Binomial{N: 2, P: 1.5}, "binomial p 1.5"},
		{NegBinomial{R: 1}, "negative binomial dispersion 0"},
		{Geometric{R: math.Inf(1)}, "geometric mean +Inf"},
		{plain{Poisson{Lambda: -3}}, "poisson lambda -3"},
		{lying{plain{Poisson{Lambda: 2}}}, "passed Validate but has mean NaN"},
	}
	for _, l := range laws {
		calls := map[string]func(){
			"Extinction":         func() { Extinction(l.o) },
			"ExtinctionBy":       func() { ExtinctionBy(l.o, 3) },
			"ExpectedGeneration": func() { ExpectedGeneration(l.o, 3) },
			"AtLeast":            func() { AtLeast(l.o, 3) },
		}
		if _, ok := l.o.(lying); !ok {
			calls["TotalProgeny"] = func() { TotalProgeny(l.o, 3) }
			calls["PMF"] = func() { l.o.PMF(1) }
			calls["PGF"] = func() { l.o.PGF(0.5) }
			calls["Mean"] = func() { l.o.Mean() }
			calls["Sample"] = func() { l.o.Sample(rand.New(rand.NewPCG(1, 2))) }
		}
		for name, call := range calls {
			msg := panicMessage(call)
			if !strings.HasPrefix(msg, "growth: ") || !strings.Contains(msg, l.want) {
				t.Errorf("%s(%#v) panics with %q, want a message with %q", name, l.o, msg, l.want)
			}
		}
	}
	for name, call := range map[string]func(){
		"ExtinctionBy":       func() { ExtinctionBy(Poisson{Lambda: 2}, -1) },
		"ExpectedGeneration": func() { ExpectedGeneration(Poisson{Lambda: 2}, -1) },
	} {
		if msg := panicMessage(call); !strings.Contains(msg, "generation -1") {
			t.Errorf("%s(g = -1) panics with %q", name, msg)
		}
	}
	if msg := panicMessage(func() { Extinction(nil) }); !strings.Contains(msg, "nil offspring law") {
		t.Errorf("Extinction(nil) panics with %q", msg)
	}
}

// Just above the critical point the survival probability of Poisson(1+ε)
// is 2ε/(1+ε)² + O(ε²) (expand 1 - e^{-λu} = u to second order); the
// cancellation-free path keeps a relative error of about 1e-16/ε on it,
// where solving PGF(s) = s directly leaves an absolute error of about
// 1e-16/ε on q, as large as u itself once ε is near 1e-8.
func TestExtinctionNearCritical(t *testing.T) {
	for _, e := range []float64{1e-3, 1e-6, 1e-9, 1e-12} {
		lambda := 1 + e
		eps := lambda - 1 // the ε that float64 holds
		u := 1 - Extinction(Poisson{Lambda: lambda})
		want := 2 * eps / (lambda * lambda)
		if rel := math.Abs(u-want) / want; rel > 3*eps+1e-15/eps {
			t.Errorf("ε = %g: survival %.12g, want %.12g (relative error %.2g)", eps, u, want, rel)
		}
	}
}

// offspringLaw draws a valid law of this package.
func offspringLaw(t *rapid.T) Offspring {
	switch rapid.IntRange(0, 3).Draw(t, "law") {
	case 0:
		return Poisson{Lambda: rapid.Float64Range(0, 8).Draw(t, "lambda")}
	case 1:
		return Binomial{N: rapid.IntRange(0, 30).Draw(t, "n"), P: rapid.Float64Range(0, 1).Draw(t, "p")}
	case 2:
		return NegBinomial{R: rapid.Float64Range(0, 8).Draw(t, "r"), K: rapid.Float64Range(0.05, 20).Draw(t, "k")}
	default:
		return Geometric{R: rapid.Float64Range(0, 8).Draw(t, "r")}
	}
}

func TestExtinctionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := offspringLaw(t)
		q := Extinction(o)
		if !(q >= 0 && q <= 1) {
			t.Fatalf("Extinction = %v outside [0, 1]", q)
		}
		p0 := o.PGF(0)
		if o.Mean() <= 1 && p0 > 0 && q != 1 {
			t.Fatalf("mean %v <= 1 but Extinction = %v", o.Mean(), q)
		}
		// q is a fixed point, and the smallest: PGF(s) > s below it.
		if math.Abs(o.PGF(q)-q) > 1e-12 {
			t.Fatalf("PGF(q) - q = %v", o.PGF(q)-q)
		}
		if q > 1e-6 && o.PGF(q*(1-1e-6)) <= q*(1-1e-6) {
			t.Fatalf("a fixed point below q = %v", q)
		}
		// The generic path agrees away from the critical point.
		if m := o.Mean(); m > 1.01 || m < 1 {
			if g := Extinction(plain{o}); math.Abs(g-q) > 1e-9 {
				t.Fatalf("generic path %v, tail path %v", g, q)
			}
		}
		// ExtinctionBy rises with g towards q.
		prev := 0.0
		for g := 0; g <= 60; g++ {
			e := ExtinctionBy(o, g)
			if e < prev-1e-15 || e > q+1e-12 {
				t.Fatalf("ExtinctionBy(%d) = %v after %v, limit %v", g, e, prev, q)
			}
			prev = e
		}
		if o.Mean() > 1.2 && math.Abs(ExtinctionBy(o, 5000)-q) > 1e-9 {
			t.Fatalf("ExtinctionBy(5000) = %v, want %v", ExtinctionBy(o, 5000), q)
		}
	})
}

func TestExtinctionFallsWithLambda(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Float64Range(0, 10).Draw(t, "a")
		b := rapid.Float64Range(0, 10).Draw(t, "b")
		if a > b {
			a, b = b, a
		}
		qa, qb := Extinction(Poisson{Lambda: a}), Extinction(Poisson{Lambda: b})
		if qb > qa {
			t.Fatalf("Extinction(%v) = %v < Extinction(%v) = %v", a, qa, b, qb)
		}
		na, nb := Extinction(NegBinomial{R: a, K: 0.5}), Extinction(NegBinomial{R: b, K: 0.5})
		if nb > na {
			t.Fatalf("negbin: Extinction(%v) = %v < Extinction(%v) = %v", a, na, b, nb)
		}
	})
}

func TestExtinctionByExact(t *testing.T) {
	// Binomial(2, 1/2): f(s) = (1+s)²/4; f(0) = 1/4, f(1/4) = 25/64.
	b := Binomial{N: 2, P: 0.5}
	for _, tt := range []struct {
		g    int
		want float64
	}{{0, 0}, {1, 0.25}, {2, 25.0 / 64}, {3, (1 + 25.0/64) * (1 + 25.0/64) / 4}} {
		if got := ExtinctionBy(b, tt.g); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("ExtinctionBy(g = %d) = %v, want %v", tt.g, got, tt.want)
		}
	}
}

func TestAtLeast(t *testing.T) {
	tests := []struct {
		name string
		o    Offspring
		k    int
		want float64
		tol  float64
	}{
		// issue 7, 6 decimals.
		{"issue 7 poisson 1.5 k=3", Poisson{Lambda: 1.5}, 3, 0.191153, 5e-7},
		// 1 - e^{-2.3}(1 + 2.3 + 2.3²/2), Python.
		{"F16 poisson 2.3 invite 3", Poisson{Lambda: 2.3}, 3, 0.40396117406793175, 1e-14},
		// (R/(1+R))^k for a geometric law.
		{"F16 geometric 2.3 invite 3", Geometric{R: 2.3}, 3, math.Pow(2.3/3.3, 3), 1e-14},
		{"binomial 3 0.5 k=3", Binomial{N: 3, P: 0.5}, 3, 0.125, 1e-15},
		{"binomial beyond n", Binomial{N: 3, P: 0.5}, 4, 0, 0},
		{"k=0", Poisson{Lambda: 2}, 0, 1, 0},
		{"k<0", Poisson{Lambda: 2}, -4, 1, 0},
		// Far tail: Σ_{j>=40} e^{-2} 2^j/j! ≈ e^{-2} 2^40/40! · (1 + 2/41 + ...).
		{"far tail", Poisson{Lambda: 2}, 40, math.Exp(-2) * math.Pow(2, 40) / math.Gamma(41) * (1 + 2.0/41 + 4.0/(41*42) + 8.0/(41*42*43)), 1e-4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AtLeast(tt.o, tt.k)
			tol := tt.tol
			if tt.name == "far tail" {
				tol *= tt.want // relative
			}
			if math.Abs(got-tt.want) > tol {
				t.Errorf("AtLeast = %.17g, want %.17g", got, tt.want)
			}
		})
	}
	// Issue 22: a law of one's own works as the package's own.
	if got, want := AtLeast(plain{Poisson{Lambda: 2}}, 3), AtLeast(Poisson{Lambda: 2}, 3); got != want {
		t.Errorf("AtLeast of a law of one's own = %v, want %v", got, want)
	}
}

// Borel law (second source: Borel 1942; e.g. Wikipedia "Borel
// distribution"): P(T = n) = e^{-μn} (μn)^{n-1} / n!, computed here with
// plain powers and factorials.
func TestTotalProgenyBorel(t *testing.T) {
	mu := 0.5
	fact := 1.0
	for n := 1; n <= 12; n++ {
		fact *= float64(n)
		want := math.Exp(-mu*float64(n)) * math.Pow(mu*float64(n), float64(n-1)) / fact
		got, ok := TotalProgeny(Poisson{Lambda: mu}, n)
		if !ok || math.Abs(got-want) > 1e-13*want {
			t.Errorf("P(T = %d) = %v, %v; want %v", n, got, ok, want)
		}
	}
	// Spot values: e^{-1/2} and e^{-1}/2.
	if got, _ := TotalProgeny(Poisson{Lambda: mu}, 1); math.Abs(got-0.6065306597126334) > 1e-15 {
		t.Errorf("P(T = 1) = %v", got)
	}
	if got, _ := TotalProgeny(Poisson{Lambda: mu}, 2); math.Abs(got-0.18393972058572117) > 1e-15 {
		t.Errorf("P(T = 2) = %v", got)
	}
	if got, ok := TotalProgeny(Poisson{Lambda: mu}, 0); got != 0 || !ok {
		t.Errorf("P(T = 0) = %v, %v", got, ok)
	}
	// Issue 22: a law of one's own gets the same probabilities by
	// convolution, reported as not from a closed form.
	for n := 1; n <= 40; n++ {
		want, _ := TotalProgeny(Poisson{Lambda: mu}, n)
		got, ok := TotalProgeny(plain{Poisson{Lambda: mu}}, n)
		if ok || math.Abs(got-want) > 1e-12*want {
			t.Errorf("law of one's own: P(T = %d) = %v, %v; want %v, false", n, got, ok, want)
		}
	}
}

// Summed over n, the total-progeny law gives the extinction probability;
// in the subcritical case its mean is 1/(1-m).
func TestTotalProgenySums(t *testing.T) {
	tests := []struct {
		name string
		o    Offspring
	}{
		{"poisson 1.5", Poisson{Lambda: 1.5}},
		{"poisson 0.5", Poisson{Lambda: 0.5}},
		{"binomial 3 0.5", Binomial{N: 3, P: 0.5}},
		{"binomial 4 0.2", Binomial{N: 4, P: 0.2}},
		{"negbin 2.3 k=0.5", NegBinomial{R: 2.3, K: 0.5}},
		{"negbin 0.6 k=2", NegBinomial{R: 0.6, K: 2}},
		{"geometric 2.3", Geometric{R: 2.3}},
		{"geometric 0.4", Geometric{R: 0.4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sum, mean float64
			for n := 1; n <= 20000; n++ {
				p, ok := TotalProgeny(tt.o, n)
				if !ok || !(p >= 0) {
					t.Fatalf("P(T = %d) = %v, %v", n, p, ok)
				}
				sum += p
				mean += float64(n) * p
			}
			if q := Extinction(tt.o); math.Abs(sum-q) > 1e-9 {
				t.Errorf("Σ P(T = n) = %.12f, Extinction = %.12f", sum, q)
			}
			if m := tt.o.Mean(); m < 1 {
				if math.Abs(mean-1/(1-m)) > 1e-8 {
					t.Errorf("E[T] = %v, want 1/(1-m) = %v", mean, 1/(1-m))
				}
			}
		})
	}
}

// Each law's PMF sums to 1 and has the law's mean and variance, and its
// PGF is Σ p_k s^k.
func TestLawsConsistent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := offspringLaw(t)
		pm := o
		s := rapid.Float64Range(0, 1).Draw(t, "s")
		var sum, mean, sq, pgf float64
		for k := 0; k < 4000; k++ {
			p := pm.PMF(k)
			if !(p >= 0 && p <= 1) {
				t.Fatalf("PMF(%d) = %v", k, p)
			}
			sum += p
			mean += float64(k) * p
			sq += float64(k) * float64(k) * p
			pgf += p * math.Pow(s, float64(k))
		}
		v := o.(interface{ Variance() float64 }).Variance()
		if math.Abs(sum-1) > 1e-9 || math.Abs(mean-o.Mean()) > 1e-8*(1+o.Mean()) ||
			math.Abs(sq-mean*mean-v) > 1e-7*(1+v) || math.Abs(pgf-o.PGF(s)) > 1e-9 {
			t.Fatalf("Σp = %v, mean %v (law %v), variance %v (law %v), PGF %v (law %v)",
				sum, mean, o.Mean(), sq-mean*mean, v, pgf, o.PGF(s))
		}
		if pm.PMF(-1) != 0 {
			t.Fatalf("PMF(-1) = %v", pm.PMF(-1))
		}
	})
}

// E[Z_g] = m^g, checked against simulated generations.
func TestExpectedGenerationSimulated(t *testing.T) {
	o := NegBinomial{R: 1.3, K: 2}
	r := rand.New(rand.NewPCG(1, 2))
	const runs, gens = 20000, 4
	var sum, sq float64
	for range runs {
		z := 1
		for range gens {
			z = sumOffspring(o, z, r)
		}
		sum += float64(z)
		sq += float64(z) * float64(z)
	}
	mean := sum / runs
	se := math.Sqrt((sq/runs - mean*mean) / runs)
	want := ExpectedGeneration(o, gens)
	if math.Abs(want-math.Pow(1.3, 4)) > 1e-12 {
		t.Fatalf("ExpectedGeneration = %v, want 1.3^4", want)
	}
	if math.Abs(mean-want) > 6*se {
		t.Errorf("simulated E[Z_4] = %v ± %v, want %v", mean, se, want)
	}
}
