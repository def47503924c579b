package growth

import (
	"math"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

// A PoissonSampler draws exactly what Poisson.Sample draws from a source in
// the same state, in every regime (table, PTRS, degenerate), and leaves the
// source in the same state.
func TestPoissonSamplerMatchesPoisson(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lam := rapid.OneOf(
			rapid.Float64Range(0, 10),
			rapid.Float64Range(1e-9, 1e-3),
			rapid.Float64Range(9.99, 10.01),
			rapid.Float64Range(10, 1e7),
			rapid.SampledFrom([]float64{0, 2.3, 9.999999999, 10, 1e17}),
		).Draw(t, "lambda")
		seed := rapid.Uint64().Draw(t, "seed")
		s, err := NewPoissonSampler(lam)
		if err != nil {
			t.Fatal(err)
		}
		r1 := rand.New(rand.NewPCG(seed, 7))
		r2 := rand.New(rand.NewPCG(seed, 7))
		p := Poisson{Lambda: lam}
		for i := range 200 {
			if a, b := p.Sample(r1), s.Sample(r2); a != b {
				t.Fatalf("draw %d: Poisson{%v}.Sample = %d, sampler = %d", i, lam, a, b)
			}
		}
		if r1.Uint64() != r2.Uint64() {
			t.Fatal("the sources diverged")
		}
	})
}

// The table inversion and the block inversion agree with the term-by-term
// walk for every uniform, including the largest (1 - 2^-53), where the
// partial sums may stall below u.
func TestPoissonInversionMatchesWalk(t *testing.T) {
	us := []float64{0, 0x1p-53, 0.5, 0.9, 0.999999, 1 - 0x1p-52, 1 - 0x1p-53}
	for _, lam := range []float64{1e-300, 1e-9, 0.1, 1, 2.3, 5, 7.77, 9.5, 9.999999999} {
		s, err := NewPoissonSampler(lam)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			want := poissonWalk(u, lam)
			if got := s.Sample(rand.New(fixedUniform(u))); got != want {
				t.Errorf("lambda %v, u = %v: sampler %d, walk %d", lam, u, got, want)
			}
			if got := poissonInversion(rand.New(fixedUniform(u)), lam); got != want {
				t.Errorf("lambda %v, u = %v: block inversion %d, walk %d", lam, u, got, want)
			}
		}
	}
}

// fixedUniform is a source whose Float64 is always u (u a multiple of
// 2^-53 in [0, 1)): rand.Rand.Float64 divides the low 53 bits of Uint64 by
// 2^53.
type fixedUniform float64

func (f fixedUniform) Uint64() uint64 { return uint64(float64(f) * (1 << 53)) }

func TestNewPoissonSamplerInvalid(t *testing.T) {
	for _, tt := range []struct {
		name   string
		lambda float64
	}{
		{"negative", -1},
		{"NaN", math.NaN()},
		{"infinite", math.Inf(1)},
	} {
		if _, err := NewPoissonSampler(tt.lambda); err == nil {
			t.Errorf("%s: NewPoissonSampler(%v) returned no error", tt.name, tt.lambda)
		}
	}
	var zero PoissonSampler
	if got := zero.Sample(rand.New(rand.NewPCG(1, 2))); got != 0 {
		t.Errorf("zero PoissonSampler drew %d, want 0", got)
	}
	if got := Extinction(zero); got != 1 {
		t.Errorf("Extinction(zero sampler) = %v, want 1", got)
	}
}

// The sampler is an Offspring law like Poisson: same mean, PGF, PMF and
// extinction probability.
func TestPoissonSamplerLaw(t *testing.T) {
	s, err := NewPoissonSampler(1.5)
	if err != nil {
		t.Fatal(err)
	}
	p := Poisson{Lambda: 1.5}
	if s.Mean() != 1.5 || s.Lambda() != 1.5 || s.PGF(0.3) != p.PGF(0.3) || s.PMF(2) != p.PMF(2) {
		t.Errorf("sampler law differs from Poisson{1.5}")
	}
	// Reference: issue 7, Extinction(Poisson 1.5) = 0.4171883561.
	if q := Extinction(s); math.Abs(q-0.4171883561) > 1e-10 {
		t.Errorf("Extinction = %.10f, want 0.4171883561", q)
	}
	if got := AtLeast(s, 3); math.Abs(got-0.191153) > 1e-6 {
		t.Errorf("AtLeast(3) = %v, want 0.191153", got)
	}
}

// The table stops where no uniform passes it or where its terms underflow;
// when rounding stalls the sums below the largest uniform, that is the
// underflow, below 320 terms for a mean under 10 (the bound the sampler's
// doc states as 2.5 KB).
func TestPoissonTableSize(t *testing.T) {
	for lam := 0.001; lam < 10; lam += 0.0137 {
		cdf, _ := poissonTable(lam)
		if len(cdf) > 320 {
			t.Errorf("lambda %v: table of %d entries", lam, len(cdf))
		}
	}
}
