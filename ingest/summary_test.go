package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSummaryCountsEverySkip: every row that gives no event has a reason
// in the summary, and the counts add up to Stats.Skipped and Stats.Errors
// (issue 17: "nothing silent").
func TestSummaryCountsEverySkip(t *testing.T) {
	for _, tc := range []struct {
		name, format, file string
		opts               Options
	}{
		{"chatlog, other groups filtered out", Chatlog, "chatlog.json", Options{Group: "2002@chatroom"}},
		{"chatlog", Chatlog, "chatlog.json", Options{}},
		{"chatlog csv", ChatlogCSV, "chatlog.csv", Options{}},
		{"wechatmsg", WeChatMsg, "wechatmsg.csv", Options{Group: "1001@chatroom"}},
		{"pywxdump", PyWxDump, "pywxdump.csv", Options{}},
		{"chatlog v0.0.22", ChatlogCSV, "chatlog_v022.csv", Options{}},
		{"wechatmsg v1", WeChatMsg, "wechatmsg_v1.csv", Options{Group: "3001@chatroom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := openFixture(t, tc.file)
			r, err := NewReader(tc.format, f, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, err := r.Decode(); err == nil || isRowError(err); _, err = r.Decode() {
			}
			s, sum := r.Stats(), r.Summary()
			skips := 0
			for _, reason := range []string{ReasonOtherChat, ReasonPrivateChat, ReasonSystemNotice, ReasonSystemUnknown, ReasonNoEvent} {
				skips += sum.Count(reason)
			}
			if skips != s.Skipped {
				t.Errorf("summary gives %d skipped rows a reason, stats count %d\n%s", skips, s.Skipped, sum)
			}
			if sum.Count(ReasonBadRow) != s.Errors {
				t.Errorf("summary counts %d bad rows, stats %d", sum.Count(ReasonBadRow), s.Errors)
			}
			if sum.Count(ReasonNoEvent) != 0 {
				t.Errorf("rows skipped without a reason:\n%s", sum)
			}
		})
	}
}

func isRowError(err error) bool {
	_, ok := err.(*RowError)
	return ok
}

func TestSummaryNotes(t *testing.T) {
	var s summary
	for i := range 5 {
		s.note(ReasonNameUnresolved, 10+i, 9+i, fmt.Sprint("名字", i))
	}
	s.note(ReasonBadRow, 3, 2, `time "x" is not like 2006-01-02 15:04:05`)
	s.note(ReasonSystemUnknown, 7, 6, strings.Repeat("长", 40))
	got := s.summary()
	want := Summary{Notes: []Note{
		{Reason: ReasonBadRow, N: 1, Examples: []Example{{3, 2, `time "x" is not like 2006-01-02 15:04:05`}}},
		{Reason: ReasonNameUnresolved, N: 5, Examples: []Example{{10, 9, "名字0"}, {11, 10, "名字1"}, {12, 11, "名字2"}}},
		{Reason: ReasonSystemUnknown, N: 1, Examples: []Example{{7, 6, strings.Repeat("长", 26) + "…"}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if got.Count(ReasonNameUnresolved) != 5 || got.Count(ReasonOtherChat) != 0 || got.Empty() {
		t.Errorf("Count or Empty wrong on %+v", got)
	}
	if line := strings.Split(got.String(), "\n")[1]; line != `name-unresolved: 5 (line 10 (row 9): "名字0"; line 11 (row 10): "名字1"; line 12 (row 11): "名字2")` {
		t.Errorf("String line %q", line)
	}
	// The caller owns the result.
	got.Notes[0].Examples[0].Line = 99
	if s.summary().Notes[0].Examples[0].Line != 3 {
		t.Error("Summary shares its examples with the Reader")
	}
}

// TestSummaryRowsOfOneLineJSON: chatlog's JSON is one line (gin's c.JSON),
// so an example names its array element too.
func TestSummaryRowsOfOneLineJSON(t *testing.T) {
	f := openFixture(t, "chatlog_v4.json")
	r, err := NewReader(Chatlog, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := r.Decode(); err == nil; _, err = r.Decode() {
	}
	// The 19th message is WeChat's recall notice.
	want := []Note{{Reason: ReasonSystemNotice, N: 1, Examples: []Example{{Line: 1, Row: 19}}}}
	if diff := cmp.Diff(want, r.Summary().Notes); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}
