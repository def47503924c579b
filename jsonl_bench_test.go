package qunops

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// sampleEvents returns n varied, realistic events (Chinese text, ids, a few
// kinds), the same every call.
func sampleEvents(n int) []Event {
	texts := []string{"大家早上好，今天的优惠券已经发了", "请问这个活动什么时候结束？", "收到👍", "上海-小王 报名周六的线下活动", "ok thanks!", ""}
	kinds := []string{"text", "text", "text", "image", "link", "sticker"}
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	evs := make([]Event, n)
	for i := range evs {
		e := Event{Type: Message, Group: "g" + strconv.Itoa(i%7) + "@chatroom", Member: "wxid_" + strconv.Itoa(i%997),
			Time: t0.Add(time.Duration(i) * 1733 * time.Millisecond), ID: "chatlog:" + strconv.Itoa(i),
			Kind: kinds[i%len(kinds)], Text: texts[i%len(texts)]}
		switch i % 10 {
		case 7:
			e = Event{Type: Read, Group: e.Group, Member: e.Member, Time: e.Time, Item: "post-" + strconv.Itoa(i%13)}
		case 9:
			e = Event{Type: Join, Group: e.Group, Member: e.Member, Time: e.Time, Actor: "wxid_9", Text: "北京-小李"}
		}
		evs[i] = e
	}
	return evs
}

func encodeAll(tb testing.TB, evs []Event) []byte {
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	for _, e := range evs {
		if err := enc.Encode(e); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// BenchmarkDecode measures the qunops decoder; BenchmarkDecodeBaselineJSON
// decodes the same lines with encoding/json into a struct of strings, as a
// baseline measured in the same run. Compare events/s.
func BenchmarkDecode(b *testing.B) {
	data := encodeAll(b, sampleEvents(10000))
	b.SetBytes(int64(len(data)) / 10000)
	b.ReportAllocs()
	r := bytes.NewReader(data)
	d := NewDecoder(r)
	for i := 0; b.Loop(); i++ {
		if _, err := d.Decode(); err != nil {
			if err != io.EOF {
				b.Fatal(err)
			}
			r.Reset(data)
			d = NewDecoder(r)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkStringRun scans every string of the sample log for the run a
// string copies as is, 8 bytes at a time (plainRun, what the decoder does)
// and byte by byte (byteRun, what it did before issue 18), in the same run.
func BenchmarkStringRun(b *testing.B) {
	data := encodeAll(b, sampleEvents(1000))
	var starts []int // the first byte of every string's contents
	for i := 0; i < len(data); i++ {
		if data[i] == '"' {
			starts = append(starts, i+1)
			end, _ := byteRun(data, i+1)
			i = end
		}
	}
	for _, f := range []struct {
		name string
		run  func([]byte, int) (int, bool)
	}{{"words", plainRun}, {"bytes", byteRun}} {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			sum := 0
			for b.Loop() {
				for _, i := range starts {
					end, _ := f.run(data, i)
					sum += end
				}
			}
			if sum == 0 {
				b.Fatal("no strings")
			}
		})
	}
}

func BenchmarkDecodeBaselineJSON(b *testing.B) {
	type line struct {
		V                                                      int
		Type, Group, Member, Time, Actor, ID, Kind, Text, Item string
	}
	data := encodeAll(b, sampleEvents(10000))
	b.SetBytes(int64(len(data)) / 10000)
	b.ReportAllocs()
	sc := bufio.NewScanner(bytes.NewReader(data))
	for b.Loop() {
		if !sc.Scan() {
			sc = bufio.NewScanner(bytes.NewReader(data))
			sc.Scan()
		}
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			b.Fatal(err)
		}
		if _, err := time.Parse(time.RFC3339Nano, l.Time); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkEncode(b *testing.B) {
	evs := sampleEvents(10000)
	enc := NewEncoder(io.Discard)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := enc.Encode(evs[i%len(evs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkEncodeBaselineJSON(b *testing.B) {
	evs := sampleEvents(10000)
	enc := json.NewEncoder(io.Discard)
	enc.SetEscapeHTML(false)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := enc.Encode(evs[i%len(evs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// repeatReader yields data over and over until limit bytes have been read,
// so a long log can be decoded without holding it in memory.
type repeatReader struct {
	data       []byte
	off, limit int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.limit <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.limit > 0 {
		k := copy(p[n:], r.data[r.off:])
		if int64(k) > r.limit {
			k = int(r.limit)
		}
		n += k
		r.limit -= int64(k)
		r.off = (r.off + int64(k)) % int64(len(r.data))
	}
	return n, nil
}

// TestDecodeMemoryIsConstant decodes a long generated log and checks that the
// live heap does not grow with it. QUNOPS_STREAM_MB sets the size (default
// 32 MiB; the note on the foundation issue reports a 1 GB run).
func TestDecodeMemoryIsConstant(t *testing.T) {
	size := int64(32)
	if s := os.Getenv("QUNOPS_STREAM_MB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		size = int64(n)
	}
	data := encodeAll(t, sampleEvents(1000))
	r := &repeatReader{data: data, limit: size << 20}
	d := NewDecoder(r)
	var ms runtime.MemStats
	var peak uint64
	events := 0
	start := time.Now()
	for {
		_, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The stream may end inside a line; that last line is cut.
			if r.limit == 0 {
				break
			}
			t.Fatal(err)
		}
		events++
		if events%200000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	elapsed := time.Since(start)
	t.Logf("decoded %d events (%d MiB) in %v, %.0f events/s; peak live heap %.1f MiB",
		events, size, elapsed.Round(time.Millisecond), float64(events)/elapsed.Seconds(), float64(peak)/(1<<20))
	if peak > 16<<20 {
		t.Errorf("live heap reached %d bytes while streaming; want under 16 MiB", peak)
	}
	if want := int(size<<20) / len(data) * 1000; events < want {
		t.Errorf("decoded %d events, want at least %d", events, want)
	}
}

// BenchmarkValidate checks a typical message event; every decoded event and
// every metrics.Tracker.Add pays this.
func BenchmarkValidate(b *testing.B) {
	e := Event{Type: Message, Group: "100042@chatroom", Member: "wxid_4711", ID: "chatlog:1234567", Kind: "text",
		Time: time.Date(2026, 3, 14, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))}
	for _, text := range []string{"", "see you at 9 tonight", "今天的优惠券在哪里领?"} {
		e.Text = text
		b.Run(fmt.Sprintf("text=%d", len(text)), func(b *testing.B) {
			for b.Loop() {
				if err := e.Validate(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
