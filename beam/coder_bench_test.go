package beam

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// BenchmarkDecodeEvent decodes one event as it crosses a shuffle:
//
//	go test -run '^$' -bench DecodeEvent -benchmem
func BenchmarkDecodeEvent(b *testing.B) {
	e := qunops.Event{Type: qunops.Message, Group: "闲聊群", Member: "wxid_0123456789", ID: "m-000042",
		Text: "今天的优惠券在哪里领?", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, qunops.DefaultLocation())}
	data := encodeEvent(e)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeEvent(data); err != nil {
			b.Fatal(err)
		}
	}
}
