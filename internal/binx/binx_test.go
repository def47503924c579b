package binx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// read is one primitive of a Reader, its result as a uint64 (two's
// complement for Varint, the length for Bytes).
type read struct {
	name string
	do   func(r *Reader) uint64
}

var reads = []read{
	{"Byte", func(r *Reader) uint64 { return uint64(r.Byte()) }},
	{"Uvarint", func(r *Reader) uint64 { return r.Uvarint() }},
	{"Varint", func(r *Reader) uint64 { return uint64(r.Varint()) }},
	{"Uint32", func(r *Reader) uint64 { return uint64(r.Uint32()) }},
	{"Uint64", func(r *Reader) uint64 { return r.Uint64() }},
	{"Bytes3", func(r *Reader) uint64 { return uint64(len(r.Bytes(3))) }},
}

func readNamed(t *testing.T, name string) read {
	t.Helper()
	for _, rd := range reads {
		if rd.name == name {
			return rd
		}
	}
	t.Fatalf("no read %q", name)
	return read{}
}

// TestReads: each primitive reads what encoding/binary writes, consumes
// exactly its bytes, fails as ErrTruncated at every truncation without
// consuming anything, and its failure sticks.
func TestReads(t *testing.T) {
	le := binary.LittleEndian
	for _, tc := range []struct {
		name, read string
		data       []byte
		want       uint64
	}{
		{"byte 0", "Byte", []byte{0}, 0},
		{"byte ff", "Byte", []byte{0xff}, 0xff},
		{"uvarint 0", "Uvarint", binary.AppendUvarint(nil, 0), 0},
		{"uvarint 127, one byte", "Uvarint", binary.AppendUvarint(nil, 127), 127},
		{"uvarint 128, two bytes", "Uvarint", binary.AppendUvarint(nil, 128), 128},
		{"uvarint max, ten bytes", "Uvarint", binary.AppendUvarint(nil, math.MaxUint64), math.MaxUint64},
		{"varint 0", "Varint", binary.AppendVarint(nil, 0), 0},
		{"varint -1", "Varint", binary.AppendVarint(nil, -1), math.MaxUint64},
		{"varint -64, one byte", "Varint", binary.AppendVarint(nil, -64), uint64(1<<64 - 64)},
		{"varint min", "Varint", binary.AppendVarint(nil, math.MinInt64), 1 << 63},
		{"varint max", "Varint", binary.AppendVarint(nil, math.MaxInt64), math.MaxInt64},
		{"uint32 little-endian", "Uint32", le.AppendUint32(nil, 0x01020304), 0x01020304},
		{"uint32 max", "Uint32", le.AppendUint32(nil, math.MaxUint32), math.MaxUint32},
		{"uint64 little-endian", "Uint64", le.AppendUint64(nil, 0x0102030405060708), 0x0102030405060708},
		{"uint64 max", "Uint64", le.AppendUint64(nil, math.MaxUint64), math.MaxUint64},
		{"bytes", "Bytes3", []byte("abc"), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd := readNamed(t, tc.read)
			// The value, then a byte that must be left unread.
			r := NewReader(append(bytes.Clone(tc.data), 0xee))
			if got := rd.do(&r); got != tc.want || r.Err() != nil {
				t.Fatalf("%s of % x = %#x, %v; want %#x, nil", tc.read, tc.data, got, r.Err(), tc.want)
			}
			if r.Offset() != len(tc.data) || r.Len() != 1 || !bytes.Equal(r.Rest(), []byte{0xee}) {
				t.Fatalf("after %s of % x: offset %d, %d left; want %d, 1", tc.read, tc.data, r.Offset(), r.Len(), len(tc.data))
			}
			for k := range len(tc.data) {
				r := NewReader(tc.data[:k])
				if got := rd.do(&r); got != 0 || !errors.Is(r.Err(), ErrTruncated) {
					t.Fatalf("%s of % x = %#x, %v; want 0, ErrTruncated", tc.read, tc.data[:k], got, r.Err())
				}
				if r.Offset() != 0 || r.Len() != k {
					t.Fatalf("a failed %s of % x consumed %d bytes", tc.read, tc.data[:k], r.Offset())
				}
				assertSticks(t, &r, ErrTruncated)
			}
		})
	}
}

// assertSticks checks that every read of r returns zero, consumes nothing
// and leaves err as its failure, and that Fail does not replace it.
func assertSticks(t *testing.T, r *Reader, err error) {
	t.Helper()
	off := r.Offset()
	r.Fail(errors.New("later"))
	for _, rd := range reads {
		if got := rd.do(r); got != 0 || r.Err() != err || r.Offset() != off {
			t.Fatalf("%s after the failure %v = %#x, %v, offset %d; want 0, the failure, offset %d", rd.name, err, got, r.Err(), r.Offset(), off)
		}
	}
}

