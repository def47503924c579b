package qunops

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// SchemaVersion is the version of the JSON Lines schema that this package
// writes, and the newest it reads. Every line carries it as "v".
const SchemaVersion = 1

// MaxLineBytes is the longest line, without its line ending, that a Decoder
// accepts. A longer line is reported as an error and skipped.
const MaxLineBytes = 1 << 20

// LineError is the error a Decoder returns for a line it cannot accept. Err
// says what is wrong; it is a *FieldError when the line parsed but the event
// did not validate.
type LineError struct {
	Line int   // 1-based line number in the stream
	Err  error // the problem
}

// Error returns "qunops: line N: " and the problem; a *FieldError's own
// prefix is left out, so the package name appears once.
func (e *LineError) Error() string {
	var fe *FieldError
	msg := ""
	if errors.As(e.Err, &fe) {
		msg = fe.message()
	} else {
		msg = e.Err.Error()
	}
	return "qunops: line " + strconv.Itoa(e.Line) + ": " + msg
}

// Unwrap returns the problem, for errors.Is and errors.As.
func (e *LineError) Unwrap() error { return e.Err }

// A Decoder reads events from a JSON Lines stream, schema v1: one flat JSON
// object per line with the keys v, type, group, member, time, actor, id,
// kind, text and item. "v" is the number 1, every other value a string;
// "time" is RFC 3339 with an explicit UTC offset ("Z" or ±hh:mm).
//
// The Decoder streams: it holds one line at a time, and a small cache of
// the group IDs it read (at most 256 of up to 64 bytes, so that the events
// of one group share one string), so memory does not grow with the stream.
// Each event costs at most one allocation, the string its other values
// share (with ShareStrings, a part of a block shared by many lines). It
// strips a UTF-8 byte order mark at the start, accepts
// LF and CRLF line endings and skips blank lines. It rejects, with a
// *LineError that names the line: a line that is not a JSON object, a
// duplicate key, a missing or newer "v", a value of the wrong JSON type, a
// string with invalid UTF-8, a time without an offset, an unknown event
// type, an unknown key (unless IgnoreUnknownKeys was called), a line over
// MaxLineBytes, and an event that fails Validate. A lone UTF-16 surrogate
// in a \u escape is replaced by U+FFFD, as encoding/json does; raw invalid
// UTF-8 is rejected. After a bad line, the next call to Decode goes on with
// the next line. An error of the underlying reader ends decoding and is
// returned by every later call.
//
// A Decoder is not safe for concurrent use.
type Decoder struct {
	r             *bufio.Reader
	line          int
	ignoreUnknown bool
	started       bool
	err           error // sticky error of the underlying reader

	long  []byte // a line longer than the bufio buffer, assembled
	vals  []byte // unescaped values of the current line, back to back
	zones map[int]*time.Location
	// the zone of the last time with an offset, and its offset
	lastOff  int
	lastZone *time.Location
	groups   *[internSlots]string // recent group IDs, by a hash of their bytes (see intern)

	share bool             // ShareStrings was called
	block *strings.Builder // with share: the block the strings of the next lines go to
}

// NewDecoder returns a Decoder that reads from r. It buffers its input.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: bufio.NewReaderSize(r, 64<<10)}
}

// Reset makes the Decoder read a new stream from r, as a new Decoder
// would, keeping its buffers and IgnoreUnknownKeys: for a program that
// decodes many short streams (the parts of a file read in parallel), so
// that each does not allocate a buffer of its own.
func (d *Decoder) Reset(r io.Reader) {
	d.r.Reset(r)
	d.line, d.started, d.err = 0, false, nil
	d.long = d.long[:0]
}

// ShareStrings makes the Decoder put the strings of the events it returns
// in shared blocks of 256 KiB, one after another, instead of one allocation
// per line: for a program that decodes millions of events and drops them
// soon after, such as a report over a large log, it spares the allocator
// and the garbage collector nearly all their work. But any of those
// strings that the program keeps keeps its whole block in memory:
// strings.Clone the IDs, texts and names that outlive their events. The events are the same either way; Reset
// keeps the setting.
func (d *Decoder) ShareStrings() { d.share = true }

// shareBlock is the size of the blocks of ShareStrings (ours: big enough
// to make their allocations rare, small enough that a few kept strings do
// not keep much).
const shareBlock = 256 << 10

