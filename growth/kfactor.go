package growth

import (
	"fmt"
	"math"
	"time"
)

// The K-factor model: every new member sends invites, a share of which
// convert, so each member brings K = invites × conversion new members one
// cycle after joining, and then brings no more. Generation 0 is the seed
// members, generation i has seed·K^i members. The functions below are its
// closed forms; they are deterministic (expected values). For the spread
// around them use the branching-process functions or [MonteCarlo].

// KFactor returns the viral coefficient invites × conversion: the members each
// member brings. With F16's "1:2.3" layer coefficient, K = 2.3. It returns
// It panics unless invites is finite and at least 0 and conversion is in
// [0, 1]: the numbers are the caller's own, so a bad one is a programmer
// error (see [Offspring] for the rule).
func KFactor(invites, conversion float64) float64 {
	if !(invites >= 0) || math.IsInf(invites, 1) {
		panic(fmt.Sprintf("growth: KFactor: invites %v must be finite and at least 0", invites))
	}
	if !(conversion >= 0 && conversion <= 1) {
		panic(fmt.Sprintf("growth: KFactor: conversion %v must be in [0, 1]", conversion))
	}
	return invites * conversion
}

// Cumulative returns the members through generation n of the K-factor model:
// seed·(1 + k + k² + ... + k^n) = seed·(k^(n+1) - 1)/(k - 1), or
// seed·(n+1) when k = 1. Generation 0 is the seed itself, so
// Cumulative(seed, k, 0) = seed. It panics for a negative or NaN seed or
// k, or a negative n. Cost O(1).
func Cumulative(seed, k float64, n int) float64 {
	checkSeedK("Cumulative", seed, k)
	if n < 0 {
		panic(fmt.Sprintf("growth: Cumulative: generation %d must be at least 0", n))
	}
	return seed * geomSum(k, float64(n)+1)
}

// checkSeedK panics unless seed and k are at least 0 (and not NaN): the
// parameters every closed form shares.
func checkSeedK(fn string, seed, k float64) {
	if !(seed >= 0) {
		panic(fmt.Sprintf("growth: %s: seed %v must be at least 0", fn, seed))
	}
	if !(k >= 0) {
		panic(fmt.Sprintf("growth: %s: k %v must be at least 0", fn, k))
	}
}

// geomSum returns 1 + k + ... + k^(terms-1) = (k^terms - 1)/(k - 1), for a
// real number of terms, accurately when k is near 1.
func geomSum(k, terms float64) float64 {
	if k == 1 {
		return terms
	}
	if k == 0 {
		if terms >= 1 {
			return 1
		}
		return terms // the real-valued extension of the empty sum
	}
	lk := math.Log(k)
	// expm1 and log keep the ratio accurate for k close to 1.
	return math.Expm1(terms*lk) / math.Expm1(lk)
}

// CyclesToReach returns the real number of cycles n at which the continuous
// extension of [Cumulative] first reaches target: the n solving
// seed·(k^(n+1) - 1)/(k - 1) = target, that is
// n = log(1 + target·(k-1)/seed)/log(k) - 1 (n = target/seed - 1 when
// k = 1). Round it up for whole cycles. It returns 0 when target <= seed
// (the seed is already there) and +Inf when the target is out of reach:
// k < 1 with target >= seed/(1-k), the limit of the series. It panics for
// a seed that is not finite and positive, a negative or NaN k, or a NaN
// target. Cost O(1).
func CyclesToReach(seed, k, target float64) float64 {
	if !(seed > 0) || math.IsInf(seed, 1) {
		panic(fmt.Sprintf("growth: CyclesToReach: seed %v must be finite and positive", seed))
	}
	checkSeedK("CyclesToReach", seed, k)
	if math.IsNaN(target) {
		panic("growth: CyclesToReach: target NaN must be a number")
	}
	if target <= seed {
		return 0
	}
	if math.IsInf(target, 1) {
		return math.Inf(1)
	}
	switch {
	case k == 1:
		return target/seed - 1
	case k < 1 && target >= seed/(1-k):
		return math.Inf(1) // k = 0 included: the limit is the seed itself
	}
	// log1p keeps the precision when target·(k-1)/seed is small.
	return math.Log1p(target*(k-1)/seed)/math.Log(k) - 1
}

// Amplification returns 1/(1-k): the total members per seed member of the
// whole campaign when k < 1 (the limit of Cumulative as n grows), and +Inf
// when k >= 1, where growth has no limit. It panics for a negative or NaN
// k.
func Amplification(k float64) float64 {
	checkSeedK("Amplification", 0, k)
	if k >= 1 {
		return math.Inf(1)
	}
	return 1 / (1 - k)
}

// MembersAt returns the members of the K-factor model at elapsed time since
// the seed joined, for a cycle time: generation i joins at i·cycle, so this
// is Cumulative(seed, k, floor(elapsed/cycle)), a step function. It returns
// 0 before the start (elapsed < 0); it panics for a cycle <= 0 or a seed
// or k that [Cumulative] rejects. Cost O(1).
func MembersAt(seed, k float64, cycle, elapsed time.Duration) float64 {
	if cycle <= 0 {
		panic(fmt.Sprintf("growth: MembersAt: cycle %v must be positive", cycle))
	}
	checkSeedK("MembersAt", seed, k)
	if elapsed < 0 {
		return 0
	}
	return Cumulative(seed, k, int(elapsed/cycle))
}

// Retained returns the members still present after generation n when each
// cohort stays with probability r per cycle (churn 1-r) and joiners invite
// in the cycle they join, whether or not they later leave:
// seed·Σ_{i=0..n} k^i·r^(n-i) = seed·(k^(n+1) - r^(n+1))/(k - r), or
// seed·(n+1)·k^n when k = r. With r = 1 it is [Cumulative]. It panics for
// a negative or NaN seed or k, a negative n, or r outside [0, 1]. Cost
// O(1).
//
// When a member who leaves invites nobody (churn before inviting), use an
// effective K of k·r instead: [Cumulative](seed, k·r, n) members joined.
func Retained(seed, k, r float64, n int) float64 {
	checkSeedK("Retained", seed, k)
	if n < 0 {
		panic(fmt.Sprintf("growth: Retained: generation %d must be at least 0", n))
	}
	if !(r >= 0 && r <= 1) {
		panic(fmt.Sprintf("growth: Retained: retention %v must be in [0, 1]", r))
	}
	if r == 1 {
		return Cumulative(seed, k, n)
	}
	nf := float64(n)
	switch {
	case k == 0 && r == 0:
		if n == 0 {
			return seed
		}
		return 0
	case k >= r:
		// Σ k^i r^(n-i) = k^n Σ (r/k)^j: the ratio stays in [0, 1], so
		// nothing overflows before the final product.
		return seed * math.Pow(k, nf) * geomSum(r/k, nf+1)
	default:
		return seed * math.Pow(r, nf) * geomSum(k/r, nf+1)
	}
}
