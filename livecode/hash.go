package livecode

// Sticky's rendezvous hashing must give the same answer on every run and
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

// score is the rendezvous weight of a user for a code: the user goes to the
// open code with the highest score. XOR keeps it symmetric in cost; the
// second mix makes the scores of one user over many codes independent-looking.
func score(user, code uint64) uint64 { return mix64(user ^ code) }