// part returns s[i:j], or "" when it is empty: an empty part of a shared
// block (ShareStrings) would keep the block.
func part(s string, i, j int) string {
	if i == j {
		return ""
	}
	return s[i:j]
}

// text returns v as a string: a new one, or after ShareStrings a part of
// the current block.
func (d *Decoder) text(v []byte) string {
	if !d.share {
		return string(v)
	}
	if d.block == nil || d.block.Cap()-d.block.Len() < len(v) {
		// A new block; the old one stays where its strings are. Bytes
		// written to a strings.Builder are never changed, so the strings
		// cut from it earlier stay as they are.
		d.block = new(strings.Builder)
		d.block.Grow(max(shareBlock, len(v)))
	}
	off := d.block.Len()
	d.block.Write(v)
	return d.block.String()[off:]
}

// IgnoreUnknownKeys makes the Decoder skip keys that schema v1 does not
// define (any JSON value) instead of rejecting the line. Use it to read logs
// written by a tool that adds its own keys.
func (d *Decoder) IgnoreUnknownKeys() { d.ignoreUnknown = true }

// Line returns the number of the line that the last call to Decode read
// (1-based; 0 before the first call).
func (d *Decoder) Line() int { return d.line }

// Decode reads the next event. At the end of the stream it returns io.EOF.
// A bad line gives a *LineError; the Decoder can go on after it.
func (d *Decoder) Decode() (Event, error) {
	for {
		line, err := d.readLine()
		if err != nil {
			return Event{}, err
		}
		if isBlank(line) {
			continue
		}
		e, ok := d.parseCanonical(line)
		var perr error
		if !ok {
			e, perr = d.parse(line)
		}
		if perr != nil {
			return Event{}, &LineError{Line: d.line, Err: perr}
		}
		// The fast path checked the strings' UTF-8 as it read them.
		if verr := e.validate(!ok); verr != nil {
			return Event{}, &LineError{Line: d.line, Err: verr}
		}
		return e, nil
	}
}

// All returns an iterator over the rest of the stream, for use with range:
//
//	for e, err := range qunops.NewDecoder(r).All() {
//		if err != nil {
//			log.Print(err) // a *LineError: the line is skipped
//			continue
//		}
//		...
//	}
//
// Each step is one call of Decode. A bad line is yielded as its *LineError
// and the iteration goes on with the next line; an error of the underlying
// reader is yielded once and ends it, and so does the end of the stream
// (io.EOF is not yielded). Breaking out of the loop leaves the Decoder where
// it stopped.
func (d *Decoder) All() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for {
			e, err := d.Decode()
			if err == io.EOF {
				return
			}
			if !yield(e, err) {
				return
			}
			var le *LineError
			if err != nil && !errors.As(err, &le) {
				return
			}
		}
	}
}

var errLineTooLong = fmt.Errorf("line is longer than %d bytes", MaxLineBytes)

// readLine returns the next line without its line ending. A line that is too
// long is consumed and reported as a *LineError.
func (d *Decoder) readLine() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	var line []byte
	frag, err := d.r.ReadSlice('\n')
	switch {
	case err == nil || (err == io.EOF && len(frag) > 0):
		line = frag
	case err == io.EOF:
		d.err = io.EOF
		return nil, io.EOF
	case err == bufio.ErrBufferFull:
		d.long = append(d.long[:0], frag...)
		tooLong := false
		for err == bufio.ErrBufferFull {
			frag, err = d.r.ReadSlice('\n')
			if !tooLong {
				// Allow for the line ending, which is not counted.
				if len(d.long)+len(frag) > MaxLineBytes+2 {
					tooLong = true
					d.long = d.long[:0]
				} else {
					d.long = append(d.long, frag...)
				}
			}
		}
		if err != nil && err != io.EOF {
			d.err = err
			return nil, err
		}
		d.line++
		if tooLong {
			return nil, &LineError{Line: d.line, Err: errLineTooLong}
		}
		line = d.long
		if len(line) == 0 && err == io.EOF {
			d.err = io.EOF
			return nil, io.EOF
		}
		return d.finishLine(line)
	default:
		d.err = err
		return nil, err
	}
	d.line++
	return d.finishLine(line)
}