// TestOverflow: a varint of more than 64 bits is ErrOverflow, not a value,
// and consumes nothing.
func TestOverflow(t *testing.T) {
	for _, tc := range []struct {
		name, read string
		data       []byte
	}{
		{"uvarint of 11 bytes", "Uvarint", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"uvarint whose 10th byte is 2", "Uvarint", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}},
		{"uvarint of 11 bytes, every one continued", "Uvarint", bytes.Repeat([]byte{0x80}, 11)},
		{"varint of 11 bytes", "Varint", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"varint whose 10th byte is 2", "Varint", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.data)
			if got := readNamed(t, tc.read).do(&r); got != 0 || r.Err() != ErrOverflow || r.Offset() != 0 {
				t.Fatalf("%s of % x = %#x, %v, offset %d; want 0, ErrOverflow, 0", tc.read, tc.data, got, r.Err(), r.Offset())
			}
			assertSticks(t, &r, ErrOverflow)
		})
	}
}

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		want   []byte
		err    error
		reason string
	}{
		{"none", 0, []byte{}, nil, "an empty string is a valid read"},
		{"some", 2, []byte("ab"), nil, ""},
		{"all", 3, []byte("abc"), nil, ""},
		{"one past the end", 4, nil, ErrTruncated, ""},
		{"negative", -1, nil, ErrTruncated, "a count converted from a huge uvarint is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader([]byte("abc"))
			got := r.Bytes(tc.n)
			if !bytes.Equal(got, tc.want) || (got == nil) != (tc.want == nil) || r.Err() != tc.err {
				t.Fatalf("Bytes(%d) = %q, %v; want %q, %v (%s)", tc.n, got, r.Err(), tc.want, tc.err, tc.reason)
			}
			if cap(got) != len(got) {
				t.Errorf("Bytes(%d) has capacity %d: an append to it would write over the data", tc.n, cap(got))
			}
		})
	}
}

// TestFail: the first failure is the one reported, whoever records it.
func TestFail(t *testing.T) {
	mine, other := errors.New("mine"), errors.New("other")
	r := NewReader([]byte{1})
	r.Fail(mine)
	r.Fail(other)
	if r.Err() != mine {
		t.Fatalf("Err() = %v, want the first failure %v", r.Err(), mine)
	}
	assertSticks(t, &r, mine)

	r = NewReader(nil)
	r.Uvarint()
	r.Fail(mine)
	if r.Err() != ErrTruncated {
		t.Fatalf("Err() = %v, want the read's failure ErrTruncated before the caller's", r.Err())
	}
}

func TestZeroReader(t *testing.T) {
	var r Reader
	if r.Len() != 0 || r.Offset() != 0 || r.Err() != nil {
		t.Fatalf("zero Reader: %d left, offset %d, %v", r.Len(), r.Offset(), r.Err())
	}
	r.Byte()
	if r.Err() != ErrTruncated {
		t.Fatalf("zero Reader's Byte: %v, want ErrTruncated", r.Err())
	}
}

func TestAppendString(t *testing.T) {
	long := string(bytes.Repeat([]byte("群"), 50)) // 150 bytes: a two-byte length
	for _, s := range []string{"", "a", "闲聊群", long, "a\xffb"} {
		b := AppendString([]byte{9}, s)
		r := NewReader(b)
		if r.Byte() != 9 {
			t.Fatal("AppendString wrote over what was there")
		}
		n := r.Uvarint()
		if got := string(r.Bytes(int(n))); got != s || r.Len() != 0 || r.Err() != nil {
			t.Errorf("AppendString(%q) reads back as %q, %d left, %v", s, got, r.Len(), r.Err())
		}
	}
	if got, want := AppendString(nil, long)[:2], []byte{150, 1}; !bytes.Equal(got, want) {
		t.Errorf("length of 150 bytes written as % x, want % x (uvarint)", got, want)
	}
}

// FuzzReader runs a program of reads (one op a byte) over data and checks
// each against encoding/binary on the same bytes: the same value and
// length when it succeeds, nothing consumed and a sticky failure when it
// does not, never a panic.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5}, []byte("\x07\xac\x02\x03\x01\x02\x03\x04\x01\x02\x03\x04\x05\x06\x07\x08abc"))
	f.Add([]byte{1, 1}, []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Add([]byte{2, 4}, []byte("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02"))
	f.Add([]byte{4, 0}, []byte("\x01\x02\x03"))
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		r := NewReader(data)
		off := 0
		var failed error
		for _, op := range ops {
			rd := reads[int(op)%len(reads)]
			got := rd.do(&r)
			rest := data[off:]
			var want uint64
			n := 0
			var err error
			switch rd.name {
			case "Byte":
				if n = 1; len(rest) >= 1 {
					want = uint64(rest[0])
				}
			case "Uvarint":
				want, n = binary.Uvarint(rest)
			case "Varint":
				var v int64
				v, n = binary.Varint(rest)
				want = uint64(v)
			case "Uint32":
				if n = 4; len(rest) >= 4 {
					want = uint64(binary.LittleEndian.Uint32(rest))
				}
			case "Uint64":
				if n = 8; len(rest) >= 8 {
					want = binary.LittleEndian.Uint64(rest)
				}
			case "Bytes3":
				want, n = 3, 3
			}
			switch {
			case n < 0:
				err, want = ErrOverflow, 0
			case n == 0 || n > len(rest):
				err, want = ErrTruncated, 0
			}
			if failed != nil {
				err, want = failed, 0
			}
			if got != want || r.Err() != err {
				t.Fatalf("%s at %d of % x = %#x, %v; want %#x, %v", rd.name, off, data, got, r.Err(), want, err)
			}
			if err == nil {
				off += n
			}
			failed = err
			if r.Offset() != off || r.Len() != len(data)-off {
				t.Fatalf("after %s: offset %d, %d left; want %d, %d", rd.name, r.Offset(), r.Len(), off, len(data)-off)
			}
		}
	})
}
