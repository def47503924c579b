package ingest

import (
	"slices"
	"strconv"
	"strings"
)

// The reasons a [Summary] counts. Each says why a row gave no event, or why
// an event names a member less exactly than the export could have.
const (
	// ReasonBadRow: a row the Reader rejected (Decode returned its
	// *RowError): a bad time, a wrong field count, an unclosed quote.
	ReasonBadRow = "bad-row"
	// ReasonOtherChat: a row of a group other than [Options].Group.
	ReasonOtherChat = "other-chat"
	// ReasonPrivateChat: a row of a private chat, which has no members.
	ReasonPrivateChat = "private-chat"
	// ReasonSystemNotice: a system row understood as a notice that changes
	// no membership (a pat, a recall, a tip).
	ReasonSystemNotice = "system-notice"
	// ReasonSystemUnknown: a system row the notice parser does not
	// understand. It may be a join or leave in a wording not yet known: the
	// examples show where.
	ReasonSystemUnknown = "system-not-understood"
	// ReasonNameUnresolved: a member named only by display name that the
	// export's [Directory] and [Options].Members do not know; the event
	// carries [NamePrefix] + name.
	ReasonNameUnresolved = "name-unresolved"
	// ReasonNameAmbiguous: a display name that two or more members carried
	// in the group; the event carries [NamePrefix] + name.
	ReasonNameAmbiguous = "name-ambiguous"
	// ReasonSelfUnknown: the exporting account ("你", the account's own
	// rows) was named, but neither [Options].Self nor the export gave its id;
	// the event carries [DefaultSelf].
	ReasonSelfUnknown = "self-unknown"
	// ReasonNoEvent: a row that gave no event for no reason above (a notice
	// without a sender, such as a recall that WeChat wrote itself).
	ReasonNoEvent = "no-event"
)

// MaxExamples is how many examples a [Note] keeps (ours: enough to find the
// rows in the file, few enough to print).
const MaxExamples = 3

// A Summary says what a [Reader] passed over or could not resolve, per
// reason, so that nothing of an import is silent. A row may count under
// more than one reason (a join whose inviter is unresolved and whose joiner
// is ambiguous).
type Summary struct {
	Notes []Note `json:"notes"` // one per reason that occurred, sorted by reason
}

// A Note counts one reason.
type Note struct {
	Reason   string    `json:"reason"`   // one of the Reason constants
	N        int       `json:"n"`        // how many times it occurred
	Examples []Example `json:"examples"` // the first MaxExamples occurrences, in input order
}

// An Example is one occurrence of a reason.
type Example struct {
	Line int    `json:"line"`           // 1-based line where the row starts
	Row  int    `json:"row"`            // 1-based row (array element for JSON), header not counted
	Text string `json:"text,omitempty"` // what was not understood or resolved, cut to 80 bytes
}

// Count returns how many times reason occurred.
func (s Summary) Count(reason string) int {
	for _, n := range s.Notes {
		if n.Reason == reason {
			return n.N
		}
	}
	return 0
}

// Empty reports whether nothing was passed over or left unresolved, the
// condition of a strict import.
func (s Summary) Empty() bool { return len(s.Notes) == 0 }

// String prints one line per reason with its examples ("line 12 (row 11):
// …"), for people; the layout may change.
func (s Summary) String() string {
	var b strings.Builder
	for _, n := range s.Notes {
		b.WriteString(n.Reason)
		b.WriteString(": ")
		b.WriteString(strconv.Itoa(n.N))
		for i, e := range n.Examples {
			if i == 0 {
				b.WriteString(" (")
			} else {
				b.WriteString("; ")
			}
			b.WriteString("line ")
			b.WriteString(strconv.Itoa(e.Line))
			b.WriteString(" (row ")
			b.WriteString(strconv.Itoa(e.Row))
			b.WriteString(")")
			if e.Text != "" {
				b.WriteString(": ")
				b.WriteString(strconv.Quote(e.Text))
			}
		}
		if len(n.Examples) > 0 {
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// summary collects notes; the zero value is empty.
type summary struct {
	notes map[string]*Note
	line  int // the line of the row being read, for a skip without a reason
}

// maxExampleText bounds an example's text (ours).
const maxExampleText = 80

// note counts the current row (the one Decode is reading: Stats.Rows + 1)
// under reason.
func (r *Reader) note(reason string, line int, text string) {
	r.sum.note(reason, line, r.stats.Rows+1, text)
}

func (s *summary) note(reason string, line, row int, text string) {
	if s.notes == nil {
		s.notes = make(map[string]*Note)
	}
	n := s.notes[reason]
	if n == nil {
		n = &Note{Reason: reason}
		s.notes[reason] = n
	}
	n.N++
	if len(n.Examples) < MaxExamples {
		n.Examples = append(n.Examples, Example{Line: line, Row: row, Text: cut(text, maxExampleText)})
	}
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func (s *summary) summary() Summary {
	out := Summary{Notes: make([]Note, 0, len(s.notes))}
	for _, n := range s.notes {
		c := *n
		c.Examples = slices.Clone(n.Examples)
		out.Notes = append(out.Notes, c)
	}
	slices.SortFunc(out.Notes, func(a, b Note) int { return strings.Compare(a.Reason, b.Reason) })
	return out
}

// Summary returns what the Reader passed over or could not resolve so far,
// per reason with the first examples; after Decode has returned io.EOF it
// covers the whole import. The caller owns the result.
func (r *Reader) Summary() Summary { return r.sum.summary() }

// skipped gives a row that produced no event a reason, if none was given.
func (r *Reader) skipped() {
	if !r.noted && !r.collecting {
		r.note(ReasonNoEvent, r.sum.line, "")
	}
}

// skip gives the current row, which produces no event, its reason.
func (r *Reader) skip(reason string, line int) error {
	if !r.collecting {
		r.note(reason, line, "")
	}
	r.noted = true
	return nil
}
