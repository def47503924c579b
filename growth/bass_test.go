package growth

import (
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Reference values of issue 7 (6 decimals); the peak time also follows the
// textbook formula t* = ln(q/p)/(p+q) (Bass 1969; Mahajan, Muller and Bass
// 1990), evaluated here directly.
func TestBassReference(t *testing.T) {
	b := Bass{P: 0.03, Q: 0.38}
	tests := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"issue 7 F(10)", b.F(10), 0.812803, 5e-7},
		{"issue 7 peak", b.Peak(), 6.192619, 5e-7},
		{"textbook peak ln(q/p)/(p+q)", b.Peak(), math.Log(0.38/0.03) / 0.41, 1e-15},
		{"F at the peak is (q-p)/(2q)", b.F(b.Peak()), (0.38 - 0.03) / (2 * 0.38), 1e-15},
		{"peak height (p+q)²/(4q)", b.PeakHeight(), 0.41 * 0.41 / (4 * 0.38), 1e-15},
		{"height is the density at the peak", b.Density(b.Peak()), b.PeakHeight(), 1e-15},
		{"F(0)", b.F(0), 0, 0},
		{"F before the start", b.F(-3), 0, 0},
		{"density at 0 is p", b.Density(0), 0.03, 1e-15},
		{"density before the start", b.Density(-1), 0, 0},
		{"F far out", b.F(1e6), 1, 0},
		{"no imitation: F = 1 - e^{-pt}", Bass{P: 0.1}.F(3), -math.Expm1(-0.3), 1e-15},
		{"q <= p peaks at 0", Bass{P: 0.2, Q: 0.1}.Peak(), 0, 0},
		{"q <= p height is p", Bass{P: 0.2, Q: 0.1}.PeakHeight(), 0.2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.Abs(tt.got-tt.want) > tt.tol {
				t.Errorf("got %.12g, want %.12g", tt.got, tt.want)
			}
		})
	}
	for _, bad := range []Bass{{}, {P: -0.1, Q: 0.3}, {P: 0.1, Q: -0.3}, {P: math.NaN(), Q: 1}, {P: 0.1, Q: math.Inf(1)}} {
		err := bad.Validate()
		if err == nil {
			t.Errorf("%+v: Validate gave no error", bad)
			continue
		}
		// Issue 22: a panic with Validate's message, never a silent NaN.
		for name, call := range map[string]func(){"F": func() { bad.F(1) }, "Density": func() { bad.Density(1) },
			"Peak": func() { bad.Peak() }, "PeakHeight": func() { bad.PeakHeight() }} {
			if msg := panicMessage(call); !strings.Contains(msg, err.Error()) || !strings.Contains(msg, "Bass."+name) {
				t.Errorf("%+v: %s panics with %q, want %q", bad, name, msg, err)
			}
		}
	}
	if msg := panicMessage(func() { b.F(math.NaN()) }); !strings.Contains(msg, "Bass.F: time NaN") {
		t.Errorf("F(NaN) panics with %q", msg)
	}
}

// F is increasing from 0 to 1, Density is its derivative, and Peak is
// where Density is highest.
func TestBassProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := Bass{P: rapid.Float64Range(1e-3, 0.5).Draw(t, "p"), Q: rapid.Float64Range(0, 2).Draw(t, "q")}
		t1 := rapid.Float64Range(0.01, 50).Draw(t, "t")
		t2 := t1 + rapid.Float64Range(0.001, 10).Draw(t, "dt")
		if f1, f2 := b.F(t1), b.F(t2); !(0 <= f1 && f1 <= f2 && f2 <= 1) {
			t.Fatalf("F(%v) = %v, F(%v) = %v", t1, f1, t2, f2)
		}
		h := 1e-5
		num := (b.F(t1+h) - b.F(t1-h)) / (2 * h)
		if d := b.Density(t1); math.Abs(num-d) > 1e-6*(1+d) {
			t.Fatalf("Density(%v) = %v, numerical derivative %v", t1, d, num)
		}
		pk := b.Peak()
		for _, x := range []float64{pk * 0.9, pk + 0.1, pk * 1.1, pk + 1} {
			if b.Density(x) > b.Density(pk)*(1+1e-12) {
				t.Fatalf("Density(%v) = %v above the peak %v at %v", x, b.Density(x), b.Density(pk), pk)
			}
		}
	})
}

