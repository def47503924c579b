package stats

import "math"

// Wilson returns the Wilson score interval (Wilson 1927) of a proportion
// observed as s successes in n trials, for the normal quantile z (1.96 for
// 95%). It needs n >= 1 and 0 <= s <= n; callers check. The ends are
// clamped into [0, 1], and they are exactly 0 when s is 0 and exactly 1
// when s is n, whatever the rounding.
func Wilson(s, n int, z float64) (lo, hi float64) {
	p, nf := float64(s)/float64(n), float64(n)
	z2n := z * z / nf
	centre := (p + z2n/2) / (1 + z2n)
	half := z / (1 + z2n) * math.Sqrt(p*(1-p)/nf+z2n/(4*nf))
	lo, hi = max(0, centre-half), min(1, centre+half)
	if s == 0 {
		lo = 0
	}
	if s == n {
		hi = 1
	}
	return lo, hi
}
