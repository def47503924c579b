// Command biglog writes a large, seeded JSON Lines event log for measuring
// `qunops report` at scale: 100 groups of 5,000 members over 60 days, about
// ten million events (1.5 GB).
//
//	cd bench && go run ./cmd/biglog > /tmp/big.jsonl
//	go build -o /tmp/qunops ./cmd/qunops    # from the repository root
//	GOMAXPROCS=1 /usr/bin/time -v /tmp/qunops report -json /tmp/big.jsonl > /dev/null
//
// Each group starts with a roster of its members, then has 1,575 events a day
// at random times: mostly text messages with IDs, and one in twenty each of
// reads, joins (with the inviter) and check-ins.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/qunops/qunops"
)

func main() {
	groups := flag.Int("groups", 100, "groups")
	members := flag.Int("members", 5000, "members per group")
	days := flag.Int("days", 60, "days")
	perDay := flag.Int("per-day", 1575, "events per group and day")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	n, err := write(w, *groups, *members, *days, *perDay, *seed)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, n, "events")
}

func write(w *bufio.Writer, groups, members, days, perDay int, seed uint64) (int, error) {
	enc := qunops.NewEncoder(w)
	r := rand.New(rand.NewPCG(seed, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 8*3600))
	texts := []string{"大家早上好", "请问发货几天", "收到谢谢", "今天的优惠券", "ok thanks", "打卡"}
	n := 0
	for g := 0; g < groups; g++ {
		group := fmt.Sprintf("g%03d@chatroom", g)
		member := func(m int) string { return "wxid_" + strconv.Itoa(g) + "_" + strconv.Itoa(m) }
		for m := 0; m < members; m++ {
			if err := enc.Encode(qunops.Event{Type: qunops.Roster, Group: group, Member: member(m), Time: start}); err != nil {
				return n, err
			}
			n++
		}
		for d := 0; d < days; d++ {
			day := start.AddDate(0, 0, d)
			for k := 0; k < perDay; k++ {
				m := member(r.IntN(members))
				t := day.Add(time.Duration(r.IntN(86400)) * time.Second)
				e := qunops.Event{Type: qunops.Message, Group: group, Member: m, Time: t, ID: "big:" + strconv.Itoa(n),
					Kind: "text", Text: texts[r.IntN(len(texts))]}
				switch r.IntN(20) {
				case 0:
					e = qunops.Event{Type: qunops.Read, Group: group, Member: m, Time: t, Item: "news-" + strconv.Itoa(d)}
				case 1:
					e = qunops.Event{Type: qunops.Join, Group: group, Member: member(members + n), Time: t, Actor: m}
				case 2:
					e = qunops.Event{Type: qunops.Checkin, Group: group, Member: m, Time: t}
				}
				if err := enc.Encode(e); err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, nil
}
