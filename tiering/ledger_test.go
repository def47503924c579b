package tiering

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// fataler is what testing.T and rapid.T share.
type fataler interface {
	Helper()
	Fatal(args ...any)
}

func newLedger(t fataler, p LedgerPolicy) *Ledger {
	t.Helper()
	l, err := NewLedger(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustAdd(t fataler, l *Ledger, e qunops.Event) Credit {
	t.Helper()
	c, err := l.Add(e)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLedgerCapsAndDuplicates(t *testing.T) {
	l := newLedger(t, LedgerPolicy{MessageCap: 2})
	var got []int
	for i := range 3 {
		got = append(got, mustAdd(t, l, ev(qunops.Message, "m", t0.Add(time.Duration(i)*time.Minute), fmt.Sprint("msg", i))).Points)
	}
	// Next calendar day in UTC+8: 2026-03-03 00:00 CST is 2026-03-02 16:00 UTC.
	got = append(got, mustAdd(t, l, ev(qunops.Message, "m", time.Date(2026, 3, 3, 0, 0, 0, 0, shanghai), "msg3")).Points)
	if want := []int{1, 1, 0, 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("message points %v, want %v (cap 2 a day)", got, want)
	}
	if c := mustAdd(t, l, ev(qunops.Message, "m", t0, "msg0")); c.Reason != "duplicate" || c.Points != 0 {
		t.Errorf("duplicate credited: %+v", c)
	}
	if _, err := l.Add(ev(qunops.Message, "m", t0, "")); err == nil {
		t.Error("a message without ID was accepted")
	}
	if a := l.Account("m"); a.Balance != 3 || a.Credited != 3 {
		t.Errorf("account %+v, want balance 3", a)
	}
}

// TestLedgerStreakF24 checks "check in 3 days to unlock" (seed F24) and one
// check-in credit a day (F37).
func TestLedgerStreakF24(t *testing.T) {
	l := newLedger(t, LedgerPolicy{})
	days := []int{0, 0, 1, 3, 2, 4, 6}
	var unlocked []bool
	var pts []int
	for i, d := range days {
		c := mustAdd(t, l, ev(qunops.Checkin, "m", t0.Add(time.Duration(d)*day), fmt.Sprint("c", i)))
		unlocked = append(unlocked, c.Unlocked)
		pts = append(pts, c.Points)
	}
	// Day 2 joins runs {0,1} and {3} into {0..3}: the run reaches 3 there.
	if want := []bool{false, false, false, false, true, false, false}; fmt.Sprint(unlocked) != fmt.Sprint(want) {
		t.Errorf("unlocked %v, want %v", unlocked, want)
	}
	if want := []int{5, 0, 5, 5, 5, 5, 5}; fmt.Sprint(pts) != fmt.Sprint(want) {
		t.Errorf("points %v, want %v", pts, want)
	}
	if s := l.Streak("m", t0.Add(4*day)); s != 5 {
		t.Errorf("streak on day 4 = %d, want 5", s)
	}
	if s := l.Streak("m", t0.Add(5*day)); s != 0 {
		t.Errorf("streak on day 5 = %d, want 0", s)
	}
}

func TestLedgerInvites(t *testing.T) {
	l := newLedger(t, LedgerPolicy{})
	join := func(m, id string, at time.Time) qunops.Event {
		e := ev(qunops.Join, m, at, id)
		e.Actor = "host"
		return e
	}
	mustAdd(t, l, join("stays", "j1", t0))
	mustAdd(t, l, join("quits", "j2", t0))
	mustAdd(t, l, join("late", "j3", t0))
	mustAdd(t, l, ev(qunops.Leave, "quits", t0.Add(3*day), "l1"))
	if cs := l.Settle(t0.Add(7*day - time.Second)); len(cs) != 0 {
		t.Fatalf("settled before the stay: %v", cs)
	}
	cs := l.Settle(t0.Add(7 * day))
	if len(cs) != 2 || cs[0].Points != 10 || cs[1].Points != 10 {
		t.Fatalf("settle: %+v", cs)
	}
	// A leave within the stay that arrives after the credit reverses it.
	mustAdd(t, l, ev(qunops.Leave, "late", t0.Add(6*day), "l2"))
	if a := l.Account("host"); a.Balance != 10 || a.Credited != 20 || a.Debited != 10 {
		t.Errorf("host %+v, want balance 10 = 20 - 10", a)
	}
}

func TestLedgerRedeemAndReverse(t *testing.T) {
	l := newLedger(t, LedgerPolicy{MessagePoints: 4})
	mustAdd(t, l, ev(qunops.Message, "m", t0, "a"))
	mustAdd(t, l, ev(qunops.Message, "m", t0, "b"))
	err := l.Redeem("m", 9, "mug", "r1")
	if !errors.Is(err, ErrInsufficient) || err.Error() != `tiering: insufficient points: m has 8, "mug" costs 9` {
		t.Fatalf("Redeem short = %v", err)
	}
	if err := l.Redeem("m", 6, "pen", "r1"); err != nil {
		t.Fatal(err)
	}
	if err := l.Redeem("m", 6, "pen", "r1"); err != nil { // same ID: nothing
		t.Fatal(err)
	}
	// Message "a" is removed as a violation: 4 points, 2 left to take.
	taken, lost, err := l.Reverse("a")
	if err != nil || taken != 2 || lost != 2 {
		t.Fatalf("Reverse = %d, %d, %v; want 2, 2", taken, lost, err)
	}
	if _, _, err := l.Reverse("a"); err == nil {
		t.Error("reversed twice")
	}
	if a := l.Account("m"); a.Balance != 0 || a.Credited != 8 || a.Debited != 8 {
		t.Errorf("account %+v", a)
	}
}

// TestLedgerStateMachine checks, over random events, redemptions,
// reversals, settlements and JSON round trips, that every balance equals
// credits minus debits and is never negative, that each ID credits once,
// and that replaying events changes nothing.
func TestLedgerStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := newLedger(t, LedgerPolicy{MessageCap: 3})
		members := []string{"a", "b", "c"}
		var added []qunops.Event
		credited := map[string]int{} // model: sum of reported credits
		debited := map[string]int{}
		n := 0
		t.Repeat(map[string]func(*rapid.T){
			"event": func(t *rapid.T) {
				n++
				e := qunops.Event{
					Type:   rapid.SampledFrom([]qunops.EventType{qunops.Message, qunops.Checkin, qunops.Claim, qunops.Join, qunops.Leave}).Draw(t, "type"),
					Group:  "g",
					Member: rapid.SampledFrom(members).Draw(t, "member"),
					Time:   t0.Add(time.Duration(rapid.IntRange(0, 20*24).Draw(t, "hour")) * time.Hour),
					ID:     fmt.Sprint("e", n),
				}
				if e.Type == qunops.Claim {
					e.Item = "perk"
				}
				if e.Type == qunops.Join {
					e.Actor = rapid.SampledFrom(members).Draw(t, "inviter")
				}
				c := mustAdd(t, l, e)
				credited[c.Member] += c.Points
				added = append(added, e)
			},
			"replay": func(t *rapid.T) {
				if len(added) == 0 {
					t.Skip()
				}
				e := rapid.SampledFrom(added).Draw(t, "old")
				b1, _ := json.Marshal(l)
				if c := mustAdd(t, l, e); c.Points != 0 {
					t.Fatalf("replay credited %+v", c)
				}
				if b2, _ := json.Marshal(l); string(b1) != string(b2) {
					t.Fatal("replaying an event changed the ledger")
				}
			},
			"settle": func(t *rapid.T) {
				for _, c := range l.Settle(t0.Add(time.Duration(rapid.IntRange(0, 30).Draw(t, "day")) * day)) {
					credited[c.Member] += c.Points
				}
			},
			"redeem": func(t *rapid.T) {
				m := rapid.SampledFrom(members).Draw(t, "member")
				p := rapid.IntRange(1, 20).Draw(t, "points")
				bal := l.Account(m).Balance
				err := l.Redeem(m, p, "prize", "")
				if (err == nil) != (p <= bal) {
					t.Fatalf("Redeem(%d) with balance %d: %v", p, bal, err)
				}
				if err == nil {
					debited[m] += p
				}
			},
			"reverse": func(t *rapid.T) {
				if len(added) == 0 {
					t.Skip()
				}
				e := rapid.SampledFrom(added).Draw(t, "victim")
				m := e.Member
				if e.Type == qunops.Join {
					m = e.Actor
				}
				taken, _, err := l.Reverse(e.ID)
				if err == nil {
					debited[m] += taken
				}
			},
			"json": func(t *rapid.T) {
				b, err := json.Marshal(l)
				if err != nil {
					t.Fatal(err)
				}
				back := newLedger(t, LedgerPolicy{})
				if err := json.Unmarshal(b, back); err != nil {
					t.Fatal(err)
				}
				if b2, _ := json.Marshal(back); string(b) != string(b2) {
					t.Fatalf("JSON does not round-trip:\n%s\n%s", b, b2)
				}
				for _, m := range members {
					// The count of invitees who stayed is derived on reading.
					if a, ab := l.Account(m), back.Account(m); a != ab {
						t.Fatalf("%s: account %+v read back as %+v", m, a, ab)
					}
				}
				l = back
			},
			"": func(t *rapid.T) {
				for _, m := range members {
					a := l.Account(m)
					if a.Balance < 0 || a.Balance != a.Credited-a.Debited {
						t.Fatalf("%s: %+v", m, a)
					}
					if a.Invited < 0 || (a.Invited >= 3 && !a.InviteUnlocked) {
						t.Fatalf("%s: %d invitees who stayed, unlocked %v (seed F16: 3 unlock)", m, a.Invited, a.InviteUnlocked)
					}
					if a.Credited != credited[m] {
						t.Fatalf("%s credited %d, reported credits sum to %d", m, a.Credited, credited[m])
					}
					if a.Debited < debited[m] {
						t.Fatalf("%s debited %d < model %d", m, a.Debited, debited[m])
					}
				}
			},
		})
	})
}

