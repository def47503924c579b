// Package binx reads and writes the pieces of qunops's binary forms: the
// tracker's and the term counter's (package metrics), the report
// builder's (package report) and the coders of package beam.
//
// # Reading
//
// A [Reader] consumes a byte slice from the front: [Reader.Byte],
// [Reader.Bytes], [Reader.Uvarint] and [Reader.Varint] (encoding/binary's
// varints), [Reader.Uint32] and [Reader.Uint64] (little-endian). Its first
// failure sticks: every later read returns a zero value and consumes
// nothing, so a decoder reads a whole record and checks [Reader.Err] once.
// A read that fails consumes nothing either, so [Reader.Offset] then says
// where the bad field starts.
//
// The reader's own failures are [ErrTruncated] and [ErrOverflow]. Each
// caller words its errors its own way, and its messages are part of its
// tests: it records its own failures with [Reader.Fail] and translates
// these two where it returns the error. Counts, strings and their limits
// are the caller's too, since each form bounds them differently.
//
// # Writing
//
// The writers are encoding/binary's append functions (AppendUvarint,
// AppendVarint, LittleEndian.AppendUint64...) and [AppendString], the
// length-prefixed string every form shares.
//
// binx checks no invariant of any form and allocates nothing: [Reader.Bytes]
// returns a piece of the data, not a copy.
package binx
