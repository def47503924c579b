package growth

import (
	"math"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// near reports whether got is within tol of want, relative to max(1, |want|).
func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || (math.IsNaN(got) && math.IsNaN(want))
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// Reference values of issue 7 ("recomputed independently"); rechecked with
// Python's math module: 100*(1.25**11-1)/0.25 and log(26)/log(1.25) - 1.
func TestKFactorReference(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Cumulative(100, 1.25, 10)", Cumulative(100, 1.25, 10), 4256.612873},
		{"CyclesToReach(100, 1.25, 10000)", CyclesToReach(100, 1.25, 10000), 13.600899},
		{"F16 Cumulative(100, 2.3, 4)", Cumulative(100, 2.3, 4), 100 * (math.Pow(2.3, 5) - 1) / 1.3},
		{"Amplification(0.5)", Amplification(0.5), 2},
		{"KFactor(3, 0.5)", KFactor(3, 0.5), 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The issue gives 6 decimals: half a unit of the last place.
			if math.Abs(tt.got-tt.want) > 5e-7 {
				t.Errorf("got %.9f, want %.9f", tt.got, tt.want)
			}
		})
	}
}

func TestKFactorEdges(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name      string
		got, want float64
	}{
		{"cumulative k=1 is seed·(n+1)", Cumulative(10, 1, 4), 50},
		{"cumulative k=0 is the seed", Cumulative(10, 0, 4), 10},
		{"cumulative n=0 is the seed", Cumulative(10, 3, 0), 10},
		{"cumulative k near 1 stays accurate", Cumulative(1, 1+1e-12, 9), 10 + 45e-12},
		{"cycles target below seed", CyclesToReach(100, 2, 50), 0},
		{"cycles k=1", CyclesToReach(100, 1, 500), 4},
		{"cycles k<1 out of reach at the limit", CyclesToReach(100, 0.5, 200), inf},
		{"cycles k<1 within reach", CyclesToReach(100, 0.5, 150), 1}, // 100(1-0.5^(n+1))/0.5 = 150 at n = 1
		{"cycles k=0 beyond the seed", CyclesToReach(100, 0, 101), inf},
		{"cycles infinite target", CyclesToReach(100, 2, inf), inf},
		{"amplification k=1", Amplification(1), inf},
		{"amplification k=0", Amplification(0), 1},
		{"retained r=1 is cumulative", Retained(100, 1.25, 1, 10), 4256.612873077393},
		{"retained k=r", Retained(1, 0.5, 0.5, 3), 4 * 0.125},
		{"retained r=0 keeps the newest", Retained(100, 2, 0, 3), 800},
		{"retained k=0 keeps the seed's survivors", Retained(100, 0, 0.5, 3), 12.5},
		{"retained k=0 r=0 after a cycle", Retained(100, 0, 0, 1), 0},
		{"retained k=0 r=0 at start", Retained(100, 0, 0, 0), 100},
		{"retained no overflow, small r", Retained(1, 1.5, 0.01, 400), math.Pow(1.5, 400) / (1 - 0.01/1.5)},
		{"members before start", MembersAt(100, 2, time.Hour, -time.Minute), 0},
		{"members in the first cycle", MembersAt(100, 2, time.Hour, 59*time.Minute), 100},
		{"members at the second cycle", MembersAt(100, 2, time.Hour, 2*time.Hour), 700},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !near(tt.got, tt.want, 1e-12) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// Issue 22: a bad parameter of a closed form panics with a message that
// names the function and the value, never a silent NaN.
func TestKFactorPanics(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		call func()
		want string
	}{
		{"cumulative negative n", func() { Cumulative(10, 2, -1) }, "Cumulative: generation -1"},
		{"cumulative negative seed", func() { Cumulative(-1, 2, 1) }, "Cumulative: seed -1"},
		{"cumulative negative k", func() { Cumulative(1, -2, 1) }, "Cumulative: k -2"},
		{"cumulative NaN k", func() { Cumulative(1, nan, 1) }, "Cumulative: k NaN"},
		{"cycles zero seed", func() { CyclesToReach(0, 2, 10) }, "CyclesToReach: seed 0"},
		{"cycles NaN target", func() { CyclesToReach(1, 2, nan) }, "CyclesToReach: target NaN"},
		{"amplification negative", func() { Amplification(-0.1) }, "Amplification: k -0.1"},
		{"kfactor bad conversion", func() { KFactor(3, 1.5) }, "KFactor: conversion 1.5"},
		{"kfactor negative invites", func() { KFactor(-3, 0.5) }, "KFactor: invites -3"},
		{"retained bad r", func() { Retained(1, 1, 1.5, 1) }, "Retained: retention 1.5"},
		{"members zero cycle", func() { MembersAt(100, 2, 0, time.Hour) }, "MembersAt: cycle 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(tt.call); !strings.HasPrefix(msg, "growth: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("panics with %q, want %q", msg, tt.want)
			}
		})
	}
}

// The closed forms against the sums they stand for, computed term by term.
func TestKFactorMatchesSeries(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Float64Range(0, 1e4).Draw(t, "seed")
		k := rapid.Float64Range(0, 3).Draw(t, "k")
		r := rapid.Float64Range(0, 1).Draw(t, "r")
		n := rapid.IntRange(0, 40).Draw(t, "n")
		var cum, ret float64
		for i := 0; i <= n; i++ {
			cum += seed * math.Pow(k, float64(i))
			ret += seed * math.Pow(k, float64(i)) * math.Pow(r, float64(n-i))
		}
		if got := Cumulative(seed, k, n); !near(got, cum, 1e-9) {
			t.Fatalf("Cumulative = %v, series %v", got, cum)
		}
		if got := Retained(seed, k, r, n); !near(got, ret, 1e-9) {
			t.Fatalf("Retained = %v, series %v", got, ret)
		}
		if Retained(seed, k, r, n) > Cumulative(seed, k, n)*(1+1e-12) {
			t.Fatalf("more retained than joined")
		}
	})
}

// CyclesToReach inverts the real-valued extension of Cumulative, and whole
// cycles reach the target.
func TestCyclesToReachInvertsCumulative(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Float64Range(1, 1e4).Draw(t, "seed")
		k := rapid.Float64Range(0.05, 4).Draw(t, "k")
		target := seed * rapid.Float64Range(1.001, 1e3).Draw(t, "ratio")
		n := CyclesToReach(seed, k, target)
		if math.IsInf(n, 1) {
			if k >= 1 || target < seed/(1-k) {
				t.Fatalf("+Inf for a reachable target")
			}
			return
		}
		if got := seed * geomSum(k, n+1); !near(got, target, 1e-9) {
			t.Fatalf("seed·S(n+1) = %v at n = %v, want %v", got, n, target)
		}
		whole := int(math.Ceil(n - 1e-9))
		if Cumulative(seed, k, whole) < target*(1-1e-9) {
			t.Fatalf("Cumulative at %d cycles = %v < %v", whole, Cumulative(seed, k, whole), target)
		}
	})
}
