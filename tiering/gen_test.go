package tiering

import (
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/qunops/qunops"
)

// fullScale reports whether benchmarks run at the full scale (10
// million events, 1 million members): set QUNOPS_BENCH_FULL=1. By default
// they run at a small scale that keeps the package's tests fast.
func fullScale() bool { return os.Getenv("QUNOPS_BENCH_FULL") == "1" }

// genLog makes a synthetic log of n events in one group of m members over
// the 30 days before end, seeded: mostly messages, with reads, claims,
// check-ins, joins with inviters, leaves and warnings in the proportions of
// a busy perks group. Every event has a distinct ID, as an exported log's
// would.
func genLog(n, m int, end time.Time, seed uint64) []qunops.Event {
	r := rand.New(rand.NewPCG(seed, 7))
	names := make([]string, m)
	for i := range names {
		names[i] = "wxid_" + strconv.Itoa(i)
	}
	span := int64(30 * 24 * time.Hour)
	out := make([]qunops.Event, n)
	for i := range out {
		e := qunops.Event{
			Group:  "bench@chatroom",
			Member: names[r.IntN(m)],
			Time:   end.Add(-time.Duration(r.Int64N(span))),
			ID:     "chatlog:" + strconv.Itoa(i),
		}
		switch k := r.IntN(100); {
		case k < 60:
			e.Type, e.Kind, e.Text = qunops.Message, "text", "今天的优惠券几点发?"
		case k < 75:
			e.Type, e.Item = qunops.Read, "news-1"
		case k < 83:
			e.Type, e.Item = qunops.Claim, "coupon-1"
		case k < 93:
			e.Type = qunops.Checkin
		case k < 97:
			e.Type, e.Actor = qunops.Join, names[r.IntN(m)]
		case k < 99:
			e.Type = qunops.Leave
		default:
			e.Type, e.Actor = qunops.Warn, "rule:ad"
		}
		out[i] = e
	}
	return out
}

// genMembers makes m members with seeded activity spread over all tiers.
func genMembers(m int, now time.Time, seed uint64) []Member {
	r := rand.New(rand.NewPCG(seed, 11))
	out := make([]Member, m)
	for i := range out {
		a := Activity{
			Messages: r.IntN(9),
			Invites:  r.IntN(4) / 3,
			Claims:   r.IntN(2),
			Warnings: r.IntN(40) / 39,
		}
		a.Interactions = a.Messages + a.Claims + r.IntN(3)
		if r.IntN(10) == 0 {
			a.Joined = now.Add(-time.Duration(r.Int64N(int64(14 * 24 * time.Hour))))
		}
		if r.IntN(3) == 0 {
			a.Messages, a.Claims, a.Interactions = 0, 0, r.IntN(2)
		}
		out[i] = Member{ID: "wxid_" + strconv.Itoa(i), Activity: a}
	}
	return out
}
