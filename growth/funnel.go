package growth

import (
	"fmt"
	"math"

	"github.com/qunops/qunops/internal/stats"
)

// Conversion rates of the seed's channels, as shares of the people reached.
const (
	// OfficialAccountLow and OfficialAccountHigh bound the share of an
	// official account's followers who join from an article carrying the
	// group QR code and a passphrase (seed F14: about 5%-8%).
	OfficialAccountLow  = 0.05
	OfficialAccountHigh = 0.08
	// MomentsPosterMax is the most of a personal account's friends who join
	// from a Moments poster (seed F15: up to 15%); treat it as an optimistic
	// bound, not a typical rate.
	MomentsPosterMax = 0.15
)

// Channel is one way of reaching people: Reach people see it and each joins
// independently with probability Rate, so its joins are Binomial(Reach,
// Rate). For the seed's channels see [OfficialAccountLow] (F14) and
// [MomentsPosterMax] (F15).
type Channel struct {
	Name  string
	Reach int     // people exposed, >= 0
	Rate  float64 // conversion probability, in [0, 1]
}

// Validate reports an error unless Reach >= 0 and Rate is in [0, 1].
func (c Channel) Validate() error {
	if c.Reach < 0 {
		return fmt.Errorf("growth: channel %q reach %d must be at least 0", c.Name, c.Reach)
	}
	if !(c.Rate >= 0 && c.Rate <= 1) {
		return fmt.Errorf("growth: channel %q rate %v must be in [0, 1]", c.Name, c.Rate)
	}
	return nil
}

// Expected returns Reach × Rate, the expected joins; it panics when the
// channel is invalid (see Validate).
func (c Channel) Expected() float64 {
	if err := c.Validate(); err != nil {
		invalid("Channel.Expected", err)
	}
	return float64(c.Reach) * c.Rate
}

// Estimate is the forecast of joins from one channel or a mix: the expected
// value and a central interval of the exact distribution.
type Estimate struct {
	Name  string  // the channel's name; empty for a mix
	Mean  float64 // expected joins
	Low   int     // the (1-Level)/2 quantile of the joins
	High  int     // the (1+Level)/2 quantile of the joins
	Level float64 // the interval's nominal coverage
}

// Forecast is the result of [Funnel]: one estimate per channel, in the
// order given, and one for their total.
type Forecast struct {
	Channels []Estimate
	Total    Estimate
}

// Funnel forecasts the joins from a mix of channels reached independently
// (a person reached by two channels counts twice: deduplicate reach
// first). Each channel's joins are Binomial(Reach, Rate); the total is their
// sum, whose distribution is computed exactly by convolution. Intervals are
// central quantile intervals at the given level in (0, 1) (e.g. 0.9): Low is
// the smallest count whose cumulative probability reaches (1-level)/2, High
// the smallest reaching (1+level)/2, so each tail beyond them holds at most
// (1-level)/2. Cost: O(Σ w_i · w_total) where w is about 24 standard
// deviations of a channel's joins.
func Funnel(level float64, channels ...Channel) (Forecast, error) {
	if !(level > 0 && level < 1) {
		return Forecast{}, fmt.Errorf("growth: funnel level %v must be in (0, 1)", level)
	}
	for _, c := range channels {
		if err := c.Validate(); err != nil {
			return Forecast{}, err
		}
	}
	fc := Forecast{Channels: make([]Estimate, len(channels))}
	totalLo, total := 0, []float64{1}
	mean := 0.0
	for i, c := range channels {
		lo, pmf := binomialWindow(c.Reach, c.Rate)
		e := Estimate{Name: c.Name, Mean: c.Expected(), Level: level}
		e.Low, e.High = quantiles(lo, pmf, level)
		fc.Channels[i] = e
		mean += e.Mean
		total = convolve(total, pmf)
		totalLo += lo
	}
	fc.Total = Estimate{Mean: mean, Level: level}
	fc.Total.Low, fc.Total.High = quantiles(totalLo, total, level)
	return fc, nil
}

// binomialWindow returns the Binomial(n, p) probabilities over a window
// [lo, lo+len) that holds all but a negligible (below 1e-20) part of the
// mass.
func binomialWindow(n int, p float64) (int, []float64) {
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	lo := max(0, int(math.Floor(mean-12*sd-30)))
	hi := min(n, int(math.Ceil(mean+12*sd+30)))
	b := Binomial{N: n, P: p}
	pmf := make([]float64, hi-lo+1)
	for k := lo; k <= hi; k++ {
		pmf[k-lo] = b.PMF(k)
	}
	return lo, pmf
}

func convolve(a, b []float64) []float64 {
	out := make([]float64, len(a)+len(b)-1)
	for i, x := range a {
		if x == 0 {
			continue
		}
		for j, y := range b {
			out[i+j] += x * y
		}
	}
	return out
}

// quantiles returns the central interval of a distribution given by its
// probabilities over [lo, lo+len).
func quantiles(lo int, pmf []float64, level float64) (int, int) {
	a, b := (1-level)/2, (1+level)/2
	low, high := lo+len(pmf)-1, lo+len(pmf)-1
	cum := 0.0
	foundLow := false
	for i, p := range pmf {
		cum += p
		if !foundLow && cum >= a {
			low, foundLow = lo+i, true
		}
		if cum >= b {
			high = lo + i
			break
		}
	}
	return low, high
}

// ConversionInterval returns the Wilson score interval (Wilson 1927) for a
// conversion rate observed as joins out of reach, at the given two-sided
// level in (0, 1): the range of rates consistent with the observation. Use it
// to turn a trial run of a channel into a Rate range for [Funnel]. It returns
// an error for reach < 1 or joins outside [0, reach].
func ConversionInterval(joins, reach int, level float64) (lo, hi float64, err error) {
	if reach < 1 {
		return 0, 0, fmt.Errorf("growth: conversion reach %d must be at least 1", reach)
	}
	if joins < 0 || joins > reach {
		return 0, 0, fmt.Errorf("growth: conversion joins %d must be in [0, %d]", joins, reach)
	}
	if !(level > 0 && level < 1) {
		return 0, 0, fmt.Errorf("growth: conversion level %v must be in (0, 1)", level)
	}
	lo, hi = stats.Wilson(joins, reach, math.Sqrt2*math.Erfinv(level))
	return lo, hi, nil
}
