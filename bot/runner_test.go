package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// morning is a script that gives every kind of action the test policy
// has: a welcome (tick), warnings, a removal and blacklist, a recall, an
// auto reply, a dispute and its escalation (tick).
func morning() []qunops.Event {
	return []qunops.Event{
		{Type: qunops.Join, Group: "g1", Member: "amy", Time: at(8, 0, 0), ID: "e1", Text: "Amy"},
		{Type: qunops.Join, Group: "g1", Member: "bo", Time: at(8, 0, 20), ID: "e2", Text: "Bo"},
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 5, 0), ID: "e3", Text: "加微信"},
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 5, 0), ID: "e3", Text: "加微信"}, // redelivered
		{Type: qunops.Message, Group: "g1", Member: "spam", Time: at(8, 6, 0), ID: "e4", Text: "see t.cn/abc"},
		{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(8, 30, 0), ID: "e5", Text: "几点开门?"},
		{Type: qunops.Report, Group: "g1", Member: "bo", Actor: "amy", Time: at(8, 40, 0), ID: "e6"},
		{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(9, 0, 0), ID: "e7", Text: "hi"},
		// Issue 16: an admin names the group, a member renames it and is
		// set back (a Retitle).
		{Type: qunops.Title, Group: "g1", Member: "adm1", Time: at(9, 10, 0), ID: "e8", Text: "读书会"},
		{Type: qunops.Title, Group: "g1", Member: "bo", Time: at(9, 20, 0), ID: "e9", Text: "Bo的群"},
	}
}

// drive is the reference: the engine driven by hand as the runner is
// documented to drive it (a tick at an event's clock time when TickEvery
// has passed since the last tick, then the event).
func drive(t testing.TB, p rules.Policy, evs []qunops.Event, every time.Duration) (*rules.Engine, []rules.Action) {
	t.Helper()
	e, err := rules.New(p)
	if err != nil {
		t.Fatal(err)
	}
	var acts []rules.Action
	var last time.Time
	for _, ev := range evs {
		if ev.Time.Sub(last) >= every {
			acts = append(acts, e.Tick(ev.Time)...)
			last = ev.Time
		}
		a, _ := e.Handle(ev)
		acts = append(acts, a...)
	}
	return e, acts
}

