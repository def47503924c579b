// Package botest holds the scaffolding the adapters' tests share. To run a
// transport under bot.Runner: a settable clock, runner options that never
// wait, a runner started in the background and stopped on demand, and a wait
// for the calls a fake platform saw. To drive a scripted morning without a
// runner: a Driver that hands events to an engine, performs its actions and
// reports the ones that failed. Only tests import it.
package botest

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/bot"
	"github.com/qunops/qunops/rules"
)

// Clock is a settable clock for bot.Options.Now. Safe for concurrent use;
// the zero Clock reads the Unix epoch.
type Clock struct{ ns atomic.Int64 }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// Now returns the time last Set.
func (c *Clock) Now() time.Time { return time.Unix(0, c.ns.Load()) }

// Options returns runner options on state directory dir that read c and
// tick only when the test sends on ticks; the retry backoff does not wait.
func Options(dir string, c *Clock, ticks <-chan time.Time) bot.Options {
	return bot.Options{Dir: dir, Now: c.Now, Ticks: ticks,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
}

// Run starts r.Run in a goroutine. stop cancels it, waits for Run to return
// and reports its error on t.
func Run(t testing.TB, r *bot.Runner) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

// Await returns the next n values from seen, failing t when one takes
// longer than 10 seconds.
func Await(t testing.TB, seen <-chan string, n int) []string {
	t.Helper()
	var got []string
	for range n {
		select {
		case c := <-seen:
			got = append(got, c)
		case <-time.After(10 * time.Second):
			t.Fatalf("waited 10s for call %d of %d; got %q", len(got)+1, n, got)
		}
	}
	return got
}

// Driver stands in for bot.Runner in a scripted test: it hands events to
// Engine and performs the actions on Sink at once, without a journal, and
// collects the errors of Perform. The zero Driver is not usable: set Ctx,
// Engine and Sink.
type Driver struct {
	Ctx      context.Context
	Engine   *rules.Engine
	Sink     bot.Sink
	failures []string
}

// perform performs acts in order; a failure is kept for Report.
func (d *Driver) perform(acts []rules.Action) {
	for _, a := range acts {
		if err := d.Sink.Perform(d.Ctx, a); err != nil {
			d.failures = append(d.failures, err.Error())
		}
	}
}

// Handle hands ev to the engine and performs its actions; an error of the
// engine fails t at once.
func (d *Driver) Handle(t testing.TB, ev qunops.Event) {
	t.Helper()
	acts, err := d.Engine.Handle(ev)
	if err != nil {
		t.Fatalf("Handle(%+v): %v", ev, err)
	}
	d.perform(acts)
}

// Tick ticks the engine at now and performs its actions.
func (d *Driver) Tick(now time.Time) { d.perform(d.Engine.Tick(now)) }

// Report reports every Perform that failed.
func (d *Driver) Report(t testing.TB) {
	t.Helper()
	if len(d.failures) > 0 {
		t.Errorf("Perform failed:\n%s", strings.Join(d.failures, "\n"))
	}
}