func TestFitBassRecovers(t *testing.T) {
	truth := Bass{P: 0.03, Q: 0.38}
	var ts, cum []float64
	for i := 1; i <= 15; i++ {
		ts = append(ts, float64(i))
		cum = append(cum, 3000*truth.F(float64(i)))
	}
	for _, market := range []float64{0, 3000} {
		fit, err := FitBass(ts, cum, market)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(fit.Bass.P-0.03) > 1e-6 || math.Abs(fit.Bass.Q-0.38) > 1e-6 || math.Abs(fit.Market-3000) > 1e-3 {
			t.Errorf("market %v: fit %+v, want P 0.03, Q 0.38, M 3000", market, fit)
		}
	}
	// With noise the fit stays close: ±1% multiplicative, alternating.
	noisy := make([]float64, len(cum))
	for i, c := range cum {
		noisy[i] = c * (1 + 0.01*float64(1-2*(i%2)))
	}
	fit, err := FitBass(ts, noisy, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Bass.P-0.03) > 0.005 || math.Abs(fit.Bass.Q-0.38) > 0.05 || math.Abs(fit.Market-3000) > 100 {
		t.Errorf("noisy fit %+v", fit)
	}
	var sse float64
	for i := range ts {
		r := noisy[i] - fit.Market*fit.Bass.F(ts[i])
		sse += r * r
	}
	if math.Abs(sse-fit.SSE) > 1e-9*sse {
		t.Errorf("SSE %v, recomputed %v", fit.SSE, sse)
	}
}

func TestFitBassErrors(t *testing.T) {
	tests := []struct {
		name    string
		t, c    []float64
		market  float64
		wantErr string
	}{
		{"length mismatch", []float64{1, 2, 3}, []float64{1, 2}, 0, "3 times but 2 counts"},
		{"too few points", []float64{1, 2}, []float64{1, 2}, 0, "at least 3 points, got 2"},
		{"too few with a market", []float64{1}, []float64{1}, 10, "at least 2 points, got 1"},
		{"negative time", []float64{-1, 2, 3}, []float64{1, 2, 3}, 0, "time -1 at index 0"},
		{"time not increasing", []float64{1, 2, 2}, []float64{1, 2, 3}, 0, "time 2 at index 2 must be after 2"},
		{"NaN count", []float64{1, 2, 3}, []float64{1, math.NaN(), 3}, 0, "count NaN at index 1"},
		{"infinite market", []float64{1, 2, 3}, []float64{1, 2, 3}, math.Inf(1), "market +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitBass(tt.t, tt.c, tt.market)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "growth: ") {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// FitBass accepts any series and never panics; whatever it returns for valid
// input is a valid model with a finite fit.
func FuzzFitBass(f *testing.F) {
	f.Add([]byte{1, 3, 9, 20, 40, 60, 70, 74}, 0.0)
	f.Add([]byte{0, 0, 0}, 0.0)
	f.Add([]byte{5, 5, 5, 5}, 100.0)
	f.Fuzz(func(t *testing.T, data []byte, market float64) {
		if len(data) > 64 {
			return
		}
		ts := make([]float64, len(data))
		cum := make([]float64, len(data))
		total := 0.0
		for i, d := range data {
			ts[i] = float64(i)
			total += float64(d)
			cum[i] = total
		}
		fit, err := FitBass(ts, cum, market)
		if err != nil {
			return
		}
		if fit.Bass.Validate() != nil || math.IsNaN(fit.SSE) || math.IsNaN(fit.Market) {
			t.Fatalf("fit %+v of %v", fit, cum)
		}
	})
}