func (d *Decoder) finishLine(line []byte) ([]byte, error) {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if !d.started {
		d.started = true
		if len(line) >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
			line = line[3:]
		}
	}
	if len(line) > MaxLineBytes {
		return nil, &LineError{Line: d.line, Err: errLineTooLong}
	}
	return line, nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// Field indexes, in schema order.
const (
	kV = iota
	kType
	kGroup
	kMember
	kTime
	kActor
	kID
	kKind
	kText
	kItem
	nKeys
)

var keyNames = [nKeys]string{"v", "type", "group", "member", "time", "actor", "id", "kind", "text", "item"}

func keyIndex(b []byte) int {
	switch string(b) {
	case "v":
		return kV
	case "type":
		return kType
	case "group":
		return kGroup
	case "member":
		return kMember
	case "time":
		return kTime
	case "actor":
		return kActor
	case "id":
		return kID
	case "kind":
		return kKind
	case "text":
		return kText
	case "item":
		return kItem
	}
	return -1
}

// parse turns one line into an Event. All string fields share one
// allocation: the values are unescaped back to back into d.vals, converted
// to a string once (d.text), and sliced.
func (d *Decoder) parse(b []byte) (Event, error) {
	var (
		seen    [nKeys]bool
		start   [nKeys]int
		end     [nKeys]int
		version int
	)
	d.vals = d.vals[:0]
	p := &parser{b: b}
	p.ws()
	if !p.eat('{') {
		return Event{}, errors.New("not a JSON object")
	}
	p.ws()
	if !p.eat('}') {
		for {
			p.ws()
			if p.peek() != '"' {
				return Event{}, p.errorf("want a key in double quotes")
			}
			keyStart := len(d.vals)
			var err error
			d.vals, err = p.str(d.vals)
			if err != nil {
				return Event{}, fmt.Errorf("key: %w", err)
			}
			k := keyIndex(d.vals[keyStart:])
			keyName := ""
			if k < 0 {
				keyName = strconv.Quote(string(d.vals[keyStart:]))
			}
			d.vals = d.vals[:keyStart]
			p.ws()
			if !p.eat(':') {
				return Event{}, p.errorf("want ':' after a key")
			}
			p.ws()
			switch {
			case k < 0:
				if !d.ignoreUnknown {
					return Event{}, fmt.Errorf("unknown key %s", keyName)
				}
				if err := p.skipValue(0); err != nil {
					return Event{}, fmt.Errorf("key %s: %w", keyName, err)
				}
			case seen[k]:
				return Event{}, fmt.Errorf("duplicate key %q", keyNames[k])
			case k == kV:
				seen[k] = true
				v, err := p.version()
				if err != nil {
					return Event{}, err
				}
				version = v
			default:
				seen[k] = true
				if p.peek() != '"' {
					return Event{}, fmt.Errorf("key %q: want a string", keyNames[k])
				}
				start[k] = len(d.vals)
				d.vals, err = p.str(d.vals)
				if err != nil {
					return Event{}, fmt.Errorf("key %q: %w", keyNames[k], err)
				}
				end[k] = len(d.vals)
			}
			p.ws()
			if p.eat(',') {
				continue
			}
			if p.eat('}') {
				break
			}
			return Event{}, p.errorf("want ',' or '}'")
		}
	}
	p.ws()
	if p.i < len(p.b) {
		return Event{}, p.errorf("extra data after the object")
	}
	if !seen[kV] {
		return Event{}, errors.New(`missing schema version "v"`)
	}
	if version > SchemaVersion {
		return Event{}, fmt.Errorf("schema version %d is newer than this decoder reads (%d)", version, SchemaVersion)
	}
	if version < 1 {
		return Event{}, fmt.Errorf("schema version %d is not valid", version)
	}

	var e Event
	if seen[kType] {
		t, ok := lookupType(d.vals[start[kType]:end[kType]])
		if !ok {
			return Event{}, fmt.Errorf("unknown event type %q", d.vals[start[kType]:end[kType]])
		}
		e.Type = t
	}
	if seen[kTime] {
		t, err := d.parseTime(d.vals[start[kTime]:end[kTime]])
		if err != nil {
			return Event{}, err
		}
		e.Time = t
	}
	s := d.text(d.vals)
	e.Group = part(s, start[kGroup], end[kGroup])
	e.Member = part(s, start[kMember], end[kMember])
	e.Actor = part(s, start[kActor], end[kActor])
	e.ID = part(s, start[kID], end[kID])
	e.Kind = part(s, start[kKind], end[kKind])
	e.Text = part(s, start[kText], end[kText])
	e.Item = part(s, start[kItem], end[kItem])
	return e, nil
}

