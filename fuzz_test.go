package qunops

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unsafe"
)

// FuzzDecode checks that the decoder never panics on any input, that every
// error is a *LineError with a plausible line number, and that every event it
// accepts re-encodes to a line that decodes to the same event. The seed
// corpus in testdata/fuzz/FuzzDecode runs with plain `go test`.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(goodLine + "\n"))
	f.Add([]byte("\xEF\xBB\xBF" + goodLine + "\r\n\r\n" + `{"v":1,"type":"read","group":"g","member":"m","time":"2026-03-02T08:00:00.5-03:30","item":"x","zz":[{}]}`))
	f.Add([]byte(`{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"\ud83d\ude00\ud800\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ignore := range []bool{false, true} {
			d := NewDecoder(bytes.NewReader(data))
			if ignore {
				d.IgnoreUnknownKeys()
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			for n := 0; ; n++ {
				if n > lines {
					t.Fatalf("more results (%d) than lines (%d)", n, lines)
				}
				e, err := d.Decode()
				if err == io.EOF {
					break
				}
				if err != nil {
					var le *LineError
					if !errors.As(err, &le) || le.Line < 1 || le.Line > lines {
						t.Fatalf("error %v: want a *LineError with a line in 1..%d", err, lines)
					}
					continue
				}
				if err := e.Validate(); err != nil {
					t.Fatalf("decoder accepted an invalid event %+v: %v", e, err)
				}
				var buf bytes.Buffer
				if err := NewEncoder(&buf).Encode(e); err != nil {
					t.Fatalf("re-encoding %+v: %v", e, err)
				}
				back, err := NewDecoder(&buf).Decode()
				if err != nil {
					t.Fatalf("decoding re-encoded %q: %v", buf.String(), err)
				}
				if !sameEvent(back, e) {
					t.Fatalf("round trip changed the event:\n got %+v\nwant %+v", back, e)
				}
			}
		}
	})
}

// FuzzRatioJSON checks that Ratio's decoder never panics, that a failed
// decode leaves the ratio as it was, and that what it accepts marshals back
// to JSON that decodes to the same ratio.
func FuzzRatioJSON(f *testing.F) {
	for _, s := range []string{`{"num":47,"den":200,"value":0.235}`, `{"num":0,"den":0,"value":null}`,
		`{"num":1,"den":3}`, `{"num":1,"num":2,"den":3}`, `{"num":-9223372036854775808,"den":-1}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Ratio{5, 7}
		if err := r.UnmarshalJSON(data); err != nil {
			if r != (Ratio{5, 7}) {
				t.Fatalf("failed decode of %q changed the ratio to %#v", data, r)
			}
			return
		}
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back Ratio
		if err := back.UnmarshalJSON(b); err != nil || back != r {
			t.Fatalf("%q decoded to %#v, which marshals to %s and reads back as %#v, %v", data, r, b, back, err)
		}
	})
}

// FuzzParseCanonical checks that the decoder's fast path (parseCanonical)
// never panics and that whatever line it accepts, parse accepts too and
// reads as the same event (issue 18).
func FuzzParseCanonical(f *testing.F) {
	f.Add([]byte(goodLine))
	f.Add([]byte(`{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00.5-03:30","actor":"a","id":"i","kind":"text","text":"t","item":"x"}`))
	f.Add([]byte(`{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"\ud83d\ude00"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		parseBoth(t, line)
	})
}

// FuzzShareStrings checks that a Decoder with ShareStrings returns what
// one without returns: the same events, errors and line numbers, with or
// without IgnoreUnknownKeys, the events of every line kept until the end
// (a block must never be written over), and no empty string that points
// into a block.
func FuzzShareStrings(f *testing.F) {
	f.Add([]byte(goodLine + "\n"))
	f.Add([]byte("\xEF\xBB\xBF" + goodLine + "\r\n\r\n" + `{"v":1,"type":"read","group":"g","member":"m","time":"2026-03-02T08:00:00.5-03:30","item":"x","zz":[{}]}`))
	f.Add([]byte(`{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00.5-03:30","actor":"a","id":"i","kind":"text","text":"t","item":"x"}` + "\n\n" + goodLine))
	f.Add([]byte(`{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"\ud83d\ude00\ud800\u0000"}` + "\n{}\nnot json\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkShareStrings(t, data)
	})
}

func checkShareStrings(t *testing.T, data []byte) {
	t.Helper()
	type result struct {
		e    Event
		err  string
		line int
	}
	read := func(d *Decoder) []result {
		var rs []result
		for {
			e, err := d.Decode()
			if err == io.EOF {
				return rs
			}
			r := result{e: e, line: d.Line()}
			if err != nil {
				r.err = err.Error()
			}
			rs = append(rs, r)
		}
	}
	shared := NewDecoder(nil)
	shared.ShareStrings()
	for _, ignore := range []bool{false, true} {
		want := NewDecoder(bytes.NewReader(data))
		if ignore {
			want.IgnoreUnknownKeys()
			shared.IgnoreUnknownKeys()
		}
		shared.Reset(bytes.NewReader(data))
		got, ws := read(shared), read(want)
		if len(got) != len(ws) {
			t.Fatalf("ignore=%v: %d results with ShareStrings, %d without", ignore, len(got), len(ws))
		}
		for i := range ws {
			if got[i].err != ws[i].err || got[i].line != ws[i].line || !sameEvent(got[i].e, ws[i].e) {
				t.Fatalf("ignore=%v: result %d with ShareStrings\n%+v\nwithout\n%+v", ignore, i, got[i], ws[i])
			}
			e := got[i].e
			for _, s := range []string{e.Group, e.Member, e.Actor, e.ID, e.Kind, e.Text, e.Item} {
				if s == "" && unsafe.StringData(s) != nil {
					t.Fatalf("ignore=%v: result %d has an empty string that points somewhere: %+v", ignore, i, e)
				}
			}
		}
	}
}