func newTestRunner(t testing.TB, dir string, src *source, snk Sink, c *clock, o Options) *Runner {
	t.Helper()
	o.Dir = dir
	o.Now = c.Now
	o.Ticks = make(chan time.Time) // never: ticks follow the events' clock
	if o.TickEvery == 0 {
		o.TickEvery = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = quiet()
	}
	if o.Sleep == nil {
		o.Sleep = (&noSleep{}).Sleep
	}
	r, err := New(testPolicy(), src, snk, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// snapshotBytes returns the current snapshot of dir.
func snapshotBytes(t testing.TB, dir string) []byte {
	t.Helper()
	gens, err := generations(dir)
	if err != nil || len(gens) == 0 {
		t.Fatalf("no snapshot in %s: %v", dir, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, snapshotName(gens[len(gens)-1])))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunnerPerformsTheEnginesActions(t *testing.T) {
	evs := morning()
	ref, want := drive(t, testPolicy(), evs, 30*time.Second)
	c := &clock{}
	src := newSource(evs, 0, c)
	snk := &sink{}
	dir := t.TempDir()
	r := newTestRunner(t, dir, src, snk, c, Options{})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(multiset(want), multiset(snk.performed())); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	types := map[rules.ActionType]bool{}
	for _, a := range want {
		types[a.Type] = true
	}
	for _, ty := range []rules.ActionType{rules.Welcome, rules.Warn, rules.Remove, rules.Blacklist, rules.Recall, rules.Reply, rules.Notify, rules.Retitle} {
		if !types[ty] {
			t.Errorf("the script gives no %s action; it should cover it", ty)
		}
	}
	st := r.Stats()
	if st.Events != int64(len(evs)) {
		t.Errorf("Stats.Events = %d, want %d", st.Events, len(evs))
	}
	wantByType := map[rules.ActionType]int64{}
	for _, a := range want {
		wantByType[a.Type]++
	}
	if diff := cmp.Diff(wantByType, st.Actions); diff != "" {
		t.Errorf("Stats.Actions (-want +got):\n%s", diff)
	}
	refJSON, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(refJSON), string(snapshotBytes(t, dir))); diff != "" {
		t.Errorf("final snapshot (-want +got):\n%s", diff)
	}
}

// Graceful shutdown (item 3): the final snapshot holds the whole state,
// the journal is closed with only its header, and a restart replays
// nothing and performs nothing.
func TestRunnerGracefulShutdown(t *testing.T) {
	evs := morning()
	c := &clock{}
	src := newSource(evs, 0, c)
	dir := t.TempDir()
	r := newTestRunner(t, dir, src, &sink{}, c, Options{})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	gens, _ := generations(dir)
	if len(gens) != 1 {
		t.Fatalf("snapshots %v, want one", gens)
	}
	j, err := os.ReadFile(filepath.Join(dir, journalName(gens[0])))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(j), `{"last_tick":`) || strings.Count(string(j), "\n") != 1 {
		t.Errorf("journal after shutdown = %q, want only the last_tick line", j)
	}
	before := snapshotBytes(t, dir)
	src2 := newSource(nil, 0, c)
	snk2 := &sink{}
	r2 := newTestRunner(t, dir, src2, snk2, c, Options{})
	if err := runUntilDrained(r2, src2); err != nil {
		t.Fatal(err)
	}
	if st := r2.Stats(); st.Replayed != 0 || st.Redone != 0 || len(snk2.performed()) != 0 {
		t.Errorf("restart after shutdown: replayed %d, redone %d, performed %v", st.Replayed, st.Redone, snk2.performed())
	}
	if diff := cmp.Diff(string(before), string(snapshotBytes(t, dir))); diff != "" {
		t.Errorf("snapshot changed by an idle restart (-before +after):\n%s", diff)
	}
}

// Item 2: failed actions are retried with backoff, then reported.
func TestRunnerRetries(t *testing.T) {
	transient := errors.New("503")
	gone := Permanent(errors.New("member already left"))
	tests := []struct {
		name        string
		fail        map[int]error
		attempts    int
		wantDone    int   // actions performed
		wantRetries int64 // failed tries retried
		wantFailed  int64
		wantWaits   []time.Duration
	}{
		{name: "transient then success", fail: map[int]error{1: transient, 2: transient},
			wantDone: 1, wantRetries: 2, wantWaits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "permanent is not retried", fail: map[int]error{1: gone},
			wantDone: 0, wantFailed: 1},
		{name: "wrapped permanent", fail: map[int]error{1: fmt.Errorf("telegram: %w", gone)},
			wantDone: 0, wantFailed: 1},
		{name: "gives up after attempts", attempts: 3, fail: map[int]error{1: transient, 2: transient, 3: transient},
			wantDone: 0, wantRetries: 2, wantFailed: 1, wantWaits: []time.Duration{time.Second, 2 * time.Second}},
		{name: "backoff bounded by max", attempts: 4, fail: map[int]error{1: transient, 2: transient, 3: transient},
			wantDone: 1, wantRetries: 3, wantWaits: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// One event, one action: a reply.
			evs := []qunops.Event{{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(8, 0, 0), Text: "几点"}}
			c := &clock{}
			src := newSource(evs, 0, c)
			snk := &sink{fail: tc.fail}
			ns := &noSleep{}
			sleepOK := func(ctx context.Context, d time.Duration) error { ns.Sleep(context.Background(), d); return ctx.Err() }
			r := newTestRunner(t, t.TempDir(), src, snk, c, Options{Sleep: sleepOK,
				Retry: Retry{Attempts: tc.attempts, Max: 3 * time.Second}})
			if err := runUntilDrained(r, src); err != nil {
				t.Fatal(err)
			}
			if got := len(snk.performed()); got != tc.wantDone {
				t.Errorf("performed %d actions, want %d", got, tc.wantDone)
			}
			st := r.Stats()
			if st.Retries != tc.wantRetries || st.Failed != tc.wantFailed {
				t.Errorf("retries %d failed %d, want %d %d", st.Retries, st.Failed, tc.wantRetries, tc.wantFailed)
			}
			if st.Errors != st.Retries+st.Failed {
				t.Errorf("errors %d, want retries+failed %d", st.Errors, st.Retries+st.Failed)
			}
			if diff := cmp.Diff(tc.wantWaits, ns.waits); diff != "" {
				t.Errorf("backoff waits (-want +got):\n%s", diff)
			}
		})
	}
}

