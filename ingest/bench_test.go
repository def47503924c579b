package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"
)

const benchRows = 10000

// benchExport writes a synthetic export of benchRows rows in format: mostly
// text messages from 50 members, one in 20 an invitation of two members.
func benchExport(format string) []byte {
	var b bytes.Buffer
	base := time.Date(2026, 3, 2, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	switch format {
	case Chatlog:
		b.WriteString("[")
	case ChatlogCSV:
		b.WriteString("Time,SenderName,Sender,TalkerName,Talker,Content\n")
	case WeChatMsg:
		b.WriteString("\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n")
	case PyWxDump:
		b.WriteString("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n")
	}
	for i := range benchRows {
		t := base.Add(time.Duration(i) * 7 * time.Second)
		who := fmt.Sprintf("wxid_m%02d", i%50)
		text := "今天的读书分享很精彩，谢谢大家 #" + fmt.Sprint(i)
		system := i%20 == 19
		sysText := fmt.Sprintf(`"A(wxid_a)"邀请"B%d(wxid_b%d)、C%d(wxid_c%d)"加入了群聊`, i, i, i, i)
		switch format {
		case Chatlog:
			if i > 0 {
				b.WriteString(",")
			}
			m := chatlogMessage{Seq: t.Unix()*1000 + int64(i%1000), Time: t.Format(time.RFC3339), Talker: "1001@chatroom",
				TalkerName: "读书群", IsChatRoom: true, Sender: who, SenderName: "成员", Type: 1, Content: text}
			if system {
				m.Sender, m.Type, m.Content = chatlogSystemSender, 10000, sysText
			}
			j, _ := json.Marshal(m)
			b.Write(j)
		case ChatlogCSV:
			w := csv.NewWriter(&b)
			if system {
				w.Write([]string{t.Format("2006-01-02 15:04:05"), "", chatlogSystemSender, "读书群", "1001@chatroom", sysText})
			} else {
				w.Write([]string{t.Format("2006-01-02 15:04:05"), "成员", who, "读书群", "1001@chatroom", text})
			}
			w.Flush()
		case WeChatMsg:
			w := csv.NewWriter(&b)
			if system {
				w.Write([]string{fmt.Sprint(i), "7", "10000", "0", "0", fmt.Sprint(t.Unix()), "4", `"A"邀请"B、C"加入了群聊`, t.Format("2006-01-02 15:04:05"), "", "", ""})
			} else {
				w.Write([]string{fmt.Sprint(i), "7", "1", "0", "0", fmt.Sprint(t.Unix()), "2", text, t.Format("2006-01-02 15:04:05"), "", "成员", who})
			}
			w.Flush()
		case PyWxDump:
			w := csv.NewWriter(&b)
			if system {
				w.Write([]string{fmt.Sprint(i), fmt.Sprint(7e18 + float64(i)), "系统通知", "0", "未知", "1001@chatroom", `"A"邀请"B、C"加入了群聊`, "", t.Format("2006-01-02 15:04:05")})
			} else {
				w.Write([]string{fmt.Sprint(i), fmt.Sprint(7000000000000000000 + i), "文本", "0", who, "1001@chatroom", text, "", t.Format("2006-01-02 15:04:05")})
			}
			w.Flush()
		}
	}
	if format == Chatlog {
		b.WriteString("]")
	}
	return b.Bytes()
}

// BenchmarkReader reads a 10,000-row export of each format; events/s is the
// throughput. The baselines read the same bytes with encoding/csv alone (and
// encoding/json into the same struct for chatlog), the floor of any importer
// built on them: ns/op of a format over ns/op of its baseline is the cost of
// ingest's own work.
func BenchmarkReader(b *testing.B) {
	loc := time.FixedZone("CST", 8*3600)
	// The formats benchExport writes; BenchmarkReaderWeek reads the others.
	for _, format := range []string{Chatlog, ChatlogCSV, WeChatMsg, PyWxDump} {
		data := benchExport(format)
		opts := Options{Location: loc, Group: "1001@chatroom"}
		if format != WeChatMsg {
			opts.Group = ""
		}
		b.Run(format, func(b *testing.B) {
			benchDecode(b, format, data, opts)
		})
		b.Run(format+"/baseline", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if format == Chatlog {
					dec := json.NewDecoder(bytes.NewReader(data))
					dec.Token()
					for dec.More() {
						var m chatlogMessage
						if err := dec.Decode(&m); err != nil {
							b.Fatal(err)
						}
					}
					continue
				}
				cr := csv.NewReader(bytes.NewReader(data))
				cr.ReuseRecord = true
				for {
					if _, err := cr.Read(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// benchDecode reads data to its end with a Reader per iteration and reports
// events/s, the throughput.
func benchDecode(b *testing.B, format string, data []byte, opts Options) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		r, err := NewReader(format, bytes.NewReader(data), opts)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Decode()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			events++
		}
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkParseSystem measures the system-message matcher on an
// invitation, the commonest system message of a growing group.
func BenchmarkParseSystem(b *testing.B) {
	text := `"A(wxid_a)"邀请"B(wxid_b)、C(wxid_c)、D(wxid_d)"加入了群聊`
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := parseSystem(text, true); !ok {
			b.Fatal("not parsed")
		}
	}
}
