package telegram

import (
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/adapters/internal/botest"
	"github.com/qunops/qunops/bot"
)

// TestRunnerRestartDedupes runs the transport under bot.Runner, stops it,
// and starts a new transport and runner on the same state directory; the
// spam message delivered again to the new poller gives no second warning.
func TestRunnerRestartDedupes(t *testing.T) {
	f, srv := newFakeAPI(t)
	f.seen = make(chan string, 16)
	var clock botest.Clock
	clock.Set(time.Date(2026, 3, 2, 8, 0, 0, 0, sh))
	ticks := make(chan time.Time)
	opts := botest.Options(t.TempDir(), &clock, ticks)
	start := func() (stop func()) {
		tr, err := New(Config{Token: testToken, ServerURL: srv.URL, PollTimeout: 2 * time.Second, Client: srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		r, err := bot.New(morningPolicy(), tr, tr, opts)
		if err != nil {
			t.Fatal(err)
		}
		stopRun := botest.Run(t, r)
		return func() {
			// The runner takes a tick only between records: once this
			// send is taken, the last Perform has returned and been
			// journaled, so the stop leaves nothing in flight.
			ticks <- time.Time{}
			stopRun()
			tr.Close()
		}
	}
	spam := msg(10, ann, date(8, 0, 0), "cheap phones http://spam.example/x")
	stop := start()
	f.push(&models.Update{ID: 1, Message: spam})
	got := botest.Await(t, f.seen, 2)
	want := []string{
		"deleteMessage chat_id=-1001234&message_id=10",
		"sendMessage chat_id=-1001234&text=%40ann_sh+warning+1%2F2%3A+link",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	stop()

	stop = start()
	f.push(&models.Update{ID: 2, Message: spam}, // delivered again to the new poller
		&models.Update{ID: 3, Message: msg(11, bo, date(8, 1, 0), "www.spam.example")})
	got = botest.Await(t, f.seen, 2)
	want = []string{
		"deleteMessage chat_id=-1001234&message_id=11",
		"sendMessage chat_id=-1001234&entities=%5B%7B%22type%22%3A%22text_mention%22%2C%22offset%22%3A0%2C%22length%22%3A4%2C%22user%22%3A%7B%22id%22%3A502%2C%22is_bot%22%3Afalse%7D%7D%5D&text=Bo+%E6%B3%A2+warning+1%2F2%3A+link",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the restart (-want +got):\n%s", diff)
	}
	stop()
}
