package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// Options are the runner's settings. The zero value of every field but Dir
// means its default.
type Options struct {
	// Dir is the state directory (snapshots and the journal); it is
	// created if missing. Required. One runner at a time may use it.
	Dir string
	// SnapshotEvery is the number of journal records (events and ticks)
	// after which a snapshot replaces the journal. Default 10,000 (ours:
	// a restart replays at most that, well under a second).
	SnapshotEvery int
	// SnapshotInterval is the longest time between snapshots while
	// records arrive. Default 10 minutes (ours).
	SnapshotInterval time.Duration
	// TickEvery is how often the runner calls the engine's Tick with its
	// clock. Default 1 second (ours: a welcome or an escalation is at
	// most that late).
	TickEvery time.Duration
	// SyncEvery is the longest time between two fsyncs of the journal
	// while records arrive. Default 1 second (ours). It only matters for
	// a crash of the machine: see the package documentation. The fsync
	// runs on a goroutine of its own, so the loop does not wait for it.
	SyncEvery time.Duration
	// SyncEach fsyncs every record before it is applied, in the loop: a
	// crash of the machine then loses nothing either, at the price of a
	// disk flush per event (about 1 ms on the development VM).
	SyncEach bool
	// Retry is the backoff for failed actions and Receive errors.
	Retry Retry
	// Now is the runner's clock. Default time.Now.
	Now func() time.Time
	// Ticks wakes the runner to tick (at Now(), not at the value sent).
	// Default a time.Ticker of TickEvery. The runner also ticks before an
	// event when TickEvery has passed since its last tick, so a test that
	// moves Now along with its events can pass a channel that never sends.
	Ticks <-chan time.Time
	// Sleep waits d or until ctx ends (returning ctx.Err()), for the
	// backoff. Default a time.Timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives the runner's logs. Default slog.Default().
	Logger *slog.Logger

	// crash, for the crash tests: called at each crash point; true stops
	// the runner at once, as a kill would, without the final snapshot.
	crash func(point string) bool
	// noSync, for the crash tests: no fsync. A crash in the process
	// leaves what was written in the page cache, so fsync changes nothing
	// those tests can observe, and costs most of their time.
	noSync bool
	// noMap, for tests: the journal's write calls, as where it cannot be
	// mapped.
	noMap bool
}

// Retry is a backoff: Attempts tries, waiting Initial after the first
// failure and doubling up to Max.
type Retry struct {
	// Attempts is the number of tries of an action before it is reported
	// as failed. Default 5 (ours).
	Attempts int
	// Initial is the wait after the first failure. Default 1 second (ours).
	Initial time.Duration
	// Max bounds the wait. Default 1 minute (ours).
	Max time.Duration
}

