package qunops

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

const goodLine = `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00+08:00","text":"早"}`

// sameEvent compares events as the codec promises: equal strings, the same
// instant and the same UTC offset.
func sameEvent(a, b Event) bool {
	_, oa := a.Time.Zone()
	_, ob := b.Time.Zone()
	a2, b2 := a, b
	a2.Time, b2.Time = time.Time{}, time.Time{}
	return a2 == b2 && a.Time.Equal(b.Time) && oa == ob
}

func decodeAll(t *testing.T, in string, opts ...func(*Decoder)) (evs []Event, errs []*LineError) {
	t.Helper()
	d := NewDecoder(strings.NewReader(in))
	for _, o := range opts {
		o(d)
	}
	for i := 0; i < 1000; i++ {
		e, err := d.Decode()
		if err == io.EOF {
			return evs, errs
		}
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("Decode error %v is not a *LineError", err)
			}
			errs = append(errs, le)
			continue
		}
		evs = append(evs, e)
	}
	t.Fatal("decoder did not reach EOF")
	return nil, nil
}

func TestDecodeRejections(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"not an object", `[1,2]`, "not a JSON object"},
		{"garbage", `hello`, "not a JSON object"},
		{"missing v", `{"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, `missing schema version "v"`},
		{"newer v", `{"v":2,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "schema version 2 is newer"},
		{"v zero", `{"v":0,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "schema version 0 is not valid"},
		{"v as string", `{"v":"1","type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "must be a number"},
		{"v fractional", `{"v":1.0,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "must be an integer"},
		{"naive time", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00"}`, "no UTC offset"},
		{"naive time with space", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02 08:00:00"}`, "no UTC offset"},
		{"date only", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02"}`, "no UTC offset"},
		{"bad month", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-13-02T08:00:00Z"}`, "out of range"},
		{"feb 29 in a common year", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-02-29T08:00:00Z"}`, "out of range"},
		{"leap second", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-06-30T23:59:60Z"}`, "out of range"},
		{"ten fraction digits", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00.1234567891Z"}`, "1 to 9 digits"},
		{"bad offset", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00+0800"}`, "bad UTC offset"},
		{"unknown type", `{"v":1,"type":"kick","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, `unknown event type "kick"`},
		{"unknown key", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","mood":"happy"}`, `unknown key "mood"`},
		{"duplicate key", `{"v":1,"type":"message","group":"g","group":"h","member":"m","time":"2026-03-02T08:00:00Z"}`, `duplicate key "group"`},
		{"null value", `{"v":1,"type":"message","group":null,"member":"m","time":"2026-03-02T08:00:00Z"}`, `key "group": want a string`},
		{"number value", `{"v":1,"type":"message","group":"g","member":7,"time":"2026-03-02T08:00:00Z"}`, `key "member": want a string`},
		{"invalid UTF-8", "{\"v\":1,\"type\":\"message\",\"group\":\"g\",\"member\":\"m\",\"time\":\"2026-03-02T08:00:00Z\",\"text\":\"a\xffb\"}", `key "text": invalid UTF-8`},
		{"raw control character", "{\"v\":1,\"type\":\"message\",\"group\":\"g\",\"member\":\"m\",\"time\":\"2026-03-02T08:00:00Z\",\"text\":\"a\x01b\"}", "control character"},
		{"bad escape", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"\q"}`, `bad escape \q`},
		{"unterminated string", `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"abc`, "unterminated string"},
		{"trailing data", goodLine + `x`, "extra data after the object"},
		{"two objects", goodLine + goodLine, "extra data after the object"},
		{"missing comma", `{"v":1 "type":"message"}`, "want ',' or '}'"},
		{"missing member", `{"v":1,"type":"message","group":"g","time":"2026-03-02T08:00:00Z"}`, "message event: member is empty"},
		{"read without item", `{"v":1,"type":"read","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "read event: item is empty"},
		{"report without actor", `{"v":1,"type":"report","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "report event: actor is empty"},
		{"missing type", `{"v":1,"group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, "event type is empty"},
		{"missing time", `{"v":1,"type":"join","group":"g","member":"m"}`, "join event: time is zero"},
		{"empty object", `{}`, `missing schema version "v"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad line is line 4: a good line, a blank line, a good line
			// with CRLF, then the bad one, then a good one that must still be read.
			in := goodLine + "\n\n" + goodLine + "\r\n" + tc.line + "\n" + goodLine + "\n"
			evs, errs := decodeAll(t, in)
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want 1", len(errs), errs)
			}
			if errs[0].Line != 4 {
				t.Errorf("error on line %d, want 4: %v", errs[0].Line, errs[0])
			}
			msg := errs[0].Error()
			if !strings.HasPrefix(msg, "qunops: line 4: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want prefix %q and %q", msg, "qunops: line 4: ", tc.want)
			}
			if len(evs) != 3 {
				t.Errorf("decoded %d good events around the bad line, want 3", len(evs))
			}
		})
	}
}

func TestDecodeLineTooLong(t *testing.T) {
	long := `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"` + strings.Repeat("長", MaxLineBytes/3) + `"}`
	in := goodLine + "\n" + long + "\n" + goodLine + "\n"
	evs, errs := decodeAll(t, in)
	if len(errs) != 1 || errs[0].Line != 2 || !strings.Contains(errs[0].Error(), "longer than 1048576 bytes") {
		t.Fatalf("errors = %v, want one on line 2 about the length", errs)
	}
	if len(evs) != 2 {
		t.Errorf("decoded %d events, want the 2 around the long line", len(evs))
	}
	// Just under the limit is accepted.
	text := strings.Repeat("a", MaxLineBytes-len(goodLine)-20)
	ok := `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"` + text + `"}`
	if len(ok) > MaxLineBytes {
		t.Fatalf("test line is %d bytes", len(ok))
	}
	evs, errs = decodeAll(t, ok+"\r\n")
	if len(errs) != 0 || len(evs) != 1 || evs[0].Text != text {
		t.Errorf("a line of %d bytes: %d events, errors %v", len(ok), len(evs), errs)
	}
}

func TestDecodeBOMCRLFAndLastLineWithoutNewline(t *testing.T) {
	in := "\xEF\xBB\xBF" + goodLine + "\r\n" + goodLine
	evs, errs := decodeAll(t, in)
	if len(errs) != 0 || len(evs) != 2 {
		t.Fatalf("got %d events and errors %v, want 2 events", len(evs), errs)
	}
	// A BOM is only stripped at the start of the stream.
	_, errs = decodeAll(t, goodLine+"\n\xEF\xBB\xBF"+goodLine)
	if len(errs) != 1 || errs[0].Line != 2 {
		t.Errorf("BOM in the middle: errors %v, want one on line 2", errs)
	}
}

func TestDecodeIgnoreUnknownKeys(t *testing.T) {
	in := `{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z","extra":{"a":[1,2.5e3,true,null,"x"]},"n":-3}`
	evs, errs := decodeAll(t, in, (*Decoder).IgnoreUnknownKeys)
	if len(errs) != 0 || len(evs) != 1 {
		t.Fatalf("got %d events and errors %v", len(evs), errs)
	}
	_, errs = decodeAll(t, `{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z","x":[1,}`, (*Decoder).IgnoreUnknownKeys)
	if len(errs) != 1 {
		t.Errorf("a malformed unknown value must still be an error, got %v", errs)
	}
}

func TestDecodeValues(t *testing.T) {
	in := `{"item":"c1","text":"\"引号\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 \ud800 <b>","kind":"text","id":"chatlog:1","actor":"rule:flood","time":"2026-03-02T08:00:00.120-05:30","member":"m","group":"g","type":"message","v":1}`
	evs, errs := decodeAll(t, in)
	if len(errs) != 0 || len(evs) != 1 {
		t.Fatalf("got %d events and errors %v", len(evs), errs)
	}
	want := Event{Type: Message, Group: "g", Member: "m",
		Time:  time.Date(2026, 3, 2, 8, 0, 0, 120e6, time.FixedZone("", -5*3600-30*60)),
		Actor: "rule:flood", ID: "chatlog:1", Kind: "text", Item: "c1",
		Text: "\"引号\" \\ / \b\f\n\r\t é 😀 \uFFFD <b>"}
	if !sameEvent(evs[0], want) {
		t.Errorf("decoded %+v\nwant %+v", evs[0], want)
	}
	if evs[0].Time.Location() == time.Local {
		t.Error("decoded time must not take the machine's local zone")
	}
	evs, _ = decodeAll(t, `{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02t08:00:00z"}`)
	if len(evs) != 1 || evs[0].Time.Location() != time.UTC {
		t.Errorf("lower-case t and z: %v", evs)
	}
}

func TestEncodeFormat(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	e := Event{Type: Message, Group: "g@chatroom", Member: "wxid_1", Time: time.Date(2026, 3, 2, 8, 0, 0, 500, shanghai),
		Text: "<a href=\"x\">加微信</a>\n\x01", Kind: "link"}
	if err := enc.Encode(e); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(Event{Type: Join, Group: "g", Member: "m", Time: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	want := `{"v":1,"type":"message","group":"g@chatroom","member":"wxid_1","time":"2026-03-02T08:00:00.0000005+08:00","kind":"link","text":"<a href=\"x\">加微信</a>\n\u0001"}` + "\n" +
		`{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T00:00:00Z"}` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("encoded (-want +got):\n%s", diff)
	}
	if err := enc.Encode(Event{Type: Read, Group: "g", Member: "m", Time: e.Time}); err == nil {
		t.Error("Encode of an invalid event must fail")
	}
	if !strings.HasSuffix(buf.String(), want[len(want)-20:]) || strings.Count(buf.String(), "\n") != 2 {
		t.Error("a failed Encode must write nothing")
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodeReportsWriteErrors(t *testing.T) {
	if err := NewEncoder(errWriter{}).Encode(validEvent(Join)); err == nil || err.Error() != "disk full" {
		t.Errorf("Encode = %v, want the writer's error", err)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		r.n++
		return copy(p, goodLine+"\n"), nil
	}
	return 0, errors.New("connection reset")
}

func TestDecodeReaderErrorIsSticky(t *testing.T) {
	d := NewDecoder(&failingReader{})
	if _, err := d.Decode(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := d.Decode(); err == nil || err.Error() != "connection reset" {
			t.Fatalf("call %d: err = %v, want the reader's error", i, err)
		}
	}
}

// genEvent draws any valid event: any Unicode text (including quotes,
// control characters, newlines and emoji), offsets from -23:59 to +23:59 in
// whole minutes, and any nanosecond.
func genEvent(t *rapid.T) Event {
	str := func(label string, min int) string {
		return rapid.StringOfN(rapid.RuneFrom(nil, unicodeRanges...), min, 40, -1).Draw(t, label)
	}
	types := EventTypes()
	typ := rapid.SampledFrom(types).Draw(t, "type")
	// Real zones span -12:00..+14:00; RFC 3339 allows up to ±23:59, and
	// so must Validate (issue 18: it let +25:00 through to the Encoder).
	off := rapid.IntRange(-(24*60-1), 24*60-1).Draw(t, "offsetMinutes") * 60
	// From just after the zero time (which Validate rejects as unset) to the end
	// of year 9999 less a day (room for any offset).
	sec := rapid.Int64Range(-62135596800+1, 253402300799-86400).Draw(t, "unix")
	ns := rapid.Int64Range(0, 999999999).Draw(t, "nanos")
	loc := time.FixedZone("", off)
	if off == 0 && rapid.Bool().Draw(t, "utc") {
		loc = time.UTC
	}
	e := Event{
		Type: typ, Group: str("group", 1), Member: str("member", 1),
		Time:  time.Unix(sec, ns).In(loc),
		Actor: str("actor", 0), ID: str("id", 0), Kind: str("kind", 0), Text: str("text", 0), Item: str("item", 0),
	}
	switch typ {
	case Read, Claim:
		e.Item = "i" + e.Item
	case Report:
		e.Actor = "a" + e.Actor
	case Rename, Title:
		e.Text = "t" + e.Text
	}
	return e
}

var unicodeRanges = []*unicode.RangeTable{unicode.Han, unicode.Latin, unicode.Cc, unicode.P, unicode.S, unicode.Zs, unicode.Cf, unicode.Mn}

func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		evs := rapid.SliceOfN(rapid.Custom(genEvent), 1, 5).Draw(t, "events")
		var buf bytes.Buffer
		enc := NewEncoder(&buf)
		for _, e := range evs {
			if err := enc.Encode(e); err != nil {
				t.Fatalf("Encode(%+v): %v", e, err)
			}
		}
		if !utf8.Valid(buf.Bytes()) || bytes.Count(buf.Bytes(), []byte("\n")) != len(evs) {
			t.Fatalf("output is not %d lines of UTF-8: %q", len(evs), buf.String())
		}
		d := NewDecoder(&buf)
		for i, want := range evs {
			got, err := d.Decode()
			if err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
			if !sameEvent(got, want) {
				t.Fatalf("event %d:\n got %+v\nwant %+v", i, got, want)
			}
			if d.Line() != i+1 {
				t.Fatalf("Line() = %d, want %d", d.Line(), i+1)
			}
		}
		if _, err := d.Decode(); err != io.EOF {
			t.Fatalf("after the last event: %v, want io.EOF", err)
		}
	})
}

func TestEncodeRejectsInvalidUTF8(t *testing.T) {
	// Invalid UTF-8 is rejected, never replaced: replacing would make the
	// log differ from the event the caller holds.
	e := validEvent(Message)
	e.Text = "ok\xff"
	var buf bytes.Buffer
	if err := NewEncoder(&buf).Encode(e); err == nil || buf.Len() != 0 {
		t.Errorf("Encode = %v, wrote %q; want an error and nothing written", err, buf.String())
	}
}

func TestDecoderAll(t *testing.T) {
	in := goodLine + "\n" + `{"v":1,"type":"nope"}` + "\n\n" + strings.Replace(goodLine, "早", "晚", 1) + "\n"
	var texts []string
	var lines []int
	for e, err := range NewDecoder(strings.NewReader(in)).All() {
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("non-line error %v", err)
			}
			lines = append(lines, le.Line)
			continue
		}
		texts = append(texts, e.Text)
	}
	if diff := cmp.Diff([]string{"早", "晚"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2}, lines); diff != "" {
		t.Errorf("bad lines (-want +got):\n%s", diff)
	}

	// A reader error is yielded once and ends the iteration.
	n, errs := 0, 0
	for _, err := range NewDecoder(&failingReader{}).All() {
		if err != nil {
			errs++
		} else {
			n++
		}
	}
	if n != 1 || errs != 1 {
		t.Errorf("failing reader: %d events, %d errors; want 1 and 1", n, errs)
	}

	// Breaking out leaves the decoder at the next line.
	d := NewDecoder(strings.NewReader(goodLine + "\n" + goodLine + "\n"))
	for range d.All() {
		break
	}
	if _, err := d.Decode(); err != nil {
		t.Errorf("Decode after break: %v", err)
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Errorf("third Decode = %v, want io.EOF", err)
	}
}

// Validate and the codec agree (issue 18): an event whose time carries any
// offset (whole minutes or not, within a day or beyond, as time.FixedZone
// allows) at any instant near the ends of the years 0000..9999 is either
// rejected by Validate and by Encode alike, or encoded and decoded back to
// the same event.
func TestValidateAgreesWithCodec(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := genEvent(t)
		off := rapid.IntRange(-30*3600, 30*3600).Draw(t, "offsetSeconds")
		if rapid.Bool().Draw(t, "wholeMinutes") {
			off -= off % 60
		}
		base := rapid.SampledFrom([]int64{minLocalUnix, 1772409600, maxLocalUnix}).Draw(t, "near")
		sec := base + rapid.Int64Range(-3*86400, 3*86400).Draw(t, "seconds")
		e.Time = time.Unix(sec, e.Time.UnixNano()%1e9).In(time.FixedZone("", off))
		valid := e.Validate() == nil
		var buf bytes.Buffer
		encErr := NewEncoder(&buf).Encode(e)
		if valid != (encErr == nil) {
			t.Fatalf("Validate ok = %v but Encode error %v, for %v", valid, encErr, e.Time)
		}
		if !valid {
			return
		}
		got, err := NewDecoder(&buf).Decode()
		if err != nil {
			t.Fatalf("Decode of the encoding of a valid event (time %v): %v\n%s", e.Time, err, buf.Bytes())
		}
		if !sameEvent(got, e) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, e)
		}
	})
}

// plainRun, which looks at 8 bytes at a time, stops where a byte-by-byte
// scan stops (at '"', '\\' or a control character) and says ASCII exactly
// when the run before it is, for runs of every length and alignment with
// the stop (or none) anywhere, among bytes on both sides of every bound the
// word tricks test (0x1f/0x20, 0x21/0x22/0x23, 0x5b/0x5c/0x5d, 0x7f/0x80, 0xff).
func TestPlainRunMatchesByteScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// A run of plain bytes (long runs take the 8-byte path), then any.
		plain := rapid.SliceOfN(rapid.SampledFrom([]byte{0x20, 0x21, 0x23, 0x5b, 0x5d, 'a', 0x7f, 0x80, 0xe4, 0xff}), 0, 40).Draw(t, "plain")
		rest := rapid.SliceOfN(rapid.SampledFrom([]byte{0x00, 0x1f, 0x20, 0x21, '"', 0x23, 0x5b, '\\', 0x5d, 'a', 0x7f, 0x80, 0xe4, 0xff}), 0, 20).Draw(t, "rest")
		b := append(plain, rest...)
		start := rapid.IntRange(0, len(b)).Draw(t, "start")
		want, wantASCII := byteRun(b, start)
		end, ascii := plainRun(b, start)
		if end != want || ascii != wantASCII {
			t.Fatalf("plainRun(%q, %d) = %d, %v; want %d, %v", b, start, end, ascii, want, wantASCII)
		}
	})
}

