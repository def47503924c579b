package report

import (
	"bufio"
	"bytes"
	"io"
	"sync"
	"sync/atomic"
)

// scanEnds is the first pass of ReadAt: workers goroutines scan the
// batches of a log (between bounds), each taking the next batch not taken,
// for the "group" and "time" of each line, and it returns, per group, the
// latest whole second of them, a bound for Builder.ends, and an estimate of
// the lines with an ID (those it saw, times scanShare), which sizes the
// group's table of IDs in the tracker once (see read). Any subset of the
// lines gives a lower bound of each group's end, so it reads the last
// eighth of each batch only (ours; an eighth of the cost, about 3,000
// lines of a 4 MiB batch, enough for the estimates): a group's last line
// lies in a scanned eighth, or its bound is the latest of its lines in the
// eighths before, at most a batch earlier in a log in time order, and a
// bound a little low only keeps a few more events in the buffer. The
// estimates add up to at most about the lines of the log, so a wrong one
// costs no more table than a log whose every line has an ID. It does not decode: a line it cannot read simply (an escape in
// the group, a time not in the form the encoder writes, a line longer than
// its buffer) is skipped, which only lowers a bound; a line it reads but
// the decoder or Add rejects may raise one too high, which ReadAt detects.
// A read error gives nil, and the second pass reports it.
func scanEnds(r io.ReaderAt, bounds []int64, workers int) (ends map[string]instant, ids map[string]int) {
	parts := make([]map[string]*scanned, workers)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range parts {
		wg.Go(func() {
			seen := map[string]*scanned{}
			br := bufio.NewReaderSize(nil, 256<<10)
			buf := make([]byte, 4<<10)
			for {
				k := int(next.Add(1) - 1)
				if k >= len(bounds)-1 || failed.Load() {
					break
				}
				from, err := lineStart(r, bounds[k+1], bounds[k+1]-(bounds[k+1]-bounds[k])/scanShare, buf)
				if err != nil {
					failed.Store(true)
					break
				}
				br.Reset(io.NewSectionReader(r, from, bounds[k+1]-from))
				if !scanChunk(br, seen) {
					failed.Store(true)
				}
			}
			parts[w] = seen
		})
	}
	wg.Wait()
	if failed.Load() {
		return nil, nil
	}
	ends, ids = map[string]instant{}, map[string]int{}
	for _, p := range parts {
		for g, sc := range p {
			if e, seen := ends[g]; !seen || sc.end.after(e) {
				ends[g] = sc.end
			}
			ids[g] += scanShare * sc.ids
		}
	}
	return ends, ids
}

// scanned is what scanEnds found of one group: the latest second of its
// lines, and how many of them have an ID.
type scanned struct {
	end instant
	ids int
}

// scanShare: scanEnds reads the last 1/scanShare of each batch.
const scanShare = 8

var (
	groupKey = []byte(`"group":"`)
	timeKey  = []byte(`"time":"`)
)

// scanChunk notes in seen the groups and times of the lines of br, and
// returns false on a read error.
func scanChunk(br *bufio.Reader, seen map[string]*scanned) bool {
	long := false // in the rest of a line longer than the buffer
	for {
		line, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			long = true
			continue
		case long:
			long = false
		default:
			scanLine(line, seen)
		}
		if err == io.EOF {
			return true
		}
		if err != nil && err != bufio.ErrBufferFull {
			return false
		}
	}
}

// scanLine raises the bound of the group of one line to its time, and
// counts the line when it is in the Encoder's form with an ID.
func scanLine(line []byte, seen map[string]*scanned) {
	g, tm, ok := scanCanonical(line)
	canonical := ok
	if !ok {
		i := bytes.Index(line, groupKey)
		if i < 0 {
			return
		}
		g = line[i+len(groupKey):]
		j := bytes.IndexByte(g, '"')
		if j < 0 || bytes.IndexByte(g[:j], '\\') >= 0 {
			return
		}
		g = g[:j]
		i = bytes.Index(line, timeKey)
		if i < 0 {
			return
		}
		tm = line[i+len(timeKey):]
	}
	sec, ok := scanSecond(tm)
	if !ok {
		return
	}
	t := instant{sec: sec + instantBias}
	sc := seen[string(g)]
	if sc == nil {
		sc = &scanned{end: t}
		seen[string(g)] = sc
	}
	later(&sc.end, t)
	// The key cannot occur inside a string value of such a line, where a
	// quote is escaped.
	if canonical && bytes.Contains(tm, idJSONKey) {
		sc.ids++
	}
}

// idJSONKey is how the Encoder writes the key of an event's ID.
var idJSONKey = []byte(`,"id":"`)

// scanCanonical finds the group and the start of the time of a line that
// begins as the Encoder writes it, {"v":1,"type":"T","group":"G",
// "member":"M","time":"..., with short scans from one key to the next
// instead of searches of the line for the keys (issue 18); ok is false
// for any other line, and for a group with an escape.
func scanCanonical(line []byte) (group, tm []byte, ok bool) {
	const head = `{"v":1,"type":"`
	if !bytes.HasPrefix(line, []byte(head)) {
		return nil, nil, false
	}
	rest := line[len(head):]
	for _, key := range [...]string{`","group":"`, `","member":"`, `","time":"`} {
		j := bytes.IndexByte(rest, '"')
		if j < 0 || !bytes.HasPrefix(rest[j:], []byte(key)) || bytes.IndexByte(rest[:j], '\\') >= 0 {
			return nil, nil, false
		}
		if key == `","member":"` {
			group = rest[:j]
		}
		rest = rest[j+len(key):]
	}
	return group, rest, true
}

// scanSecond reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm) and returns its
// Unix second, the fraction dropped (a lower bound of the instant).
func scanSecond(b []byte) (int64, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	num := func(s []byte) (int64, bool) {
		n := int64(0)
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int64(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[0:4])
	mo, ok2 := num(b[5:7])
	d, ok3 := num(b[8:10])
	h, ok4 := num(b[11:13])
	mi, ok5 := num(b[14:16])
	s, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	k := 19
	if b[k] == '.' {
		k++
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
	}
	var off int64
	switch {
	case k < len(b) && b[k] == 'Z':
	case k+6 <= len(b) && (b[k] == '+' || b[k] == '-') && b[k+3] == ':':
		oh, ok1 := num(b[k+1 : k+3])
		om, ok2 := num(b[k+4 : k+6])
		if !ok1 || !ok2 || om > 59 {
			return 0, false
		}
		off = oh*3600 + om*60
		if b[k] == '-' {
			off = -off
		}
	default:
		return 0, false
	}
	return daysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + s - off, true
}

// daysFromCivil returns the days from 1970-01-01 to a date of the
// proleptic Gregorian calendar (the era arithmetic of Howard Hinnant's
// "chrono-Compatible Low-Level Date Algorithms", written anew).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // floor(y/400): y is at least -1 (January of year 0)
	if y < 0 {
		era = -1
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
