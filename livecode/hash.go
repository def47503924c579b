package livecode

import "math/bits"

// Sticky's hashing must give the same answer on every run and
// machine, so it uses fixed functions: FNV-1a (64-bit) over the bytes of an
// id, then the SplitMix64 finalizer to spread the bits.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv1a is 64-bit FNV-1a of s (Fowler, Noll, Vo; the constants of
// http://www.isthe.com/chongo/tech/comp/fnv/). It allocates nothing.
func fnv1a(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix64 is the SplitMix64 finalizer (Steele, Lea, Flood 2014; constants as
// in java.util.SplittableRandom): a bijection on uint64 with full avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// idHash is the hash of a user or code id.
func idHash(s string) uint64 { return mix64(fnv1a(s)) }

// Sticky ranks, for each user, every position of a tag group (positions
// in the order codes were added) and sends the user to the first open one.
// pickSticky finds that position without walking the ranking; the test
// model (model_test.go) walks it.
//
// The ranking is stickyDraws independent draws of a jump consistent hash
// over the group's n positions, then every position in an order fixed for
// the user (bitTree.firstRanked). Because a user takes the first open
// position of a fixed ranking, closing other codes never moves a user
// whose code is open, as with rendezvous hashing. Because the jump hash's
// draw over n+1 positions is either its draw over n or the new position n,
// and the fixed order only gains the new position, adding a code changes
// rankings only by putting the new code into them, so every user who moves
// goes to the new code: 1/(n+1) of users when all n codes are open, about
// 1/(m+1) when m are. Each draw is uniform over the positions, so a user
// whose drawn code is closed draws again uniformly: the users of closed
// codes spread evenly over the open ones, except the share (1-m/n)^4 whose
// draws all miss (1 in 16 with half the codes open, 2 in 5 with a fifth),
// which the fixed order spreads less evenly: halving at each level of a
// binary tree over the positions, whatever each half holds, so an open code
// among many closed neighbours gets more of them.

// stickyDraws is how many jump-hash draws Sticky makes before it takes
// the fixed order. Each draw costs about three steps of a 64-bit division
// and a hash; 4 keeps a scan of a pool whose codes are nearly all closed
// within issue 9's 500 ns (BenchmarkAssignStickyMostlyClosed), at the cost
// of the fixed order's rougher spread for the users whose draws all miss.
const stickyDraws = 4

// golden is SplitMix64's increment, 2^64 divided by the golden ratio.
const golden = 0x9e3779b97f4a7c15

// stickySeed is the seed of a user's draw d: independent-looking streams
// for each user and draw.
func stickySeed(user uint64, d int) uint64 {
	return mix64(user + uint64(d)*0xd1342543de82ef95)
}

// jump returns a position in [0, n), n >= 1, for key: the answer of the
// jump consistent hash of Lamping and Veach ("A Fast, Minimal Memory,
// Consistent Hash Algorithm", 2014), found from the top down as in Ertl's
// JumpBackHash (2024) so that it costs O(1) expected steps instead of
// about ln n.
//
// The model: each position i >= 1 is a jump point of the key with
// probability 1/(i+1), independently, and 0 always is; the answer over n
// positions is the greatest jump point below n. It is uniform over [0, n)
// (no jump point in [t, n) has probability t/n), and over n+1 positions
// it is the same or n, with probability 1/(n+1). From a position a the
// next jump point j >= a has P(j >= i) = a/i, so j = floor(a/u) for u
// uniform in (0, 1], here u = (x+1)/2^32 for 32 random bits x. The jump
// points in each interval [2^k, 2^(k+1)) come from their own SplitMix64
// stream seeded by key and k, so the answer over n looks only at the
// interval holding n-1 and, while those hold no jump point below n, the
// intervals under it: each interval holds one with probability 1/2, and
// about 0.7 on average.
func jump(key uint64, n int) int {
	m := uint64(n)
	for k := bits.Len64(m-1) - 1; k >= 0; k-- {
		s := mix64(key + uint64(k))
		a := uint64(1) << k
		limit := min(m, 2*a)
		best := uint64(0)
		for j := a; ; {
			s += golden
			j = j << 32 / (mix64(s)>>32 + 1)
			if j >= limit {
				break
			}
			best = j
			j++
		}
		if best > 0 {
			return int(best)
		}
	}
	return 0
}
