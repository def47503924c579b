// Package fnv128 hashes strings with FNV-1a 128, the algorithm of the
// standard library's hash/fnv New128a, without its allocation and
// interface call: the 128-bit key under which metrics and tiering keep the
// event IDs they have seen.
package fnv128
