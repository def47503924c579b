package livecode

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// benchPool is a pool of 10,000 codes (the size), all open: 200
// scans each, no expiry.
func benchPool(b *testing.B, s Strategy) *Pool {
	codes := make([]Code, 10000)
	for i := range codes {
		codes[i] = Code{ID: fmt.Sprintf("qr-%05d", i), Weight: 1 + i%3}
	}
	p, err := NewPool(s, codes...)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

var benchUsers = func() []string {
	u := make([]string, 1<<16)
	for i := range u {
		u[i] = fmt.Sprintf("wxid_%08d", i)
	}
	return u
}()

// BenchmarkAssignNew: a new scanner every second of the clock, so with the
// 10 minute TTL about 600 reservations are live and lapse as they go: the
// steady state of a busy campaign. The user ids are made beforehand.
func BenchmarkAssignNew(b *testing.B) {
	for s := FillFirst; s <= Sticky; s++ {
		b.Run(s.String(), func(b *testing.B) {
			p := benchPool(b, s)
			now := t0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				now = now.Add(time.Second)
				if _, err := p.Assign(benchUsers[i&(len(benchUsers)-1)], now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAssignStickyMostlyClosed: Sticky's worst common case, late in
// a long campaign: of 10,000 codes the first 9,000 are retired (full), so
// most jump-hash draws miss and 2 users in 3 fall through all of them to
// the fixed order.
func BenchmarkAssignStickyMostlyClosed(b *testing.B) {
	p := benchPool(b, Sticky)
	for i := range 9000 {
		if err := p.Retire(fmt.Sprintf("qr-%05d", i), t0); err != nil {
			b.Fatal(err)
		}
	}
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(time.Second)
		if _, err := p.Assign(benchUsers[i&(len(benchUsers)-1)], now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignReturning: the same 512 users scan again and again: every
// scan finds its reservation.
func BenchmarkAssignReturning(b *testing.B) {
	for s := FillFirst; s <= Sticky; s++ {
		b.Run(s.String(), func(b *testing.B) {
			p := benchPool(b, s)
			now := t0
			for _, u := range benchUsers[:512] {
				if _, err := p.Assign(u, now); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.Assign(benchUsers[i&511], now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBaselineMapLookup is the floor any Assign pays: one lookup of a
// user id in a map of live reservations. Assign's figures are reported as
// ratios to it.
func BenchmarkBaselineMapLookup(b *testing.B) {
	m := make(map[string]int32, 600)
	for i, u := range benchUsers[:600] {
		m[u] = int32(i)
	}
	var sink int32
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sink += m[benchUsers[i&(len(benchUsers)-1)]]
	}
	_ = sink
}

// BenchmarkJoined: scan then join, the conversion path.
func BenchmarkJoined(b *testing.B) {
	p := benchPool(b, LeastLoaded)
	now := t0
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		now = now.Add(time.Second)
		u := benchUsers[i&(len(benchUsers)-1)]
		id, err := p.Assign(u, now)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Joined(u, id, now); err == nil {
			_ = p.Left(u, id, now)
		}
	}
}

// BenchmarkReservationMemory reports the heap bytes a live reservation
// costs (its slot, its map entry, the free list's share), not counting the
// user id's own bytes, which belong to the caller.
func BenchmarkReservationMemory(b *testing.B) {
	const n = 1 << 16
	for i := 0; i < b.N; i++ {
		p, err := NewPool(FillFirst, Code{ID: "a", Cap: 1 << 30, ScanLimit: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, u := range benchUsers[:n] {
			if _, err := p.Assign(u, t0); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/reservation")
		runtime.KeepAlive(p)
	}
}