// canonicalHead is how every line that the Encoder (and the bench's
// generators) write starts.
const canonicalHead = `{"v":1,"type":"`

// The keys after "type", as the Encoder writes them: the required ones,
// then the optional ones in order, each with the quote of its value.
var (
	canonicalRequired = [...]string{`,"group":"`, `,"member":"`, `,"time":"`}
	canonicalOptional = [...]string{`,"actor":"`, `,"id":"`, `,"kind":"`, `,"text":"`, `,"item":"`}
)

// parseCanonical is the fast path of parse, for a line in the form the
// Encoder writes: the keys in schema order, no space, no escape in a
// string. It reads the line with one scan of each string (plainRun) and
// no key lookups, takes the group ID from a small cache (intern) and the
// kind from the Kind constants, so that the one string it allocates holds
// the other values only. On anything else it returns false, and parse
// reads the line from the start: so whether a line is accepted, and with
// which error, never depends on this path, and for a line both accept the
// event is the same (TestParseCanonicalAgrees, FuzzParseCanonical).
func (d *Decoder) parseCanonical(b []byte) (Event, bool) {
	if len(b) < len(canonicalHead) || string(b[:len(canonicalHead)]) != canonicalHead {
		return Event{}, false
	}
	i := len(canonicalHead)
	// value returns the end of the string value that starts at i (after
	// its quote), or -1 when it needs parse's attention.
	value := func(i int) int {
		j, ascii := plainRun(b, i)
		if j >= len(b) || b[j] != '"' || (!ascii && !utf8.Valid(b[i:j])) {
			return -1
		}
		return j
	}
	var (
		start, end [nKeys]int
		e          Event
	)
	j := value(i)
	if j < 0 {
		return Event{}, false
	}
	t, ok := lookupType(b[i:j])
	if !ok {
		return Event{}, false
	}
	e.Type = t
	i = j + 1
	for k, key := range canonicalRequired {
		if len(b)-i < len(key) || string(b[i:i+len(key)]) != key {
			return Event{}, false
		}
		i += len(key)
		if j = value(i); j < 0 {
			return Event{}, false
		}
		start[kGroup+k], end[kGroup+k] = i, j
		i = j + 1
	}
	for k, key := range canonicalOptional {
		if len(b)-i < len(key) || string(b[i:i+len(key)]) != key {
			continue
		}
		i += len(key)
		if j = value(i); j < 0 {
			return Event{}, false
		}
		start[kActor+k], end[kActor+k] = i, j
		i = j + 1
	}
	if i != len(b)-1 || b[i] != '}' {
		return Event{}, false
	}
	tm, err := d.parseTime(b[start[kTime]:end[kTime]])
	if err != nil {
		return Event{}, false
	}
	e.Time = tm
	e.Group = d.intern(b[start[kGroup]:end[kGroup]])
	e.Kind = knownKind(b[start[kKind]:end[kKind]])
	d.vals = d.vals[:0]
	for _, k := range [...]int{kMember, kActor, kID, kKind, kText, kItem} {
		if k == kKind && e.Kind != "" {
			continue
		}
		n := len(d.vals)
		d.vals = append(d.vals, b[start[k]:end[k]]...)
		start[k], end[k] = n, len(d.vals)
	}
	if len(d.vals) > 0 {
		s := d.text(d.vals)
		e.Member = part(s, start[kMember], end[kMember])
		e.Actor = part(s, start[kActor], end[kActor])
		e.ID = part(s, start[kID], end[kID])
		if e.Kind == "" {
			e.Kind = part(s, start[kKind], end[kKind])
		}
		e.Text = part(s, start[kText], end[kText])
		e.Item = part(s, start[kItem], end[kItem])
	}
	return e, true
}

// internSlots is the size of a Decoder's cache of group IDs (ours: a log
// names a few hundred groups at most, and a slot is 16 bytes).
const (
	internBits  = 8
	internSlots = 1 << internBits
)

// internMax is the longest group ID that the cache keeps, so that it holds
// at most internSlots × internMax bytes whatever the log.
const internMax = 64

