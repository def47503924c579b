package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// clock is a fake clock the test moves; safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time {
	n := c.ns.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
func (c *clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// source delivers events from a script, moving the clock to each event's
// time; after the last it closes drained and waits for ctx.
type source struct {
	events  []qunops.Event
	next    atomic.Int64
	clock   *clock
	drained chan struct{}
	once    sync.Once
	// fail makes the calls whose 1-based number it lists return an error.
	fail  map[int]bool
	calls int
}

func newSource(evs []qunops.Event, from int, c *clock) *source {
	s := &source{events: evs, clock: c, drained: make(chan struct{})}
	s.next.Store(int64(from))
	return s
}

func (s *source) Receive(ctx context.Context) (qunops.Event, error) {
	s.calls++
	if s.fail[s.calls] {
		return qunops.Event{}, fmt.Errorf("transport down (call %d)", s.calls)
	}
	i := s.next.Load()
	if int(i) >= len(s.events) {
		s.once.Do(func() { close(s.drained) })
		<-ctx.Done()
		return qunops.Event{}, ctx.Err()
	}
	s.next.Add(1)
	ev := s.events[i]
	if s.clock != nil {
		s.clock.Set(ev.Time)
	}
	return ev, nil
}

// sink records what it performed; fail lists errors to return for the
// n-th call (1-based).
type sink struct {
	mu    sync.Mutex
	done  []rules.Action
	calls int
	fail  map[int]error
	// cancel, if set, is called at the call it names (1-based), with the
	// call then failing as the context's end would.
	cancelAt int
	cancel   func()
}

func (s *sink) Perform(ctx context.Context, a rules.Action) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.cancelAt == s.calls && s.cancel != nil {
		s.cancel()
		return ctx.Err()
	}
	if err := s.fail[s.calls]; err != nil {
		return err
	}
	s.done = append(s.done, a)
	return nil
}

func (s *sink) performed() []rules.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.done)
}

// key identifies an action for multiset comparisons: its times in UTC,
// since a replayed tick carries a fixed zone.
func key(a rules.Action) string {
	a.Time = a.Time.UTC()
	return fmt.Sprintf("%+v", a)
}

func multiset(acts []rules.Action) map[string]int {
	m := map[string]int{}
	for _, a := range acts {
		m[key(a)]++
	}
	return m
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// noSleep records backoff waits without waiting.
type noSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (n *noSleep) Sleep(ctx context.Context, d time.Duration) error {
	n.mu.Lock()
	n.waits = append(n.waits, d)
	n.mu.Unlock()
	return ctx.Err()
}

var shanghai = qunops.DefaultLocation()

func at(h, m, s int) time.Time { return time.Date(2026, 3, 2, h, m, s, 0, shanghai) }

func testPolicy() rules.Policy {
	return rules.Policy{
		Admins:     []string{"adm1", "adm2"},
		Prohibited: []string{"赌博"},
		Warnable:   []string{"加微信"},
		Replies:    []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "9:00-21:00"}},
		Recall:     true,
		LockTitle:  true,
	}
}

// runUntilDrained runs r until src is drained, then cancels it and returns
// Run's error.
func runUntilDrained(r *Runner, src *source) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- r.Run(ctx) }()
	select {
	case <-src.drained:
		cancel()
		return <-errc
	case err := <-errc:
		return err
	}
}