// TestLedgerInviteUnlockF16 checks the staged referral perk of seed F16,
// "邀请3人入群解锁专属福利": the third invitee who stays unlocks it, the
// second does not, an invitee who leaves within the stay does not count,
// and the unlock happens once.
func TestLedgerInviteUnlockF16(t *testing.T) {
	l := newLedger(t, LedgerPolicy{InviteCap: NoPoints})
	join := func(m, id string, at time.Time) {
		e := ev(qunops.Join, m, at, id)
		e.Actor = "host"
		mustAdd(t, l, e)
	}
	join("a", "j1", t0)
	join("b", "j2", t0)
	join("quits", "j3", t0)
	mustAdd(t, l, ev(qunops.Leave, "quits", t0.Add(day), "l1"))
	cs := l.Settle(t0.Add(7 * day))
	var invited []int
	var unlocked []bool
	for _, c := range cs {
		invited = append(invited, c.Invited)
		unlocked = append(unlocked, c.Unlocked)
	}
	// j3 was canceled by the leave within the stay: nothing to settle.
	if fmt.Sprint(invited) != "[1 2]" || fmt.Sprint(unlocked) != "[false false]" {
		t.Fatalf("F16 after 2 invitees who stayed: invited %v, unlocked %v; want [1 2], none", invited, unlocked)
	}
	if a := l.Account("host"); a.Invited != 2 || a.InviteUnlocked {
		t.Fatalf("F16 2 invitees: account %+v, want 2 and locked", a)
	}
	join("c", "j4", t0.Add(day))
	cs = l.Settle(t0.Add(8 * day))
	if len(cs) != 1 || cs[0].Invited != 3 || !cs[0].Unlocked {
		t.Fatalf("F16 third invitee who stayed: %+v, want invited 3 and unlocked", cs)
	}
	join("d", "j5", t0.Add(2*day))
	if cs := l.Settle(t0.Add(9 * day)); len(cs) != 1 || cs[0].Invited != 4 || cs[0].Unlocked {
		t.Fatalf("F16 fourth invitee: %+v, want invited 4 and no second unlock", cs)
	}
	// A reversed invite stops counting; the perk stays unlocked.
	if _, _, err := l.Reverse("j5"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Reverse("j4"); err != nil {
		t.Fatal(err)
	}
	if a := l.Account("host"); a.Invited != 2 || !a.InviteUnlocked {
		t.Errorf("after two reversals: %+v, want 2 invitees and still unlocked", a)
	}
	// The state keeps it: the count follows from the entries.
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	back := newLedger(t, LedgerPolicy{})
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatal(err)
	}
	if a := back.Account("host"); a.Invited != 2 || !a.InviteUnlocked {
		t.Errorf("read back: %+v", a)
	}
}

