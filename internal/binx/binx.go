package binx

import (
	"encoding/binary"
	"errors"
)

// The failures of a Reader's reads. Their words are for a caller that
// wraps them ("metrics: unmarshal binary: truncated"); a caller that words
// them otherwise compares Err with them.
var (
	// ErrTruncated: the data ends inside the value read.
	ErrTruncated = errors.New("truncated")
	// ErrOverflow: a varint does not fit 64 bits.
	ErrOverflow = errors.New("varint overflows 64 bits")
)

// Reader reads a binary form from the front of a byte slice, and records
// its first failure (see the package doc). The zero Reader has no data:
// every read fails with ErrTruncated. A Reader is not safe for concurrent
// use. Every read costs O(1), Bytes included, and allocates nothing.
type Reader struct {
	// The data and the offset of its unread rest, not the rest as a
	// slice: a read then stores an int, where storing a slice into a
	// Reader on the heap takes a write barrier while the garbage collector
	// marks (a few percent of the term counter's decode).
	data []byte
	off  int
	err  error
}

// NewReader returns a Reader of data.
func NewReader(data []byte) Reader { return Reader{data: data} }

// Err returns the first failure: ErrTruncated, ErrOverflow or the error
// given to Fail; nil if there is none.
func (r *Reader) Err() error { return r.err }

// Fail records err as the reader's failure, unless it has one already:
// the first failure is the one to report, the later ones follow from it.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Len returns the number of bytes not read yet.
func (r *Reader) Len() int { return len(r.data) - r.off }

// Offset returns the number of bytes read: after a failure, where the
// field that failed starts.
func (r *Reader) Offset() int { return r.off }

// Rest returns the bytes not read yet, without consuming them.
func (r *Reader) Rest() []byte { return r.data[r.off:] }

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.data) {
		r.err = ErrTruncated
		return 0
	}
	c := r.data[r.off]
	r.off++
	return c
}

// Bytes reads n bytes and returns them as a piece of the data (not a
// copy). A negative n fails as ErrTruncated.
func (r *Reader) Bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.data)-r.off {
		r.err = ErrTruncated
		return nil
	}
	s := r.data[r.off : r.off+n : r.off+n]
	r.off += n
	return s
}

// Uvarint reads an unsigned varint (encoding/binary's Uvarint).
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.off:])
	if n <= 0 {
		r.err = ErrTruncated
		if n < 0 {
			r.err = ErrOverflow
		}
		return 0
	}
	r.off += n
	return v
}

// Varint reads a zig-zag signed varint (encoding/binary's Varint, which
// is Uvarint's bytes unfolded the same way).
func (r *Reader) Varint() int64 {
	ux := r.Uvarint()
	return int64(ux>>1) ^ -int64(ux&1)
}

// Uint32 reads 4 bytes little-endian.
func (r *Reader) Uint32() uint32 {
	if b := r.Bytes(4); len(b) == 4 {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

// Uint64 reads 8 bytes little-endian.
func (r *Reader) Uint64() uint64 {
	if b := r.Bytes(8); len(b) == 8 {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

// AppendString appends s as its length (a uvarint) and its bytes, the form
// in which every binary form of qunops writes a string.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
