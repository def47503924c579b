package livecode_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/livecode"
)

var shanghai = qunops.DefaultLocation()

func ExampleNewPool() {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	p, err := livecode.NewPool(livecode.Weighted,
		livecode.Code{ID: "a", Weight: 5},
		livecode.Code{ID: "b"},
		livecode.Code{ID: "c"},
	)
	if err != nil {
		panic(err)
	}
	for i := range 7 {
		id, _ := p.Assign(fmt.Sprintf("user%d", i), start)
		fmt.Print(id, " ")
	}
	fmt.Println()
	// Output: a a b a c a a
}

func ExamplePool_Assign() {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	p, _ := livecode.NewPool(livecode.FillFirst, livecode.Code{ID: "g1", ScanLimit: 1}, livecode.Code{ID: "g2", ScanLimit: 1})
	first, _ := p.Assign("alice", start)
	again, _ := p.Assign("alice", start.Add(5*time.Minute)) // repeat scan: same code
	other, _ := p.Assign("bob", start.Add(5*time.Minute))   // g1 is held for alice
	_, err := p.Assign("carol", start.Add(5*time.Minute))
	fmt.Println(first, again, other, errors.Is(err, livecode.ErrFull))
	// Output: g1 g1 g2 true
}

// Options are read from JSON written by hand, strictly: a misspelt key is an
// error that names it, and durations are Go duration strings.
func ExamplePool_SetOptions() {
	p, err := livecode.NewPool(livecode.FillFirst, livecode.Code{ID: "读书会1"})
	if err != nil {
		panic(err)
	}
	var o livecode.Options
	if err := json.Unmarshal([]byte(`{"pending_ttl":"30m","name_prefix":"读书会"}`), &o); err != nil {
		panic(err)
	}
	if err := p.SetOptions(o); err != nil {
		panic(err)
	}
	b, _ := json.Marshal(p.Options())
	fmt.Println(string(b))
	fmt.Println(p.NextName())
	fmt.Println(json.Unmarshal([]byte(`{"pending_tll":"30m"}`), &o))
	// Output:
	// {"pending_ttl":"30m","near_limit_percent":90,"expiring_within":"24h","name_prefix":"读书会"}
	// 读书会2
	// livecode: options: unknown key "pending_tll"
}

// A week of a referral campaign: scanners arrive through the day, more each
// day as members invite friends, and about 70% of them join. The operator
// checks the alerts every morning and creates the groups they suggest; a
// scan that finds every group full creates the next group on the spot, as
// WeCom does. The same week runs under FillFirst and LeastLoaded.
func Example_week() {
	for _, s := range []livecode.Strategy{livecode.FillFirst, livecode.LeastLoaded} {
		start := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
		p, err := livecode.NewPool(s, livecode.CodeAt("读书会1", start), livecode.CodeAt("读书会2", start))
		if err != nil {
			panic(err)
		}
		if err := p.SetOptions(livecode.Options{NamePrefix: "读书会"}); err != nil {
			panic(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		user, onTheSpot := 0, 0
		for day := range 7 {
			morning := start.AddDate(0, 0, day)
			for _, a := range p.Alerts(morning) {
				if a.NewName != "" {
					_ = p.Add(livecode.CodeAt(a.NewName, morning))
				}
			}
			n := 40 + 20*day // referral growth: more scanners each day
			for i := range n {
				now := morning.Add(time.Duration(i) * 12 * time.Hour / time.Duration(n))
				user++
				u := fmt.Sprintf("wxid_%d", user)
				id, err := p.Assign(u, now)
				if errors.Is(err, livecode.ErrFull) {
					onTheSpot++
					_ = p.Add(livecode.CodeAt(p.NextName(), now))
					id, err = p.Assign(u, now)
				}
				if err != nil {
					panic(err)
				}
				if r.IntN(10) < 7 {
					_ = p.Joined(u, id, now.Add(time.Minute))
				}
			}
		}
		fmt.Printf("%s: %d groups created on a full scan\n", s, onTheSpot)
		for _, st := range p.AllStats() {
			fmt.Printf("  %s members %3d  scans %3d  conversion %s  load %s\n",
				st.ID, st.Members, st.Scans, st.Conversion(), st.Load())
		}
		for _, a := range p.Alerts(start.AddDate(0, 0, 7)) {
			fmt.Printf("  %s: %s\n", a.Kind, a.Message)
		}
	}
	// Output:
	// fill-first: 1 groups created on a full scan
	//   读书会1 members 200  scans 302  conversion 66.2%  load 40.0%
	//   读书会2 members 200  scans 281  conversion 71.2%  load 40.0%
	//   读书会3 members  79  scans 117  conversion 67.5%  load 15.8%
	//   near-limit: code 读书会1: 200 members + 0 pending of scan limit 200 (100.0%); it takes no new scans
	//   expired: code 读书会1: QR expired at 2026-03-09T08:00:00+08:00; replace the QR or retire the code
	//   near-limit: code 读书会2: 200 members + 0 pending of scan limit 200 (100.0%); it takes no new scans
	//   expired: code 读书会2: QR expired at 2026-03-09T08:00:00+08:00; replace the QR or retire the code
	// least-loaded: 0 groups created on a full scan
	//   读书会1 members 183  scans 272  conversion 67.3%  load 36.6%
	//   读书会2 members 181  scans 268  conversion 67.5%  load 36.2%
	//   读书会3 members 115  scans 160  conversion 71.9%  load 23.0%
	//   near-limit: code 读书会1: 183 members + 0 pending of scan limit 200 (91.5%); new scans go elsewhere once it is full
	//   expired: code 读书会1: QR expired at 2026-03-09T08:00:00+08:00; replace the QR or retire the code
	//   near-limit: code 读书会2: 181 members + 0 pending of scan limit 200 (90.5%); new scans go elsewhere once it is full
	//   expired: code 读书会2: QR expired at 2026-03-09T08:00:00+08:00; replace the QR or retire the code
}
