package growth

import (
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Binomial(10, 1/2) by hand: P(X <= 1) = 11/1024, P(X <= 2) = 56/1024,
// P(X <= 7) = 968/1024, P(X <= 8) = 1013/1024. At level 0.9 the 5% quantile
// is 2 and the 95% quantile 8. Two channels of Binomial(5, 1/2) sum to the
// same law.
func TestFunnelExactSmall(t *testing.T) {
	fc, err := Funnel(0.9, Channel{Name: "a", Reach: 10, Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if e := fc.Channels[0]; e.Low != 2 || e.High != 8 || e.Mean != 5 || e.Name != "a" || e.Level != 0.9 {
		t.Errorf("Binomial(10, 1/2): %+v, want [2, 8] around 5", e)
	}
	fc, err = Funnel(0.9, Channel{Name: "a", Reach: 5, Rate: 0.5}, Channel{Name: "b", Reach: 5, Rate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if e := fc.Total; e.Low != 2 || e.High != 8 || e.Mean != 5 {
		t.Errorf("two Binomial(5, 1/2): total %+v, want [2, 8] around 5", e)
	}
	// Binomial(5, 1/2): P(X <= 0) = 1/32 < 0.05 <= P(X <= 1) = 6/32;
	// P(X <= 3) = 26/32 < 0.95 <= P(X <= 4) = 31/32.
	if e := fc.Channels[1]; e.Low != 1 || e.High != 4 {
		t.Errorf("Binomial(5, 1/2): %+v, want [1, 4]", e)
	}
}

// Seed figures F14 and F15 as channels; the total's interval lies between
// the sums of the channels' bounds, and covers the mean.
func TestFunnelSeedChannels(t *testing.T) {
	fc, err := Funnel(0.95,
		Channel{Name: "article low (F14)", Reach: 20000, Rate: OfficialAccountLow},
		Channel{Name: "article high (F14)", Reach: 20000, Rate: OfficialAccountHigh},
		Channel{Name: "poster (F15)", Reach: 600, Rate: MomentsPosterMax},
	)
	if err != nil {
		t.Fatal(err)
	}
	wantMean := 20000*0.05 + 20000*0.08 + 600*0.15
	if math.Abs(fc.Total.Mean-wantMean) > 1e-9 {
		t.Errorf("total mean %v, want %v", fc.Total.Mean, wantMean)
	}
	lo, hi := 0, 0
	for _, e := range fc.Channels {
		lo += e.Low
		hi += e.High
		if float64(e.Low) > e.Mean || float64(e.High) < e.Mean {
			t.Errorf("%s: [%d, %d] misses the mean %v", e.Name, e.Low, e.High, e.Mean)
		}
	}
	if fc.Total.Low < lo || fc.Total.High > hi || float64(fc.Total.Low) > wantMean || float64(fc.Total.High) < wantMean {
		t.Errorf("total [%d, %d] outside [%d, %d] or misses %v", fc.Total.Low, fc.Total.High, lo, hi, wantMean)
	}
	// Normal approximation as a second source: the 95% half-width of the
	// total is about 1.96 standard deviations.
	sd := math.Sqrt(20000*0.05*0.95 + 20000*0.08*0.92 + 600*0.15*0.85)
	if half := float64(fc.Total.High-fc.Total.Low) / 2; math.Abs(half-1.96*sd) > 2 {
		t.Errorf("half-width %v, normal approximation %v", half, 1.96*sd)
	}
}

// The interval's tails each hold at most (1-level)/2, and one step inward
// they would hold more.
func TestFunnelQuantileProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := Channel{Reach: rapid.IntRange(0, 3000).Draw(t, "reach"), Rate: rapid.Float64Range(0, 1).Draw(t, "rate")}
		level := rapid.Float64Range(0.5, 0.99).Draw(t, "level")
		fc, err := Funnel(level, c)
		if err != nil {
			t.Fatal(err)
		}
		e := fc.Channels[0]
		b := Binomial{N: c.Reach, P: c.Rate}
		a := (1 - level) / 2
		below := 1 - AtLeast(b, e.Low)   // P(X < Low)
		atLow := 1 - AtLeast(b, e.Low+1) // P(X <= Low)
		atHigh := 1 - AtLeast(b, e.High+1)
		beforeHigh := 1 - AtLeast(b, e.High)
		const tol = 1e-9
		if below > a+tol || atLow < a-tol || atHigh < 1-a-tol || (e.High > e.Low && beforeHigh > 1-a+tol) {
			t.Fatalf("%+v: P(X < Low) %v, P(X <= Low) %v, P(X < High) %v, P(X <= High) %v, a %v",
				e, below, atLow, beforeHigh, atHigh, a)
		}
		if fc.Total != (Estimate{Mean: e.Mean, Low: e.Low, High: e.High, Level: level}) {
			t.Fatalf("one channel: total %+v, channel %+v", fc.Total, e)
		}
	})
}

func TestFunnelErrors(t *testing.T) {
	tests := []struct {
		name    string
		level   float64
		ch      []Channel
		wantErr string
	}{
		{"level 0", 0, nil, "level 0 must be in (0, 1)"},
		{"level 1", 1, nil, "level 1"},
		{"level NaN", math.NaN(), nil, "level NaN"},
		{"negative reach", 0.9, []Channel{{Name: "x", Reach: -1, Rate: 0.1}}, `channel "x" reach -1`},
		{"rate above 1", 0.9, []Channel{{Name: "y", Reach: 10, Rate: 1.1}}, `channel "y" rate 1.1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Funnel(tt.level, tt.ch...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	fc, err := Funnel(0.9)
	if err != nil || fc.Total.Mean != 0 || fc.Total.Low != 0 || fc.Total.High != 0 {
		t.Errorf("no channels: %+v, %v", fc, err)
	}
	if msg := panicMessage(func() { Channel{Reach: -1}.Expected() }); !strings.Contains(msg, "reach -1") {
		t.Errorf("Expected of an invalid channel panics with %q", msg)
	}
}

// Wilson score interval: 10 of 100 at 95% is [0.05523, 0.17437] (Python,
// statistics.NormalDist for z); for 0 successes the upper bound has the
// closed form z²/(n+z²).
func TestConversionInterval(t *testing.T) {
	lo, hi, err := ConversionInterval(10, 100, 0.95)
	if err != nil || math.Abs(lo-0.0552291370606751) > 1e-12 || math.Abs(hi-0.17436566150491345) > 1e-12 {
		t.Errorf("10/100: [%v, %v], %v", lo, hi, err)
	}
	lo, hi, err = ConversionInterval(0, 100, 0.95)
	if err != nil || lo != 0 || math.Abs(hi-0.03699349820698566) > 1e-12 {
		t.Errorf("0/100: [%v, %v], %v", lo, hi, err)
	}
	lo, hi, err = ConversionInterval(100, 100, 0.95)
	if err != nil || hi != 1 || math.Abs(lo-(1-0.03699349820698566)) > 1e-12 {
		t.Errorf("100/100: [%v, %v], %v", lo, hi, err)
	}
	for _, bad := range []struct{ j, n int }{{1, 0}, {-1, 10}, {11, 10}} {
		if _, _, err := ConversionInterval(bad.j, bad.n, 0.95); err == nil {
			t.Errorf("%d/%d: no error", bad.j, bad.n)
		}
	}
	if _, _, err := ConversionInterval(1, 10, 1); err == nil {
		t.Errorf("level 1: no error")
	}
}
