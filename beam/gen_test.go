package beam_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// logShape is the shape of a generated log.
type logShape struct {
	groups  int     // number of groups
	members int     // members of a group on its first day
	days    int     // days of the log
	hot     float64 // if > 0, the share of all events that group "g00" gets
	files   int     // files the log is split into
	gzipped int     // how many of them are gzip-compressed (.jsonl.gz)
	seed    uint64
}

// texts are message texts with Latin words and CJK, as the frequent terms
// count them.
var texts = []string{"早上好", "收到", "谢谢大家", "hello world", "ok", "哈哈哈", "今天的活动几点开始？",
	"好的 👍", "明天见", "请问有优惠券吗", "已报名", "+1", "链接打不开", "nice, thanks!", "拼单 拼单"}

// genLog writes a seeded log of shape sh into dir, split into sh.files
// files at line boundaries, and returns the files' paths (sorted) and,
// by path, their uncompressed bytes. Every group gets a roster on day 0,
// then each day joins (some invited), leaves, messages, reads and claims
// of a broadcast, check-ins and the odd warning, at distinct seconds of
// the group (no two events of a group share an instant, so that no tie
// decides the offset of tiers_at), 70% written in +08:00 and 30% in UTC.
// Then about 2% of the lines are repeated in another file (an overlapping
// export: same ID, same event) and a few bad lines of the kinds the world
// sends are put in.
func genLog(t *testing.T, dir string, sh logShape) ([]string, map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(sh.seed, 7))
	shanghai := time.FixedZone("", 8*3600)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)
	var lines [][]byte
	n := 0
	emit := func(e qunops.Event) {
		n++
		e.ID = fmt.Sprintf("gen:%d", n)
		if rng.IntN(10) < 3 {
			e.Time = e.Time.UTC()
		}
		var buf bytes.Buffer
		if err := qunops.NewEncoder(&buf).Encode(e); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, buf.Bytes())
	}
	for g := range sh.groups {
		group := fmt.Sprintf("g%02d@chatroom", g)
		scale := 1.0
		if sh.hot > 0 && g == 0 {
			// The hot group's members speak as often as everyone else's,
			// so it needs (groups-1)·hot/(1-hot) times their members.
			scale = float64(sh.groups-1) * sh.hot / (1 - sh.hot)
		}
		var members []string
		next := 0
		newMember := func() string {
			next++
			m := fmt.Sprintf("wxid_%s_%04d", group[:3], next)
			members = append(members, m)
			return m
		}
		used := map[int64]bool{}
		at := func(day int) time.Time {
			for {
				s := int64(day)*86400 + rng.Int64N(86400)
				if !used[s] {
					used[s] = true
					return start.Add(time.Duration(s) * time.Second)
				}
			}
		}
		for range int(float64(sh.members) * scale) {
			emit(qunops.Event{Type: qunops.Roster, Group: group, Member: newMember(), Time: at(0)})
		}
		for day := range sh.days {
			for range rng.IntN(int(4*scale) + 2) {
				e := qunops.Event{Type: qunops.Join, Group: group, Time: at(day)}
				if rng.IntN(2) == 0 && len(members) > 0 {
					e.Actor = members[rng.IntN(len(members))]
				}
				e.Member = newMember()
				e.Text = "【上海-" + e.Member[len(e.Member)-4:] + "】"
				emit(e)
			}
			for i := 0; i < len(members); i++ {
				m := members[i]
				switch r := rng.IntN(100); {
				case r == 0 && len(members) > 1:
					emit(qunops.Event{Type: qunops.Leave, Group: group, Member: m, Time: at(day)})
					members = slices.Delete(members, i, i+1)
					i--
				case r < 25:
					for range 1 + rng.IntN(3) {
						emit(qunops.Event{Type: qunops.Message, Group: group, Member: m, Time: at(day),
							Kind: qunops.KindText, Text: texts[rng.IntN(len(texts))]})
					}
				case r < 45:
					emit(qunops.Event{Type: qunops.Read, Group: group, Member: m, Time: at(day), Item: fmt.Sprintf("post-%d", day)})
				case r < 48:
					emit(qunops.Event{Type: qunops.Claim, Group: group, Member: m, Time: at(day), Item: fmt.Sprintf("coupon-%d", day/7)})
				case r < 53:
					emit(qunops.Event{Type: qunops.Checkin, Group: group, Member: m, Time: at(day)})
				case r == 53:
					emit(qunops.Event{Type: qunops.Warn, Group: group, Member: m, Time: at(day), Actor: "rule:ads"})
				}
			}
		}
	}
	// The lines are spread over the files in random runs, as exports of
	// overlapping periods and several phones would be.
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	parts := make([][][]byte, sh.files)
	for i, l := range lines {
		parts[i*sh.files/len(lines)] = append(parts[i*sh.files/len(lines)], l)
	}
	for range len(lines) / 50 {
		f := rng.IntN(sh.files)
		parts[f] = append(parts[f], lines[rng.IntN(len(lines))])
	}
	bad := [][]byte{
		[]byte(`{"v":1,"type":"message","group":"g01@chatroom","member":"x","time":"2026-03-02 10:00:00"}` + "\n"),
		[]byte(`{"v":1,"type":"wave","group":"g01@chatroom","member":"x","time":"2026-03-02T10:00:00+08:00"}` + "\n"),
		[]byte(`{"v":1,"type":"message","group":"g01@chatroom","member":"x","time":"2026-03-02T10:00:00+08:00"` + "\n"),
		[]byte(`{"type":"message","group":"g01@chatroom","member":"x","time":"2026-03-02T10:00:00+08:00"}` + "\n"),
		[]byte(`{"v":1,"type":"claim","group":"g01@chatroom","member":"x","time":"2026-03-02T10:00:00+08:00"}` + "\n"),
		[]byte("\xff\xfe garbage\n"),
	}
	for i, b := range bad {
		f := (i * 5) % sh.files
		at := rng.IntN(len(parts[f]) + 1)
		parts[f] = slices.Insert(parts[f], at, b)
	}
	var names []string
	plain := map[string][]byte{}
	for f, p := range parts {
		name := filepath.Join(dir, fmt.Sprintf("part-%03d.jsonl", f))
		body := bytes.Join(p, nil)
		data := body
		if f < sh.gzipped {
			name += ".gz"
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(body)
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			data = z.Bytes()
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		plain[name] = body
	}
	slices.Sort(names)
	return names, plain
}