// Validate reports the first setting that is out of range.
func (o Options) Validate() error {
	switch {
	case o.Dir == "":
		return errors.New("bot: options: dir is required")
	case o.SnapshotEvery < 0:
		return fmt.Errorf("bot: options: snapshot_every %d must not be negative", o.SnapshotEvery)
	case o.SnapshotInterval < 0:
		return fmt.Errorf("bot: options: snapshot_interval %v must not be negative", o.SnapshotInterval)
	case o.TickEvery < 0:
		return fmt.Errorf("bot: options: tick_every %v must not be negative", o.TickEvery)
	case o.SyncEvery < 0:
		return fmt.Errorf("bot: options: sync_every %v must not be negative", o.SyncEvery)
	case o.Retry.Attempts < 0:
		return fmt.Errorf("bot: options: retry: attempts %d must not be negative", o.Retry.Attempts)
	case o.Retry.Initial < 0:
		return fmt.Errorf("bot: options: retry: initial %v must not be negative", o.Retry.Initial)
	case o.Retry.Max < 0:
		return fmt.Errorf("bot: options: retry: max %v must not be negative", o.Retry.Max)
	}
	return nil
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if o.SnapshotEvery == 0 {
		o.SnapshotEvery = 10000
	}
	def(&o.SnapshotInterval, 10*time.Minute)
	def(&o.TickEvery, time.Second)
	def(&o.SyncEvery, time.Second)
	if o.Retry.Attempts == 0 {
		o.Retry.Attempts = 5
	}
	def(&o.Retry.Initial, time.Second)
	def(&o.Retry.Max, time.Minute)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats are the runner's counters since Run started.
type Stats struct {
	Events   int64 // events received and journaled
	Rejected int64 // events the engine or the codec rejected (a log line each)
	Ticks    int64 // calls of the engine's Tick
	// Actions counts the actions performed, by type.
	Actions map[rules.ActionType]int64
	Retries int64 // failed tries that were retried
	Failed  int64 // actions given up: a permanent error or the last retry failed
	// Errors counts every error: Receive errors, failed tries, given-up
	// actions, rejected events, journal and snapshot errors.
	Errors       int64
	Replayed     int64 // journal records replayed at start
	Redone       int64 // in-flight actions performed again at start
	Dropped      int64 // journal lines dropped at start (torn or corrupt tail)
	Snapshots    int64
	Syncs        int64 // fsyncs of the journal (not counting the snapshots')
	JournalBytes int64 // size of the current journal
}

// Runner runs a rules.Engine on a transport: events from a Source, actions
// to a Sink, ticks from its clock, every record journaled before it is
// applied and the state snapshotted. Run is its one entry point; Stats may
// be called from any goroutine.
type Runner struct {
	policy rules.Policy
	src    Source
	sink   Sink
	o      Options
	log    *slog.Logger

	started atomic.Bool

	// Owned by Run's loop.
	e        *rules.Engine
	gen      uint64
	j        *journal
	lastTick time.Time
	records  int       // records in the current journal
	snapAt   time.Time // clock at the last snapshot
	syncAt   time.Time // clock at the last fsync
	dirty    bool      // written since the last fsync
	inflight bool      // an action of the last record was not performed

	mu    sync.Mutex
	stats Stats
}

// errCrashed is returned by Run when the crash hook stopped it.
var errCrashed = errors.New("bot: crashed (test hook)")

// New returns a runner of the engine of policy p on src and sink, keeping
// its state in opts.Dir. It checks p and opts and creates the directory;
// Run loads the state.
func New(p rules.Policy, src Source, sink Sink, opts Options) (*Runner, error) {
	if src == nil || sink == nil {
		return nil, errors.New("bot: source and sink are required")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("bot: state dir: %w", err)
	}
	o := opts.withDefaults()
	return &Runner{policy: p, src: src, sink: sink, o: o, log: o.Logger,
		stats: Stats{Actions: map[rules.ActionType]int64{}}}, nil
}

// Stats returns a copy of the counters. It is safe for concurrent use.
func (r *Runner) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Actions = maps.Clone(r.stats.Actions)
	return s
}

func (r *Runner) count(f func(s *Stats)) {
	r.mu.Lock()
	f(&r.stats)
	r.mu.Unlock()
}