// A Receive error is logged, counted, and Receive is called again after a
// backoff; no event is lost.
func TestRunnerReceiveErrorIsRetried(t *testing.T) {
	evs := morning()
	c := &clock{}
	src := newSource(evs, 0, c)
	src.fail = map[int]bool{1: true, 4: true}
	ns := &noSleep{}
	r := newTestRunner(t, t.TempDir(), src, &sink{}, c, Options{
		Sleep: func(ctx context.Context, d time.Duration) error { ns.Sleep(context.Background(), d); return ctx.Err() }})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if st.Events != int64(len(evs)) || st.Errors < 2 {
		t.Errorf("events %d errors %d, want %d and at least 2", st.Events, st.Errors, len(evs))
	}
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second}, ns.waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// A shutdown while an action is still to do takes no snapshot past it: the
// next start performs it.
func TestRunnerShutdownWithActionInFlight(t *testing.T) {
	evs := morning()[2:3] // one offence: a Recall and a Warn
	_, want := drive(t, testPolicy(), evs, 30*time.Second)
	if len(want) != 2 {
		t.Fatalf("the offence gives %v, want two actions", want)
	}
	c := &clock{}
	src := newSource(evs, 0, c)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	snk := &sink{cancelAt: 2, cancel: cancel} // the second action meets the shutdown
	r := newTestRunner(t, dir, src, snk, c, Options{})
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	first := snk.performed()
	if diff := cmp.Diff(multiset(want[:1]), multiset(first)); diff != "" {
		t.Fatalf("before shutdown (-want +got):\n%s", diff)
	}
	src2 := newSource(nil, 0, c)
	snk2 := &sink{}
	r2 := newTestRunner(t, dir, src2, snk2, c, Options{})
	if err := runUntilDrained(r2, src2); err != nil {
		t.Fatal(err)
	}
	got := snk2.performed()
	if diff := cmp.Diff(multiset(want[1:]), multiset(got)); diff != "" {
		t.Errorf("after restart (-want +got):\n%s", diff)
	}
	// Replayed: the runner's first tick and the event.
	if st := r2.Stats(); st.Redone != 1 || st.Replayed != 2 {
		t.Errorf("redone %d replayed %d, want 1 2", st.Redone, st.Replayed)
	}
}