// TestLedgerInviteUnlockOldState checks that a state written before the
// invite unlock, with 3 settled invites and no flag, reads as unlocked.
func TestLedgerInviteUnlockOldState(t *testing.T) {
	doc := `{"v":2,"policy":{},"location":"Asia/Shanghai",` +
		`"accounts":{"host":{"balance":30,"credited":30,"debited":0,"counts":{"2026-03-02":{"invite":3}}}},"entries":{` +
		`"j1":{"member":"host","source":"invite","time":"2026-03-02T08:00:00+08:00","points":10,"invitee":"a"},` +
		`"j2":{"member":"host","source":"invite","time":"2026-03-02T08:00:00+08:00","points":10,"invitee":"b"},` +
		`"j3":{"member":"host","source":"invite","time":"2026-03-02T08:00:00+08:00","points":10,"invitee":"c"}}}`
	l := newLedger(t, LedgerPolicy{})
	if err := json.Unmarshal([]byte(doc), l); err != nil {
		t.Fatal(err)
	}
	if a := l.Account("host"); a.Invited != 3 || !a.InviteUnlocked {
		t.Errorf("old state: %+v, want 3 invitees and unlocked (seed F16)", a)
	}
}

// TestCashPrizeF17 checks the reading of seed F17, "裂变奖励需与群定位强关联
// (如课程券而非现金)": rewards are vouchers, goods or perks, not cash.
func TestCashPrizeF17(t *testing.T) {
	tests := []struct {
		item string
		cash bool
	}{
		{"现金", true},
		{"现金红包", true},
		{"微信红包 8.88", true},
		{"转账50", true},
		{"Cash", true},
		{"Red Packet", true},
		{"ｃａｓｈ", true}, // full-width letters fold
		{"￥20", true},
		{"$5", true},
		{"50元", true},
		{"20块", true},
		{"现\u200b金", true}, // a zero-width space does not hide it
		{"RMB 100", true},
		{"course voucher", false},
		{"课程券", false},
		{"50元课程代金券", false},
		{"现金券", false}, // a voucher, even one counted in cash
		{"mug", false},
		{"cashmere scarf", false}, // cash only as a word
		{"10 yuan", true},
		{"50RMB", true}, // digits end a word
		{"bank transfer", true},
		{"Money basics course", true}, // the documented false alarm of reading names
		{"VIP专栏一个月", false},
		{"50元话费充值卡", false}, // phone credit: goods, by this reading
		{"", false},
		{"元", false},
		{".元", false},
	}
	for _, tt := range tests {
		if got := CashPrize(tt.item); got != tt.cash {
			t.Errorf("F17 CashPrize(%q) = %v, want %v", tt.item, got, tt.cash)
		}
	}

	l := newLedger(t, LedgerPolicy{MessagePoints: 10})
	mustAdd(t, l, ev(qunops.Message, "m", t0, "a"))
	err := l.Redeem("m", 5, "现金红包", "r1")
	if !errors.Is(err, ErrCashPrize) || err.Error() != `tiering: cash prize: "现金红包"; rewards must fit the group, such as course vouchers, not cash (seed F17)` {
		t.Fatalf("F17 Redeem of cash = %v", err)
	}
	if a := l.Account("m"); a.Balance != 10 {
		t.Errorf("a refused redemption changed the balance: %+v", a)
	}
	if err := l.Redeem("m", 5, "课程券", "r2"); err != nil {
		t.Errorf("F17 Redeem of a course voucher: %v", err)
	}
	allow := newLedger(t, LedgerPolicy{MessagePoints: 10, CashPrizes: true})
	mustAdd(t, allow, ev(qunops.Message, "m", t0, "a"))
	if err := allow.Redeem("m", 5, "现金红包", "r1"); err != nil {
		t.Errorf("CashPrizes allows cash: %v", err)
	}
}
