package metrics

import (
	"testing"

	"github.com/qunops/qunops"
)

// BenchmarkUnmarshalBinary decodes the binary form of a tracker of the
// bench log and of a term counter of the chat corpus, the decode paths a
// distributed engine runs once per shipped shard:
//
//	go test ./metrics -run '^$' -bench UnmarshalBinary -benchmem
func BenchmarkUnmarshalBinary(b *testing.B) {
	b.Run("tracker", func(b *testing.B) {
		tr := NewTracker(nil)
		benchSpec().generate(make([]qunops.Event, 0, 1<<14), func(batch []qunops.Event) {
			for _, e := range batch {
				if err := tr.Add(e); err != nil {
					b.Fatal(err)
				}
			}
		})
		data, _ := tr.MarshalBinary()
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if err := NewTracker(nil).UnmarshalBinary(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("terms", func(b *testing.B) {
		data, err := counterOf(b, TermOptions{}, chatCorpus(b)).MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var c TermCounter
			if err := c.UnmarshalBinary(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