// intern returns b as a string, the one of an earlier line when b is in
// the Decoder's cache: the lines of a log name the same groups over and
// over, and a shared string costs neither an allocation nor memory in
// every event that a program keeps. The cache is direct-mapped by a hash
// of the bytes; a collision only replaces an entry.
func (d *Decoder) intern(b []byte) string {
	if len(b) > internMax || len(b) == 0 {
		return string(b)
	}
	if d.groups == nil {
		d.groups = new([internSlots]string)
	}
	var h uint64
	if len(b) >= 8 { // the first and last 8 bytes: IDs differ in a number at either end
		h = binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[len(b)-8:])<<1
	} else {
		for _, c := range b {
			h = h<<8 | uint64(c)
		}
	}
	h = (h ^ uint64(len(b))) * 0x9E3779B97F4A7C15 // Fibonacci hashing: the top bits mix every bit
	slot := &d.groups[h>>(64-internBits)]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

// knownKind returns the Kind constant spelled b, or "" when there is none.
func knownKind(b []byte) string {
	switch string(b) {
	case KindText:
		return KindText
	case KindImage:
		return KindImage
	case KindVoice:
		return KindVoice
	case KindVideo:
		return KindVideo
	case KindSticker:
		return KindSticker
	case KindLink:
		return KindLink
	}
	return ""
}

func lookupType(b []byte) (EventType, bool) {
	switch string(b) {
	case "join":
		return Join, true
	case "leave":
		return Leave, true
	case "roster":
		return Roster, true
	case "message":
		return Message, true
	case "read":
		return Read, true
	case "claim":
		return Claim, true
	case "checkin":
		return Checkin, true
	case "warn":
		return Warn, true
	case "report":
		return Report, true
	case "resolve":
		return Resolve, true
	case "rename":
		return Rename, true
	case "title":
		return Title, true
	}
	return "", false
}

// parser is a cursor over one line of JSON.
type parser struct {
	b []byte
	i int
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *parser) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) errorf(format string, args ...any) error {
	if p.i >= len(p.b) {
		return fmt.Errorf(format+" at the end of the line", args...)
	}
	return fmt.Errorf(format+" at byte %d", append(args, p.i+1)...)
}

// version parses the value of "v": a non-negative integer.
func (p *parser) version() (int, error) {
	startAt := p.i
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if n > 1<<20 {
			return 0, errors.New(`schema version "v" is too large`)
		}
		n = n*10 + int(p.b[p.i]-'0')
		p.i++
	}
	if p.i == startAt {
		return 0, errors.New(`schema version "v" must be a number`)
	}
	if c := p.peek(); c == '.' || c == 'e' || c == 'E' {
		return 0, errors.New(`schema version "v" must be an integer`)
	}
	return n, nil
}

// str appends the unescaped JSON string at the cursor to dst.
func (p *parser) str(dst []byte) ([]byte, error) {
	p.i++ // opening quote
	for {
		// Copy the run of bytes that need no attention.
		j, ascii := plainRun(p.b, p.i)
		if !ascii && !utf8.Valid(p.b[p.i:j]) {
			return dst, errors.New("invalid UTF-8")
		}
		dst = append(dst, p.b[p.i:j]...)
		p.i = j
		if j >= len(p.b) {
			return dst, errors.New("unterminated string")
		}
		switch c := p.b[j]; {
		case c == '"':
			p.i++
			return dst, nil
		case c < 0x20:
			return dst, fmt.Errorf("control character %#02x in a string (escape it)", c)
		}
		// A backslash escape.
		if j+1 >= len(p.b) {
			return dst, errors.New("unterminated string")
		}
		esc := p.b[j+1]
		p.i = j + 2
		switch esc {
		case '"', '\\', '/':
			dst = append(dst, esc)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return dst, errors.New(`bad \u escape`)
			}
			if utf16.IsSurrogate(r) {
				// A pair needs a second \u escape; anything else leaves a lone
				// surrogate, which becomes U+FFFD.
				save := p.i
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					if r2, ok := p.hex4(); ok {
						if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
							dst = utf8.AppendRune(dst, c)
							continue
						}
					}
				}
				p.i = save
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return dst, fmt.Errorf(`bad escape \%c`, esc)
		}
	}
}

