package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// readerModel builds a chatlog CSV export row by row and keeps what a Reader
// must make of it: the events, the row errors with their lines, the counts.
type readerModel struct {
	loc      *time.Location
	input    strings.Builder
	line     int // line of the next row
	sec      int // seconds after the base time of the next new row
	prevKey  string
	repeat   int
	prevTime string
	prevWho  string
	events   []qunops.Event
	errs     []string
	stats    Stats
}

var smBase = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func (m *readerModel) init() {
	m.input.WriteString("Time,SenderName,Sender,TalkerName,Talker,Content\n")
	m.line = 2
}

// write appends one CSV record of the given fields (quoting each) and moves
// the line counter past it.
func (m *readerModel) write(fields ...string) int {
	start := m.line
	for i, f := range fields {
		if i > 0 {
			m.input.WriteByte(',')
		}
		m.input.WriteString(`"` + strings.ReplaceAll(f, `"`, `""`) + `"`)
		m.line += strings.Count(f, "\n")
	}
	m.input.WriteByte('\n')
	m.line++
	m.stats.Rows++
	return start
}

func (m *readerModel) id(ts, sender string) string {
	key := "g@chatroom\x00" + ts + "\x00" + sender
	if key == m.prevKey {
		m.repeat++
	} else {
		m.prevKey, m.repeat = key, 1
	}
	return "chatlog-csv:g@chatroom:" + strings.NewReplacer("-", "", " ", "", ":", "").Replace(ts) + ":" + sender + ":" + strconv.Itoa(m.repeat)
}

func (m *readerModel) nextTime() (string, time.Time) {
	t := smBase.Add(time.Duration(m.sec) * time.Second)
	m.sec++
	return t.Format("2006-01-02 15:04:05"), t
}

func (m *readerModel) message(t *rapid.T, ts string, at time.Time, sender string) {
	text := rapid.StringOfN(rapid.RuneFrom([]rune("ab 你好,\"\n")), 1, 12, -1).Draw(t, "text")
	if strings.HasPrefix(text, "[") {
		text = "x" + text
	}
	m.write(ts, "N", sender, "G", "g@chatroom", text)
	m.events = append(m.events, qunops.Event{Type: qunops.Message, Group: "g@chatroom", Member: sender, Time: at,
		ID: m.id(ts, sender), Kind: qunops.KindText, Text: text})
	m.stats.Events++
	m.prevTime, m.prevWho = ts, sender
}

// check reads the whole input with a new Reader and compares.
func (m *readerModel) check(t *rapid.T) {
	r, err := NewReader(ChatlogCSV, strings.NewReader(m.input.String()), Options{Location: m.loc})
	if err != nil {
		t.Fatal(err)
	}
	events, rowErrs, final := drain(r)
	if final != nil {
		t.Fatalf("final error %v", final)
	}
	if diff := cmp.Diff(m.events, events); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(m.errs, rowErrs); diff != "" {
		t.Fatalf("row errors (-want +got):\n%s", diff)
	}
	if got := r.Stats(); got != m.stats {
		t.Fatalf("stats = %+v, want %+v", got, m.stats)
	}
}

// TestReaderStateMachine grows an export one row at a time (good messages,
// repeats within a second, invitations, other chats, bad rows) and checks
// after each step that a Reader gives exactly the model's events, row errors
// (with their lines) and counts.
func TestReaderStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &readerModel{loc: time.UTC}
		m.init()
		senders := rapid.SampledFrom([]string{"wxid_a", "wxid_b", "wxid_c"})
		t.Repeat(map[string]func(*rapid.T){
			"message": func(t *rapid.T) {
				ts, at := m.nextTime()
				m.message(t, ts, at, senders.Draw(t, "sender"))
			},
			"same second, same sender": func(t *rapid.T) {
				if m.prevTime == "" {
					t.Skip("no previous message")
				}
				at, _ := time.ParseInLocation("2006-01-02 15:04:05", m.prevTime, m.loc)
				m.message(t, m.prevTime, at, m.prevWho)
			},
			"invitation": func(t *rapid.T) {
				ts, at := m.nextTime()
				n := rapid.IntRange(1, 4).Draw(t, "invitees")
				var names []string
				id := m.id(ts, chatlogSystemSender)
				for i := range n {
					w := "wxid_n" + strconv.Itoa(i)
					names = append(names, "N"+strconv.Itoa(i)+"("+w+")")
					e := qunops.Event{Type: qunops.Join, Group: "g@chatroom", Member: w, Time: at, Actor: "wxid_a", ID: id, Kind: qunops.JoinInvite, Text: "N" + strconv.Itoa(i)}
					if i > 0 {
						e.ID = id + "#" + strconv.Itoa(i+1)
					}
					m.events = append(m.events, e)
				}
				m.write(ts, "", chatlogSystemSender, "G", "g@chatroom", `"A(wxid_a)"邀请"`+strings.Join(names, "、")+`"加入了群聊`)
				m.stats.Events += n
				m.prevTime = ""
			},
			"other chat": func(t *rapid.T) {
				ts, _ := m.nextTime()
				m.write(ts, "B", "wxid_b", "B", "wxid_b", "private")
				m.stats.Skipped++
				m.prevTime = ""
			},
			"bad time": func(t *rapid.T) {
				line := m.write("yesterday", "B", "wxid_b", "G", "g@chatroom", "x")
				m.errs = append(m.errs, fmt.Sprintf(`ingest: line %d: time "yesterday" is not like 2006-01-02 15:04:05`, line))
				m.stats.Errors++
			},
			"short row": func(t *rapid.T) {
				ts, _ := m.nextTime()
				start := m.line
				m.input.WriteString(ts + ",B,wxid_b\n")
				m.line++
				m.stats.Rows++
				m.errs = append(m.errs, fmt.Sprintf("ingest: line %d: row has 3 fields, header has 6", start))
				m.stats.Errors++
			},
			"": m.check,
		})
	})
}
