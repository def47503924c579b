package bench

import (
	"sync"
	"testing"
)

var benchData = sync.OnceValue(func() *Data { return Generate(Seed, 10000, 5000) })

// BenchmarkScan runs one call per message over the corpus for each engine;
// -benchmem's allocs/op divided by the message count is allocs per message.
// For the README's table of medians use go run ./cmd/kwbench instead.
func BenchmarkScan(b *testing.B) {
	d := benchData()
	bs := make([][]byte, len(d.Messages))
	for i, m := range d.Messages {
		bs[i] = []byte(m)
	}
	for _, e := range Engines() {
		b.Run(e.Name, func(b *testing.B) {
			scan, err := e.Build(d.Patterns)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(d.Bytes()))
			b.ReportAllocs()
			sink := 0
			for b.Loop() {
				for j := range d.Messages {
					sink += scan(d.Messages[j], bs[j])
				}
			}
			_ = sink
		})
	}
}

// BenchmarkBuild compiles the 10,000 patterns.
func BenchmarkBuild(b *testing.B) {
	d := benchData()
	for _, e := range Engines() {
		b.Run(e.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Build(d.Patterns); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
