package metrics

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestRatioString(t *testing.T) {
	for _, tt := range []struct {
		r    Ratio
		want string
	}{
		{Ratio{Num: 47, Den: 200}, "23.5%"},
		{Ratio{Num: 1, Den: 3}, "33.3%"},
		{Ratio{Num: 2, Den: 3}, "66.7%"},
		{Ratio{Num: 1, Den: 2000}, "0.1%"},   // 0.05% rounds half away from zero
		{Ratio{Num: 1, Den: 2001}, "0.0%"},   // just below half
		{Ratio{Num: -1, Den: 2000}, "-0.1%"}, // away from zero on both sides
		{Ratio{Num: 1, Den: -8}, "-12.5%"},
		{Ratio{Num: 0, Den: 5}, "0.0%"},
		{Ratio{Num: -1, Den: 3000}, "0.0%"}, // no "-0.0%"
		{Ratio{Num: 9, Den: 5}, "180.0%"},   // the seed's +180% (F28) as a lift
		{Ratio{Num: math.MaxInt64, Den: 1}, "922337203685477580700.0%"},
		{Ratio{}, "undefined"},
		{Ratio{Num: 3, Den: 0}, "undefined"},
	} {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%d/%d: String = %q, want %q", tt.r.Num, tt.r.Den, got, tt.want)
		}
	}
}

func TestRatioFloat(t *testing.T) {
	if f, ok := (Ratio{Num: 1, Den: 4}).Float(); f != 0.25 || !ok {
		t.Errorf("1/4: Float = %v, %v", f, ok)
	}
	if _, ok := (Ratio{Num: 1, Den: 0}).Float(); ok {
		t.Error("1/0: Float reports defined")
	}
}

// Cmp agrees with exact rational comparison, also where the products
// overflow 64 bits.
func TestRatioCmpProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.Int64Range(math.MinInt64+1, math.MaxInt64)
		a := Ratio{Num: gen.Draw(t, "an"), Den: gen.Filter(func(x int64) bool { return x != 0 }).Draw(t, "ad")}
		b := Ratio{Num: gen.Draw(t, "bn"), Den: gen.Filter(func(x int64) bool { return x != 0 }).Draw(t, "bd")}
		ra, rb := ratFrom(a), ratFrom(b)
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("%v.Cmp(%v) = %d, want %d", a, b, got, want)
		}
	})
}

func TestRatioCmpUndefined(t *testing.T) {
	if (Ratio{}).Cmp(Ratio{Num: 0, Den: 1}) != -1 || (Ratio{Num: 0, Den: 1}).Cmp(Ratio{}) != 1 || (Ratio{}).Cmp(Ratio{Num: 5, Den: 0}) != 0 {
		t.Error("undefined ratios do not sort below defined ones")
	}
}

func TestFormulaHelpers(t *testing.T) {
	for _, tt := range []struct {
		name    string
		got     func() (Ratio, error)
		want    Ratio
		wantErr string
	}{
		{"activity F25", func() (Ratio, error) { return ActivityRate(18, 100) }, Ratio{Num: 18, Den: 100}, ""},
		{"activity without members is undefined", func() (Ratio, error) { return ActivityRate(0, 0) }, Ratio{}, ""},
		{"activity speakers exceed members", func() (Ratio, error) { return ActivityRate(5, 4) }, Ratio{}, "speakers 5 exceed members 4"},
		{"activity negative", func() (Ratio, error) { return ActivityRate(-1, 4) }, Ratio{}, "speakers -1 must not be negative"},
		{"retention F26", func() (Ratio, error) { return RetentionRate(3, 5) }, Ratio{Num: 3, Den: 5}, ""},
		{"retention too many", func() (Ratio, error) { return RetentionRate(6, 5) }, Ratio{}, "retained 6 exceed joined 5"},
		{"reach F27", func() (Ratio, error) { return ReachRate(85, 110, 10) }, Ratio{Num: 85, Den: 100}, ""},
		{"reach all muted is undefined", func() (Ratio, error) { return ReachRate(0, 3, 3) }, Ratio{Num: 0, Den: 0}, ""},
		{"reach muted exceed recipients", func() (Ratio, error) { return ReachRate(0, 3, 4) }, Ratio{}, "muted 4 exceed recipients 3"},
		{"reach readers exceed unmuted", func() (Ratio, error) { return ReachRate(3, 3, 1) }, Ratio{}, "readers 3 exceed unmuted recipients 2"},
		{"response F3", func() (Ratio, error) { return ResponseRate(31, 100) }, Ratio{Num: 31, Den: 100}, ""},
		{"response too many", func() (Ratio, error) { return ResponseRate(2, 1) }, Ratio{}, "responders 2 exceed recipients 1"},
		{"leave rate F42", func() (Ratio, error) { return LeaveRate(8, 90, 10) }, Ratio{Num: 8, Den: 100}, ""},
		{"leave rate too many", func() (Ratio, error) { return LeaveRate(3, 1, 1) }, Ratio{}, "leaves 3 exceed members at start plus joins 2"},
		{"leave rate negative joins", func() (Ratio, error) { return LeaveRate(0, 1, -1) }, Ratio{}, "joins -1 must not be negative"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), "metrics: ") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("= %v (%d/%d), %v; want %d/%d", got, got.Num, got.Den, err, tt.want.Num, tt.want.Den)
			}
		})
	}
}

func ratFrom(r Ratio) *big.Rat { return new(big.Rat).SetFrac(big.NewInt(r.Num), big.NewInt(r.Den)) }
