package metrics

import (
	"math"
	"strings"
	"testing"
)

// Reference values: issue 5, recomputed independently; the formulas are
// those of Wilson (1927) and Newcombe (1998), method 10, and the sample size
// that of Fleiss, Levin & Paik (2003), section 4.2, without continuity
// correction.
func TestWilsonReference(t *testing.T) {
	got, err := Wilson(430, 474, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := Interval{0.877675, 0.930124}
	if math.Abs(got.Lo-want.Lo) > 1e-6 || math.Abs(got.Hi-want.Hi) > 1e-6 {
		t.Errorf("Wilson(430 of 474) = %v, want %v (issue 5)", got, want)
	}
}

func TestWilsonEdges(t *testing.T) {
	// With no success the Wilson interval starts at 0 and ends at
	// z²/(n+z²) (Wilson 1927); with all successes it mirrors.
	z2 := 1.959963984540054 * 1.959963984540054
	for _, tt := range []struct {
		name string
		s, n int
		want Interval
	}{
		{"no success", 0, 10, Interval{0, z2 / (10 + z2)}},
		{"all successes", 10, 10, Interval{10 / (10 + z2), 1}},
	} {
		got, err := Wilson(tt.s, tt.n, 0)
		if err != nil || math.Abs(got.Lo-tt.want.Lo) > 1e-12 || math.Abs(got.Hi-tt.want.Hi) > 1e-12 {
			t.Errorf("%s: Wilson = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	for _, bad := range [][3]float64{{1, 0, 0.95}, {-1, 5, 0.95}, {6, 5, 0.95}, {1, 5, 1}, {1, 5, -0.5}} {
		if _, err := Wilson(int(bad[0]), int(bad[1]), bad[2]); err == nil || !strings.HasPrefix(err.Error(), "metrics: wilson: ") {
			t.Errorf("Wilson%v: error %v, want a metrics: wilson: error", bad, err)
		}
	}
}

func TestABTestReference(t *testing.T) {
	r, err := ABTest(120, 1000, 150, 1000, ABOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"z", r.Z, -1.963050},
		{"p", r.P, 0.049640},
		{"newcombe lo", r.DiffInterval.Lo, -0.060008},
		{"newcombe hi", r.DiffInterval.Hi, -0.000014},
		{"diff", r.Diff, -0.03},
	} {
		if math.Abs(c.got-c.want) > 1e-6 {
			t.Errorf("%s = %.7f, want %.6f (issue 5)", c.name, c.got, c.want)
		}
	}
	if !r.Testable || r.A.Rate != (Ratio{Num: 120, Den: 1000}) || r.Lift != (Ratio{Num: 30000, Den: 120000}) || r.Lift.String() != "25.0%" {
		t.Errorf("rates and lift: %+v", r)
	}
	// The seed's example (F28): a claim rate up by 180% is a lift of 1.8.
	r, _ = ABTest(50, 1000, 140, 1000, ABOptions{})
	if r.Lift.String() != "180.0%" {
		t.Errorf("lift of 5%% to 14%% = %v, want 180.0%%", r.Lift)
	}
}

func TestABTestUntestableAndErrors(t *testing.T) {
	r, err := ABTest(0, 10, 0, 20, ABOptions{})
	if err != nil || r.Testable || r.Z != 0 || r.P != 1 || r.Lift.Defined() {
		t.Errorf("no success in either arm: %+v, %v; want untestable with undefined lift", r, err)
	}
	for _, tt := range []struct {
		name       string
		sa, na, sb int
		nb         int
		o          ABOptions
		want       string
	}{
		{"empty arm", 0, 0, 1, 2, ABOptions{}, "arm A trials 0"},
		{"too many successes", 1, 2, 3, 2, ABOptions{}, "arm B successes 3"},
		{"confidence 1", 1, 2, 1, 2, ABOptions{Confidence: 1}, "confidence 1"},
	} {
		if _, err := ABTest(tt.sa, tt.na, tt.sb, tt.nb, tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSampleSizeReference(t *testing.T) {
	n, err := SampleSize(0.10, 0.12, SampleOptions{})
	if err != nil || n != 3841 {
		t.Errorf("SampleSize(0.10, 0.12) = %d, %v; want 3841 (issue 5)", n, err)
	}
	// Symmetric in its arguments.
	if m, _ := SampleSize(0.12, 0.10, SampleOptions{Alpha: 0.05, Power: 0.8}); m != n {
		t.Errorf("SampleSize(0.12, 0.10) = %d, want %d", m, n)
	}
	// More power needs more trials.
	if m, _ := SampleSize(0.10, 0.12, SampleOptions{Power: 0.9}); m <= n {
		t.Errorf("power 0.9 needs %d, not more than %d at 0.8", m, n)
	}
	for _, tt := range []struct {
		name   string
		p1, p2 float64
		o      SampleOptions
		want   string
	}{
		{"equal", 0.1, 0.1, SampleOptions{}, "equal"},
		{"zero", 0, 0.1, SampleOptions{}, "strictly between 0 and 1"},
		{"alpha", 0.1, 0.2, SampleOptions{Alpha: 1.5}, "alpha 1.5"},
		{"power", 0.1, 0.2, SampleOptions{Power: -1}, "power -1"},
		{"too close", 0.1, 0.1 + 1e-9, SampleOptions{}, "too large"},
	} {
		if _, err := SampleSize(tt.p1, tt.p2, tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
