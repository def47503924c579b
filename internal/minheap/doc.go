// Package minheap keeps a binary min-heap in a plain slice: the timers of
// the rule engine and the QR expiries of a live code pool. It does what
// container/heap does without boxing every element in an interface value,
// so pushing allocates nothing but the slice's growth.
package minheap
