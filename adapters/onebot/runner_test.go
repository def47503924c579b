package onebot

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/adapters/internal/botest"
	"github.com/qunops/qunops/bot"
)

// TestRunnerRestartDedupes runs the transport under bot.Runner, stops it,
// starts a new runner on the same state directory and redelivers the spam
// message: the dedupe survives the restart and no second warning is sent.
func TestRunnerRestartDedupes(t *testing.T) {
	const token = "tok"
	f, tr, hook := startFake(t, token)
	f.seen = make(chan string, 16)
	var clock botest.Clock
	setNow := func(hh, mm, ss int) {
		clock.Set(time.Date(2026, 3, 2, hh, mm, ss, 0, qunops.DefaultLocation()))
	}
	ticks := make(chan time.Time)
	opts := botest.Options(t.TempDir(), &clock, ticks)
	start := func() (stop func()) {
		r, err := bot.New(morningPolicy(), tr, tr, opts)
		if err != nil {
			t.Fatal(err)
		}
		return botest.Run(t, r)
	}
	spam := groupMsg("m1", "u1", at(8, 5, 0), text("cheap phones http://spam.example/x"))
	setNow(8, 0, 0)
	stop := start()
	push(t, hook, token, notice("n1", "group_member_increase", "join", "u1", "u1", at(8, 0, 0)))
	push(t, hook, token, spam)
	got := botest.Await(t, f.seen, 2)
	setNow(8, 6, 0)
	ticks <- time.Time{} // the runner ticks at its clock: the welcome is due
	got = append(got, botest.Await(t, f.seen, 1)...)
	// The runner takes a tick only between records: once this send is
	// taken, the welcome's Perform has returned and been journaled, so
	// the stop below leaves nothing in flight (an action in flight at a
	// stop is performed again at the next start, by design).
	ticks <- time.Time{}
	const g = `"detail_type":"group","group_id":"g1@chatroom"`
	want := []string{
		`delete_message {"message_id":"m1"}`,
		`send_message {` + g + `,"message":[{"data":{"user_id":"u1"},"type":"mention"},{"data":{"text":" warning 1/2: link"},"type":"text"}]}`,
		`send_message {` + g + `,"message":[{"data":{"user_id":"u1"},"type":"mention"},{"data":{"text":" welcome u1"},"type":"text"}]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	stop()

	stop = start()
	push(t, hook, token, spam) // the implementation retries the webhook after our restart
	// A marker event after it: once its action arrives, the spam was handled.
	push(t, hook, token, groupMsg("m9", "u2", at(8, 6, 0), text("www.spam.example")))
	got = botest.Await(t, f.seen, 2)
	ticks <- time.Time{} // as above
	want = []string{
		`delete_message {"message_id":"m9"}`,
		`send_message {` + g + `,"message":[{"data":{"user_id":"u2"},"type":"mention"},{"data":{"text":" warning 1/2: link"},"type":"text"}]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the restart (-want +got):\n%s", diff)
	}
	stop()
}
