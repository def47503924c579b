package report

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// BenchmarkUnmarshalBinary decodes the binary form of a builder of a
// generated log (20 groups of 1,000 members over 60 days):
//
//	go test ./report -run '^$' -bench UnmarshalBinary -benchmem
func BenchmarkUnmarshalBinary(b *testing.B) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	src, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range genLog(100_000, 20, 1000, 60, end, 7) {
		src.Add(e)
	}
	data, _ := src.MarshalBinary()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dst, _ := New(Options{})
		if err := dst.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}