// Masks of one byte value repeated in each byte of a word.
const (
	ones        = 0x0101010101010101
	highBits    = 0x8080808080808080
	quotes      = '"' * ones
	backslashes = '\\' * ones
	spaces      = 0x20 * ones
)

// plainRun returns the end of the run of bytes of b from i that a string
// copies as they are (all but '"', '\\' and control characters), and
// whether the run is all ASCII. It looks at 8 bytes at a time: in most
// strings of a log (IDs, names, times, Chinese text) that run is the whole
// rest of the string, and a byte-by-byte loop was a third of the decoder's
// time (issue 18).
//
// For a word x, (x - ones*n) &^ x & highBits has the high bit set in each
// byte below n, and possibly in bytes above such a byte (a borrow), never
// below: so the lowest flagged byte of the three tests (equal to '"', equal
// to '\\', below 0x20) is the first byte the run stops at. The high bits of x
// itself are the non-ASCII bytes.
func plainRun(b []byte, i int) (end int, ascii bool) {
	var high uint64 // the bytes of the run so far, or-ed: bit 7 of each byte says non-ASCII
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, bs := x^quotes, x^backslashes
		if stop := ((q-ones)&^q | (bs-ones)&^bs | (x-spaces)&^x) & highBits; stop != 0 {
			n := bits.TrailingZeros64(stop) / 8 // the bytes of x before the stop
			high |= x & (1<<(8*n) - 1)
			return i + n, high&highBits == 0
		}
		high |= x
	}
	for ; i < len(b); i++ {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		high |= uint64(c)
	}
	return i, high&highBits == 0
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[p.i : p.i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

const maxSkipDepth = 64

// skipValue steps over any JSON value (for IgnoreUnknownKeys).
func (p *parser) skipValue(depth int) error {
	if depth > maxSkipDepth {
		return errors.New("value nested too deeply")
	}
	switch c := p.peek(); {
	case c == '"':
		_, err := p.str(nil)
		return err
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		p.i++
		p.ws()
		if p.eat(closer) {
			return nil
		}
		for {
			p.ws()
			if c == '{' {
				if p.peek() != '"' {
					return p.errorf("want a key in double quotes")
				}
				if _, err := p.str(nil); err != nil {
					return err
				}
				p.ws()
				if !p.eat(':') {
					return p.errorf("want ':' after a key")
				}
				p.ws()
			}
			if err := p.skipValue(depth + 1); err != nil {
				return err
			}
			p.ws()
			if p.eat(',') {
				continue
			}
			if p.eat(closer) {
				return nil
			}
			return p.errorf("want ',' or '%c'", closer)
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		startAt := p.i
		for p.i < len(p.b) {
			switch d := p.b[p.i]; {
			case d >= '0' && d <= '9', d == '-', d == '+', d == '.', d == 'e', d == 'E':
				p.i++
				continue
			}
			break
		}
		if _, err := strconv.ParseFloat(string(p.b[startAt:p.i]), 64); err != nil {
			return fmt.Errorf("bad number %q", p.b[startAt:p.i])
		}
		return nil
	}
	return p.errorf("want a JSON value")
}

func (p *parser) literal(word string) error {
	if len(p.b)-p.i >= len(word) && string(p.b[p.i:p.i+len(word)]) == word {
		p.i += len(word)
		return nil
	}
	return p.errorf("want a JSON value")
}

// parseTime reads an RFC 3339 time with an explicit offset. It keeps the
// offset: "Z" gives UTC, anything else a fixed zone (cached per Decoder, so
// that decoding does not allocate a Location per event). Unlike time.Parse,
// the result never depends on the machine's local zone.
func (d *Decoder) parseTime(b []byte) (time.Time, error) {
	t, off, utc, err := parseRFC3339(b)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", b, err)
	}
	if utc {
		return t, nil
	}
	if d.lastZone != nil && d.lastOff == off { // a log keeps to one or two offsets
		return t.In(d.lastZone), nil
	}
	loc := d.zones[off]
	if loc == nil {
		loc = time.FixedZone("", off)
		if d.zones == nil {
			d.zones = make(map[int]*time.Location)
		}
		if len(d.zones) < 64 {
			d.zones[off] = loc
		}
	}
	d.lastOff, d.lastZone = off, loc
	return t.In(loc), nil
}

// parseRFC3339 parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm). It returns
// the instant (in UTC), the offset in seconds, and whether the offset was Z.
func parseRFC3339(b []byte) (t time.Time, off int, utc bool, err error) {
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		if len(b) == 10 || (len(b) == 19 && b[4] == '-' && b[13] == ':') {
			return t, 0, false, errors.New("no UTC offset (naive times are ambiguous)")
		}
		return t, 0, false, errors.New("not an RFC 3339 time")
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	min, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return t, 0, false, errors.New("not an RFC 3339 time")
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59 {
		return t, 0, false, errors.New("date or time out of range")
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		digits := i - 1
		if digits == 0 || digits > 9 {
			return t, 0, false, errors.New("fraction of a second must have 1 to 9 digits")
		}
		nsec, _ = num(rest[1:i])
		for k := digits; k < 9; k++ {
			nsec *= 10
		}
		rest = rest[i:]
	}
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
		utc = true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(rest[1:3])
		om, ok2 := num(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return t, 0, false, errors.New("bad UTC offset")
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	case len(rest) == 0:
		return t, 0, false, errors.New("no UTC offset (naive times are ambiguous)")
	default:
		return t, 0, false, errors.New("bad UTC offset")
	}
	// The Unix second from the civil date, without time.Date's
	// normalisation (the fields are in range): a tenth of the decoder's
	// time went to it (issue 18).
	unix := unixDays(year, month, day)*86400 + int64(hour*3600+min*60+sec-off)
	return time.Unix(unix, int64(nsec)).UTC(), off, utc, nil
}

// unixDays returns the days from 1970-01-01 to a date of the proleptic
// Gregorian calendar, year 0..9999: the era arithmetic of Howard Hinnant's
// "chrono-Compatible Low-Level Date Algorithms", with years counted from
// March so that the leap day ends a year, written anew; the years are
// shifted by 400 so that every division is of a non-negative number.
// TestUnixDaysAgreesWithTime checks it against time.Date over all years.
func unixDays(year, month, day int) int64 {
	y := int64(year) + 400 // 400 years are 146,097 days exactly
	if month <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400                        // 0..399
	mp := int64(month+9) % 12                 // March = 0
	doy := (153*mp+2)/5 + int64(day) - 1      // 0..365
	doe := yoe*365 + yoe/4 - yoe/100 + doy    // 0..146096
	return era*146097 + doe - 719468 - 146097 // 719,468: 0000-03-01 to 1970-01-01
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// An Encoder writes events as JSON Lines, schema v1: one object per line,
// keys in the fixed order v, type, group, member, time, actor, id, kind,
// text, item, with the optional keys (actor, id, kind, text, item) left out
// when empty. Strings are not HTML-escaped, so Chinese text and '<' stay
// readable. The time is RFC 3339 with the event's own UTC offset ("Z" for
// offset zero) and its fraction of a second, trailing zeros dropped.
// Decoding what an Encoder wrote gives back the same event: the same
// strings, the same instant and the same offset (the Location's name is not
// kept).
//
// Each Encode makes one Write call on the underlying writer; wrap it in a
// bufio.Writer for many small events. An Encoder is not safe for concurrent
// use.
type Encoder struct {
	w   io.Writer
	buf []byte
}

// NewEncoder returns an Encoder that writes to w.
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, buf: make([]byte, 0, 256)}
}

// Encode validates e and writes it as one line. An event that does not
// validate is not written, and the error says why.
func (enc *Encoder) Encode(e Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	enc.buf = appendEvent(enc.buf[:0], e)
	_, err := enc.w.Write(enc.buf)
	return err
}

func appendEvent(b []byte, e Event) []byte {
	b = append(b, `{"v":1,"type":`...)
	b = appendString(b, string(e.Type))
	b = append(b, `,"group":`...)
	b = appendString(b, e.Group)
	b = append(b, `,"member":`...)
	b = appendString(b, e.Member)
	b = append(b, `,"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	for _, f := range [...]struct{ key, v string }{
		{`,"actor":`, e.Actor}, {`,"id":`, e.ID}, {`,"kind":`, e.Kind}, {`,"text":`, e.Text}, {`,"item":`, e.Item},
	} {
		if f.v != "" {
			b = append(b, f.key...)
			b = appendString(b, f.v)
		}
	}
	return append(b, '}', '\n')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. s must be valid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