func TestRunnerRunTwice(t *testing.T) {
	c := &clock{}
	src := newSource(nil, 0, c)
	r := newTestRunner(t, t.TempDir(), src, &sink{}, c, Options{})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run: %v, want an error", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"no dir", Options{}, "bot: options: dir is required"},
		{"negative snapshot_every", Options{Dir: "d", SnapshotEvery: -1}, "bot: options: snapshot_every -1 must not be negative"},
		{"negative snapshot_interval", Options{Dir: "d", SnapshotInterval: -time.Minute}, "bot: options: snapshot_interval -1m0s must not be negative"},
		{"negative tick_every", Options{Dir: "d", TickEvery: -time.Second}, "bot: options: tick_every -1s must not be negative"},
		{"negative sync_every", Options{Dir: "d", SyncEvery: -time.Second}, "bot: options: sync_every -1s must not be negative"},
		{"negative attempts", Options{Dir: "d", Retry: Retry{Attempts: -2}}, "bot: options: retry: attempts -2 must not be negative"},
		{"negative retry initial", Options{Dir: "d", Retry: Retry{Initial: -time.Second}}, "bot: options: retry: initial -1s must not be negative"},
		{"negative retry max", Options{Dir: "d", Retry: Retry{Max: -time.Second}}, "bot: options: retry: max -1s must not be negative"},
		{"ok", Options{Dir: "d"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	src, snk := newSource(nil, 0, nil), &sink{}
	if _, err := New(testPolicy(), nil, snk, Options{Dir: t.TempDir()}); err == nil {
		t.Error("New with a nil source: no error")
	}
	if _, err := New(rules.Policy{WarnLimit: -1}, src, snk, Options{Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "warn_limit") {
		t.Errorf("New with a bad policy: %v, want an error naming warn_limit", err)
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("gone")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"plain", base, false},
		{"nil", nil, false},
		{"marked", Permanent(base), true},
		{"wrapped", fmt.Errorf("ctx: %w", Permanent(base)), true},
	}
	for _, tc := range tests {
		if got := IsPermanent(tc.err); got != tc.want {
			t.Errorf("%s: IsPermanent = %v, want %v", tc.name, got, tc.want)
		}
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	if !errors.Is(Permanent(base), base) {
		t.Error("Permanent hides the error from errors.Is")
	}
}

// notifySink passes each action to a channel as well.
type notifySink struct {
	sink
	c chan rules.Action
}

func (s *notifySink) Perform(ctx context.Context, a rules.Action) error {
	err := s.sink.Perform(ctx, a)
	s.c <- a
	return err
}

// A quiet group still gets its timers: a value on Options.Ticks makes the
// runner tick at its clock, and the tick is journaled (it is replayed).
func TestRunnerTicksOnTheClock(t *testing.T) {
	c := &clock{}
	src := newSource([]qunops.Event{{Type: qunops.Join, Group: "g1", Member: "amy", Time: at(8, 0, 0), Text: "Amy"}}, 0, c)
	snk := &notifySink{c: make(chan rules.Action, 10)}
	ticks := make(chan time.Time)
	dir := t.TempDir()
	r, err := New(testPolicy(), src, snk, Options{Dir: dir, Now: c.Now, Ticks: ticks, TickEvery: 30 * time.Second,
		SnapshotInterval: 24 * time.Hour, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	<-src.drained
	c.Set(at(8, 2, 0)) // the welcome is due at 8:01:00
	ticks <- time.Time{}
	a := <-snk.c
	if a.Type != rules.Welcome || !a.Time.Equal(at(8, 1, 0)) {
		t.Errorf("after the tick: %v %v, want the welcome due at 8:01", a.Type, a.Time)
	}
	gens, _ := generations(dir)
	j, _ := os.ReadFile(filepath.Join(dir, journalName(gens[len(gens)-1])))
	if !strings.Contains(string(j), `{"tick":"`+at(8, 2, 0).UTC().Format(time.RFC3339Nano)+`"}`) {
		t.Errorf("journal %q has no tick at 8:02", j)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Ticks != 2 {
		t.Errorf("ticks %d, want 2 (before the join, and the clock's)", st.Ticks)
	}
}

// A transport may hand over events the codec refuses (bytes that are not
// UTF-8, an absurd date, a missing member): each is counted and logged as
// rejected, never journaled, and the events around it are served; the
// journal left behind reads back whole.
func TestRunnerRejectsBadEvents(t *testing.T) {
	evs := []qunops.Event{
		{Type: qunops.Message, Group: "g1", Member: "amy", Time: at(8, 0, 0), ID: "e1", Text: "\xff\xfe"},
		{Type: qunops.Message, Group: "g1", Member: "bob", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, shanghai), ID: "e2", Text: "hi"},
		{Type: qunops.Message, Group: "g1", Member: "", Time: at(8, 0, 1), ID: "e3", Text: "hi"},
		{Type: qunops.Join, Group: "g1", Member: "cy", Time: at(8, 0, 2), Text: "Cy"},
	}
	c := &clock{}
	c.Set(at(8, 0, 0))
	dir := t.TempDir()
	src := newSource(evs, 0, nil) // the machine's clock, not the events'
	journaled := 0
	r := newTestRunner(t, dir, src, &sink{}, c, Options{crash: func(point string) bool {
		if point == "journaled" {
			journaled++
		}
		return false
	}})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Events != 4 || st.Rejected != 3 || st.Errors != 3 {
		t.Errorf("events %d rejected %d errors %d, want 4, 3, 3", st.Events, st.Rejected, st.Errors)
	}
	if journaled != 1 {
		t.Errorf("%d events journaled, want 1 (the join)", journaled)
	}
	src = newSource(nil, 0, nil)
	r = newTestRunner(t, dir, src, &sink{}, c, Options{})
	if err := runUntilDrained(r, src); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Dropped != 0 || st.Errors != 0 {
		t.Errorf("restart: dropped %d errors %d, want 0, 0", st.Dropped, st.Errors)
	}
}