// Run loads the state, replays the journal, performs the actions that were
// in flight, and then serves the source until ctx ends, when it takes a
// final snapshot, closes the journal and returns nil. It returns an error
// at once for a state it cannot load, and later for a journal or snapshot
// it cannot write (the bot cannot keep its guarantees then). Run may be
// called once.
func (r *Runner) Run(ctx context.Context) error {
	if !r.started.CompareAndSwap(false, true) {
		return errors.New("bot: Run called twice")
	}
	if err := r.recover(ctx); err != nil {
		return err
	}
	if r.inflight { // ctx ended while redoing: the journal keeps them
		r.log.Warn("bot: stopped with actions in flight; the next start performs them")
		return nil
	}
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	evc := make(chan qunops.Event)
	ack := make(chan struct{})
	wg.Go(func() { r.receive(rctx, evc, ack) })
	ticks := r.o.Ticks
	if ticks == nil {
		t := time.NewTicker(r.o.TickEvery)
		defer t.Stop()
		ticks = t.C
	}
	for {
		var err error
		acked := true
		select {
		case <-ctx.Done():
			return r.stop()
		case ev := <-evc:
			acked = false
			if err = r.tick(ctx, false); err == nil && !r.inflight {
				err = r.event(ctx, ev)
			}
		case <-ticks:
			err = r.tick(ctx, true)
		}
		if err == errCrashed {
			r.j.abandon() // no sync, no snapshot
			return err
		}
		if err == nil && !r.inflight {
			err = r.maintain()
		}
		if err != nil {
			r.j.close()
			return err
		}
		if r.inflight {
			return r.stop()
		}
		if !acked {
			select {
			case ack <- struct{}{}:
			case <-ctx.Done():
			}
		}
	}
}

// receive calls Receive in a loop, handing each event to the loop and
// waiting for its ack (the event applied and its actions performed) before
// the next call.
func (r *Runner) receive(ctx context.Context, evc chan<- qunops.Event, ack <-chan struct{}) {
	wait := time.Duration(0)
	for {
		ev, err := r.src.Receive(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.count(func(s *Stats) { s.Errors++ })
			wait = r.backoff(wait)
			r.log.Warn("bot: receive failed", "err", err, "retry_in", wait)
			if r.o.Sleep(ctx, wait) != nil {
				return
			}
			continue
		}
		wait = 0
		select {
		case evc <- ev:
		case <-ctx.Done():
			return
		}
		select {
		case <-ack:
		case <-ctx.Done():
			return
		}
	}
}

func (r *Runner) backoff(prev time.Duration) time.Duration {
	if prev == 0 {
		return r.o.Retry.Initial
	}
	return min(2*prev, r.o.Retry.Max)
}

func (r *Runner) crashAt(point string) bool {
	return r.o.crash != nil && r.o.crash(point)
}

// tick calls the engine's Tick at the clock's time: always when force (the
// ticker), else when TickEvery has passed since the last tick. A clock that
// has not moved past the last tick gives no tick.
func (r *Runner) tick(ctx context.Context, force bool) error {
	now := r.o.Now()
	if !now.After(r.lastTick) || (!force && now.Sub(r.lastTick) < r.o.TickEvery) {
		return nil
	}
	if err := r.j.tick(now); err != nil {
		return err
	}
	if err := r.syncEach(); err != nil {
		return err
	}
	r.records++
	r.dirty = true
	r.lastTick = now
	acts := r.e.Tick(now)
	r.count(func(s *Stats) { s.Ticks++ })
	return r.perform(ctx, acts)
}

// event journals ev, hands it to the engine and performs its actions.
func (r *Runner) event(ctx context.Context, ev qunops.Event) error {
	r.count(func(s *Stats) { s.Events++ })
	if err := r.j.event(ev); err != nil {
		var fe *qunops.FieldError
		if errors.As(err, &fe) {
			r.reject(ev, err)
			return nil
		}
		return err
	}
	if err := r.syncEach(); err != nil {
		return err
	}
	r.records++
	r.dirty = true
	if r.crashAt("journaled") {
		return errCrashed
	}
	acts, err := r.e.Handle(ev)
	if err != nil {
		r.reject(ev, err)
		return nil
	}
	return r.perform(ctx, acts)
}

// syncEach fsyncs the record just journaled when Options.SyncEach asks.
func (r *Runner) syncEach() error {
	if !r.o.SyncEach {
		return nil
	}
	return r.j.sync()
}

func (r *Runner) reject(ev qunops.Event, err error) {
	r.count(func(s *Stats) { s.Rejected++; s.Errors++ })
	r.log.Info("bot: event rejected", "group", ev.Group, "id", ev.ID, "err", err)
}