// byteRun is plainRun byte by byte, as the decoder scanned strings before
// issue 18: the model for TestPlainRunMatchesByteScan and the baseline of
// BenchmarkStringRun.
func byteRun(b []byte, i int) (end int, ascii bool) {
	ascii = true
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return i, ascii
}

// parseBoth parses one line with the fast path and with the general
// parser, and fails when the fast path accepts a line that the general
// parser reads differently (issue 18: parseCanonical must never change
// what the Decoder returns).
func parseBoth(t interface{ Fatalf(string, ...any) }, line []byte) (fast bool) {
	d := NewDecoder(nil)
	e, ok := d.parseCanonical(line)
	if !ok {
		return false
	}
	want, err := NewDecoder(nil).parse(line)
	if err != nil {
		t.Fatalf("fast path accepted %q, which parse rejects: %v", line, err)
	}
	if !sameEvent(e, want) {
		t.Fatalf("fast path read %q as\n%+v\nparse reads\n%+v", line, e, want)
	}
	return true
}

// TestParseCanonicalAgrees (issue 18): the fast path reads what the
// Encoder writes, the same as parse, and leaves every other line to parse:
// lines that differ from the canonical form in one respect each.
func TestParseCanonicalAgrees(t *testing.T) {
	const head = `{"v":1,"type":"message","group":"g1@chatroom","member":"wxid_1","time":"2026-03-02T08:00:00+08:00"`
	for _, tc := range []struct {
		name, line string
		fast       bool
	}{
		{"required keys only", head + `}`, true},
		{"every optional key", head + `,"actor":"a","id":"chatlog:1","kind":"image","text":"早上好","item":"p1"}`, true},
		{"unknown kind", head + `,"kind":"hologram"}`, true},
		{"empty values", `{"v":1,"type":"join","group":"","member":"","time":"2026-03-02T08:00:00Z","id":""}`, true},
		{"gen.py's form", `{"v":1,"type":"message","group":"g7@chatroom","member":"g7-u12","time":"2026-01-01T14:47:40Z","id":"gen:1","kind":"text","text":"好的 👍"}`, true},
		{"space after a colon", `{"v": 1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, false},
		{"keys out of order", `{"v":1,"type":"message","member":"m","group":"g","time":"2026-03-02T08:00:00Z"}`, false},
		{"optional keys out of order", head + `,"text":"a","id":"b"}`, false},
		{"duplicate key", head + `,"id":"a","id":"b"}`, false},
		{"unknown key", head + `,"zz":"a"}`, false},
		{"escape", head + `,"text":"a\"b"}`, false},
		{"unicode escape", head + `,"text":"\u65e9"}`, false},
		{"control character", head + ",\"text\":\"a\tb\"}", false},
		{"invalid UTF-8", head + ",\"text\":\"a\xffb\"}", false},
		{"unknown type", `{"v":1,"type":"shout","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, false},
		{"bad time", `{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02 08:00:00"}`, false},
		{"newer version", `{"v":2,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, false},
		{"v 10", `{"v":10,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}`, false},
		{"space at the end", head + `} `, false},
		{"data after the object", head + `}x`, false},
		{"unterminated", head + `,"text":"abc`, false},
		{"missing member", `{"v":1,"type":"join","group":"g","time":"2026-03-02T08:00:00Z"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if fast := parseBoth(t, []byte(tc.line)); fast != tc.fast {
				t.Errorf("fast path taken: %v, want %v", fast, tc.fast)
			}
		})
	}
}

// TestParseCanonicalTakesEncoderLines (issue 18): every line the Encoder
// writes takes the fast path, unless a string needs an escape, so the
// speed of decoding our own logs does not silently fall back to parse.
func TestParseCanonicalTakesEncoderLines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := genEvent(t)
		line := appendEvent(nil, e)
		line = line[:len(line)-1] // the newline, which readLine strips
		escapes := false
		for _, s := range []string{e.Group, e.Member, e.Actor, e.ID, e.Kind, e.Text, e.Item} {
			escapes = escapes || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == '"' || r == '\\' })
		}
		if fast := parseBoth(t, line); fast == escapes {
			t.Fatalf("fast path taken: %v for %q (escapes: %v)", fast, line, escapes)
		}
	})
}

// TestInternGroups: the decoder gives the lines of one group the same
// string, whatever a collision in its cache replaced, and does not keep a
// long group ID.
func TestInternGroups(t *testing.T) {
	var log strings.Builder
	for i := range 3 * internSlots {
		fmt.Fprintf(&log, `{"v":1,"type":"roster","group":"g%d","member":"m","time":"2026-03-02T08:00:00Z"}`+"\n", i%(2*internSlots))
	}
	long := strings.Repeat("x", internMax+1)
	fmt.Fprintf(&log, `{"v":1,"type":"roster","group":%q,"member":"m","time":"2026-03-02T08:00:00Z"}`+"\n", long)
	evs, errs := decodeAll(t, log.String())
	if len(errs) != 0 || len(evs) != 3*internSlots+1 {
		t.Fatalf("%d events, errors %v", len(evs), errs)
	}
	for i, e := range evs[:3*internSlots] {
		if want := fmt.Sprintf("g%d", i%(2*internSlots)); e.Group != want {
			t.Fatalf("event %d: group %q, want %q", i, e.Group, want)
		}
	}
	if evs[len(evs)-1].Group != long {
		t.Errorf("long group %q", evs[len(evs)-1].Group)
	}
	d := NewDecoder(strings.NewReader(log.String()))
	for range 3 * internSlots {
		if _, err := d.Decode(); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range d.groups {
		if len(s) > internMax {
			t.Errorf("the cache keeps a group ID of %d bytes", len(s))
		}
	}
}

// TestUnixDaysAgreesWithTime: the decoder's civil-date arithmetic gives
// time.Date's day for the first and last day of every month of every year
// a time may have (0000..9999), leap days included.
func TestUnixDaysAgreesWithTime(t *testing.T) {
	for year := 0; year <= 9999; year++ {
		for month := 1; month <= 12; month++ {
			for _, day := range []int{1, daysIn(year, month)} {
				want := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Unix() / 86400 // exact: a midnight
				if got := unixDays(year, month, day); got != want {
					t.Fatalf("unixDays(%d, %d, %d) = %d, want %d", year, month, day, got, want)
				}
			}
		}
	}
}

// TestDecoderReset: after Reset, a Decoder reads the new stream as a new
// Decoder would (line numbers from 1, a byte order mark stripped, an
// error of the old reader forgotten) and keeps IgnoreUnknownKeys.
func TestDecoderReset(t *testing.T) {
	d := NewDecoder(&failingReader{}) // one good line, then an error
	d.IgnoreUnknownKeys()
	for {
		if _, err := d.Decode(); err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				break // the reader's error, sticky until Reset
			}
		}
	}
	second := "\xEF\xBB\xBF" + strings.Replace(goodLine, `{"v":1,`, `{"v":1,"extra":[1],`, 1) + "\n\n" + goodLine
	d.Reset(strings.NewReader(second))
	for i, want := range []int{1, 3} {
		e, err := d.Decode()
		if err != nil || d.Line() != want || e.Member != "m" {
			t.Fatalf("event %d after Reset: %+v, %v at line %d, want line %d", i, e, err, d.Line(), want)
		}
	}
	if _, err := d.Decode(); err != io.EOF {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}
}

// TestShareStrings: a Decoder with ShareStrings reads what one without
// reads, for the cases of line endings, blank lines, a byte order mark, a
// last line without an ending, escapes (the general parser), values
// longer than a block, and lines too long; and the strings of many lines
// share blocks (far fewer allocations than lines).
func TestShareStrings(t *testing.T) {
	long := `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"` + strings.Repeat("a", MaxLineBytes) + `"}`
	big := `{"v":1,"type":"message","group":"g","member":"m","time":"2026-03-02T08:00:00Z","text":"` + strings.Repeat("b", shareBlock+10) + `"}`
	for _, data := range []string{
		"",
		"\n\n",
		goodLine,
		goodLine + "\n" + goodLine + "\r\n\r\n" + goodLine,
		"\xEF\xBB\xBF" + goodLine + "\n",
		`{"v":1,"type":"message","group":"g","member":"m\u00e9","time":"2026-03-02T08:00:00Z","id":"a\"b","text":"x"}` + "\n" + goodLine,
		goodLine + "\n" + long + "\n" + goodLine + "\n",
		goodLine + "\n" + big + "\n" + goodLine + "\n" + big,
		"{\n" + goodLine + "\nnot json",
	} {
		checkShareStrings(t, []byte(data))
	}
	log := strings.Repeat(goodLine+"\n", 10000)
	d := NewDecoder(strings.NewReader(log))
	d.ShareStrings()
	allocs := testing.AllocsPerRun(1, func() {
		d.Reset(strings.NewReader(log))
		for {
			if _, err := d.Decode(); err != nil {
				break
			}
		}
	})
	if allocs > 100 {
		t.Errorf("%v allocations for 10,000 lines", allocs)
	}
}
