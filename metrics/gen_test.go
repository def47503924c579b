package metrics

import (
	"flag"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/qunops/qunops"
)

// fullScale selects the full benchmark log (100 groups of 5,000
// members over 60 days, about 10 million events) instead of the small
// default (10 groups of 500 members). Set it with
//
//	go test -bench . -metrics.full ./metrics/
//
// or QUNOPS_BENCH_FULL=1 in the environment.
var fullScale = flag.Bool("metrics.full", os.Getenv("QUNOPS_BENCH_FULL") == "1", "benchmark on the full 10-million-event log of issue 5")

// logSpec describes a seeded synthetic log.
type logSpec struct {
	Groups, Members, Days int
	Seed                  uint64
}

func benchSpec() logSpec {
	if *fullScale {
		return logSpec{Groups: 100, Members: 5000, Days: 60, Seed: 1}
	}
	return logSpec{Groups: 10, Members: 500, Days: 60, Seed: 1}
}

// MemberDays is the size the memory figure is divided by.
func (s logSpec) MemberDays() int { return s.Groups * s.Members * s.Days }

// generate streams the log day by day, each day group by group in time
// order, as batches of at most len(buf) events (buf is reused: copy what you
// keep). Per group and day, scaled to 5,000 members: about 1,350 messages
// from a skewed set of speakers, a broadcast with 200 reads and 25 claims,
// 10 check-ins, 17 joins and 5 leaves; on the first day a roster of the 80%
// of members present from the start. Every event has a unique ID. At full
// scale the log has about 10 million events.
func (s logSpec) generate(buf []qunops.Event, emit func([]qunops.Event)) {
	r := rand.New(rand.NewPCG(s.Seed, 0x9e3779b97f4a7c15))
	loc := qunops.DefaultLocation()
	scale := func(n int) int { return max(1, n*s.Members/5000) }
	members := make([]string, s.Members)
	for i := range members {
		members[i] = "wxid_" + strconv.Itoa(i)
	}
	groups := make([]string, s.Groups)
	joined := make([][]bool, s.Groups) // members in each group
	nextJoin := make([]int, s.Groups)  // members[nextJoin:] have not joined yet
	for g := range groups {
		groups[g] = strconv.Itoa(100000+g) + "@chatroom"
		joined[g] = make([]bool, s.Members)
		nextJoin[g] = s.Members * 8 / 10
	}
	var id []byte
	n := 0
	out := buf[:0]
	push := func(e qunops.Event) {
		n++
		id = append(id[:0], "chatlog:"...)
		id = strconv.AppendInt(id, int64(n), 10)
		e.ID = string(id)
		out = append(out, e)
		if len(out) == cap(out) {
			emit(out)
			out = out[:0]
		}
	}
	type plan struct {
		typ    qunops.EventType
		member int
		item   string
	}
	var day []plan
	for d := range s.Days {
		midnight := time.Date(2026, 1, 5+d, 0, 0, 0, 0, loc)
		item := "coupon-" + strconv.Itoa(d)
		for g := range groups {
			day = day[:0]
			in := joined[g]
			if d == 0 {
				for m := range nextJoin[g] {
					in[m] = true
					day = append(day, plan{qunops.Roster, m, ""})
				}
			}
			day = append(day, plan{qunops.Message, 0, item}) // member 0 is the staff account
			for range scale(17) {
				if nextJoin[g] < s.Members {
					in[nextJoin[g]] = true
					day = append(day, plan{qunops.Join, nextJoin[g], ""})
					nextJoin[g]++
				}
			}
			for range scale(5) {
				if m := 1 + r.IntN(nextJoin[g]-1); in[m] {
					in[m] = false
					day = append(day, plan{qunops.Leave, m, ""})
				}
			}
			pick := func(skew bool) int {
				for {
					m := r.IntN(nextJoin[g])
					if skew {
						m = r.IntN(m + 1)
					}
					if in[m] {
						return m
					}
				}
			}
			for range scale(1350) {
				day = append(day, plan{qunops.Message, pick(true), ""})
			}
			for range scale(200) {
				day = append(day, plan{qunops.Read, pick(false), item})
			}
			for range scale(25) {
				day = append(day, plan{qunops.Claim, pick(false), item})
			}
			for range scale(10) {
				day = append(day, plan{qunops.Checkin, pick(true), ""})
			}
			// Spread the day's events over its seconds, in order; the
			// broadcast and the roster come first.
			step := 86400 * time.Second / time.Duration(len(day)+1)
			for i, p := range day {
				push(qunops.Event{Type: p.typ, Group: groups[g], Member: members[p.member], Time: midnight.Add(time.Duration(i) * step), Item: p.item})
			}
		}
	}
	if len(out) > 0 {
		emit(out)
	}
}