// perform performs acts, each followed by a done marker. When ctx ends
// before all are performed, it sets r.inflight and returns nil: the loop
// then stops without a snapshot, so that the next start performs them.
func (r *Runner) perform(ctx context.Context, acts []rules.Action) error {
	for i := range acts {
		if !r.performOne(ctx, acts[i]) {
			r.inflight = true
			return nil
		}
		if r.crashAt("performed") {
			return errCrashed
		}
		if err := r.j.done(i + 1); err != nil {
			return err
		}
	}
	if len(acts) > 0 && r.crashAt("done") {
		return errCrashed
	}
	return nil
}

// performOne tries a until it succeeds, fails permanently or runs out of
// attempts (then it is logged and counted as failed). It returns false
// when ctx ended first: the action is still to do.
func (r *Runner) performOne(ctx context.Context, a rules.Action) bool {
	wait := time.Duration(0)
	for try := 1; ; try++ {
		if ctx.Err() != nil {
			return false
		}
		err := r.sink.Perform(ctx, a)
		if err == nil {
			r.count(func(s *Stats) { s.Actions[a.Type]++ })
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		if IsPermanent(err) || try >= r.o.Retry.Attempts {
			r.count(func(s *Stats) { s.Failed++; s.Errors++ })
			r.log.Error("bot: action failed", "type", a.Type, "group", a.Group, "member", a.Member,
				"tries", try, "permanent", IsPermanent(err), "err", err)
			return true
		}
		r.count(func(s *Stats) { s.Retries++; s.Errors++ })
		wait = r.backoff(wait)
		r.log.Warn("bot: action failed, retrying", "type", a.Type, "group", a.Group, "member", a.Member,
			"try", try, "retry_in", wait, "err", err)
		if r.o.Sleep(ctx, wait) != nil {
			return false
		}
	}
}

// maintain syncs the journal and takes a snapshot when they are due.
func (r *Runner) maintain() error {
	now := r.o.Now()
	if r.snapAt.IsZero() || now.Before(r.snapAt) {
		// A clock that starts at zero (tests) or steps back: the
		// interval counts from now.
		r.snapAt = now
	}
	if r.records >= r.o.SnapshotEvery || (r.records > 0 && now.Sub(r.snapAt) >= r.o.SnapshotInterval) {
		return r.snapshot(now)
	}
	if !r.o.SyncEach && r.dirty && now.Sub(r.syncAt) >= r.o.SyncEvery {
		if err := r.j.syncLater(); err != nil {
			return err
		}
		r.dirty, r.syncAt = false, now
	}
	r.count(func(s *Stats) { s.JournalBytes = r.j.size })
	return nil
}

// snapshot writes the engine as the next generation and starts its empty
// journal: the new journal is created first, then the snapshot renamed in
// place and the directory synced, so a crash at any point leaves either the
// old generation whole or the new one.
func (r *Runner) snapshot(now time.Time) error {
	data, err := json.Marshal(r.e)
	if err != nil {
		r.count(func(s *Stats) { s.Errors++ })
		return fmt.Errorf("bot: snapshot: %w", err)
	}
	next := r.gen + 1
	j, err := createJournal(filepath.Join(r.o.Dir, journalName(next)), r.lastTick, journalOpts{
		nosync: r.o.noSync, nomap: r.o.noMap, onSync: func() { r.count(func(s *Stats) { s.Syncs++ }) }})
	if err != nil {
		return err
	}
	if err := writeSnapshot(r.o.Dir, next, data, r.o.noSync); err != nil {
		j.abandon()
		os.Remove(filepath.Join(r.o.Dir, journalName(next)))
		return err
	}
	if r.j != nil {
		r.j.abandon() // replaced by the snapshot
	}
	old := r.gen
	r.gen, r.j, r.records, r.snapAt, r.syncAt, r.dirty = next, j, 0, now, now, false
	r.removeOld(old)
	r.count(func(s *Stats) { s.Snapshots++; s.JournalBytes = j.size })
	return nil
}

// removeOld removes the files of generations up to old.
func (r *Runner) removeOld(old uint64) {
	gens, _ := generations(r.o.Dir)
	for _, g := range append(gens, old) {
		if g <= old {
			os.Remove(filepath.Join(r.o.Dir, snapshotName(g)))
			os.Remove(filepath.Join(r.o.Dir, journalName(g)))
		}
	}
}

// stop is the graceful shutdown: a final snapshot (unless an action is
// still to do: then the journal keeps it for the next start), the journal
// synced and closed.
func (r *Runner) stop() error {
	if r.inflight {
		r.log.Warn("bot: stopped with actions in flight; the next start performs them")
		return r.j.close()
	}
	if err := r.snapshot(r.o.Now()); err != nil {
		r.j.close()
		return err
	}
	return r.j.close()
}

// recover loads the newest snapshot, applies the deployed policy, replays
// its journal, performs the actions that were in flight and snapshots the
// result.
func (r *Runner) recover(ctx context.Context) error {
	gens, err := generations(r.o.Dir)
	if err != nil {
		return err
	}
	// Left-overs of a snapshot that a crash caught before its rename.
	if tmps, err := filepath.Glob(filepath.Join(r.o.Dir, "snapshot-*.tmp")); err == nil {
		for _, p := range tmps {
			os.Remove(p)
		}
	}
	var e *rules.Engine
	if len(gens) > 0 {
		r.gen = gens[len(gens)-1]
		path := filepath.Join(r.o.Dir, snapshotName(r.gen))
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("bot: snapshot: %w", err)
		}
		e = new(rules.Engine)
		if err := json.Unmarshal(data, e); err != nil {
			return fmt.Errorf("bot: snapshot %s: %w", path, err)
		}
		if err := e.SetPolicy(r.policy); err != nil {
			return err
		}
	} else if e, err = rules.New(r.policy); err != nil {
		return err
	}
	r.e = e
	jr, err := readJournal(filepath.Join(r.o.Dir, journalName(r.gen)))
	if err != nil {
		return err
	}
	if jr.problem != nil {
		r.count(func(s *Stats) { s.Dropped = int64(jr.dropped); s.Errors++ })
		r.log.Error("bot: journal tail dropped; the good prefix is used", "lines", jr.dropped, "err", jr.problem)
	}
	r.lastTick = jr.lastTick
	var last []rules.Action
	lastDone := 0
	for i, rec := range jr.records {
		var acts []rules.Action
		if rec.tick {
			acts = r.e.Tick(rec.at)
			if rec.at.After(r.lastTick) {
				r.lastTick = rec.at
			}
		} else {
			acts, _ = r.e.Handle(rec.ev) // rejected again, as it was
		}
		if i < len(jr.records)-1 && rec.done < len(acts) {
			// Only the last record can be in flight: the runner
			// finishes a record before journaling the next.
			r.log.Error("bot: journal: a record before the last has actions not marked done",
				"line", rec.line, "actions", len(acts), "done", rec.done)
		}
		last, lastDone = acts, min(rec.done, len(acts))
	}
	r.count(func(s *Stats) { s.Replayed = int64(len(jr.records)) })
	// The actions in flight are performed before the snapshot that ends
	// their journal, so that a crash while they are redone redoes them
	// again rather than losing them.
	if len(jr.records) > 0 && lastDone < len(last) {
		r.redo(ctx, last[lastDone:])
		if r.inflight {
			return nil
		}
	}
	return r.snapshot(r.o.Now())
}

// redo performs the in-flight actions found at start.
func (r *Runner) redo(ctx context.Context, acts []rules.Action) {
	r.log.Warn("bot: performing the actions in flight at the last stop", "actions", len(acts))
	for _, a := range acts {
		if !r.performOne(ctx, a) {
			r.inflight = true
			return
		}
		r.count(func(s *Stats) { s.Redone++ })
	}
}
