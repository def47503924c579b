// Package bot runs a [rules.Engine] on a chat transport: events in from a
// [Source], actions out to a [Sink], Tick from the runner's clock, with a
// journal and snapshots so that a crash loses no warning, blacklist entry,
// dispute or timer.
//
// It is the one package of the module that owns goroutines, reads the
// clock and does I/O (files in its state directory); the engine it runs
// stays pure. The transports themselves live in the separate adapters
// module (Telegram, OneBot 12), which implements Source and Sink.
//
// # Model
//
// [New] takes the deployed [rules.Policy], a Source, a Sink and [Options];
// [Runner.Run] is the one entry point. Run owns one loop goroutine that
// applies, one at a time, records of two kinds: an event from the Source,
// and a tick (the engine's Tick at the runner's clock, every
// Options.TickEvery, and before an event when that long has passed since
// the last tick). For each record the loop
//
//  1. appends it to the journal (an event as a line of the root JSON Lines
//     codec, qunops.Encoder), before anything else: on Linux the line is
//     copied into a shared memory mapping of the journal file, which is
//     the kernel's page cache, with no system call; elsewhere it is one
//     write call;
//  2. hands it to the engine (Handle or Tick);
//  3. performs the actions in order, each followed by a done marker in the
//     journal.
//
// A second goroutine calls Source.Receive and waits for the loop to finish
// an event before it calls Receive again, so a transport that acknowledges
// an event by asking for the next one (Telegram's getUpdates offset) never
// loses an event to a crash: an event is acknowledged only once it is in
// the journal. An event that a crash caught before the journal (between
// Receive and the write) is delivered again by such a transport. Every Options.SnapshotEvery records or
// Options.SnapshotInterval (10,000 records or 10 minutes by default), the
// engine's JSON is written as a snapshot (temporary file, fsync, rename,
// fsync of the directory) and a new empty journal replaces the old one.
//
// Ticks are journaled rather than derived from the events' times (the
// rules documentation's Tick(ev.Time) recipe for a log): ticking at a
// member's own stamp would let a message stamped 9999 move the engine's
// bound on future stamps (Policy.MaxSkew) past itself.
//
// On start, Run loads the newest snapshot with [rules.Engine.UnmarshalJSON],
// applies the deployed policy with [rules.Engine.SetPolicy], replays the
// journal (Tick or Handle for each record, in order; their actions are not
// performed again), performs the actions that were in flight (below), and
// takes a snapshot. On ctx's end it takes a final snapshot and closes the
// journal.
//
// # Crash guarantees
//
// A crash of the process (kill -9, panic, out of memory) at any instant
// loses nothing the runner accepted: every record is in the file's pages
// in the kernel before it is applied, and the kernel writes them out
// whether or not the process lives on. At the next start, only the last record can be
// unfinished; its actions from the first one without a done marker are
// performed again. So the actions that may run twice are exactly the one
// action in flight at the crash (performed, but its marker not yet
// written), and, if the bot crashes again while redoing them, those
// actions again. No other action is repeated, and none is lost. A Sink
// should make its actions idempotent where the transport allows (deleting
// a deleted message, banning a banned member).
//
// A crash of the machine (power loss, kernel panic) may lose what the
// operating system had not written to disk: while records arrive, a
// goroutine of the journal fsyncs it every Options.SyncEvery (1 second by
// default), without holding up the loop, so up to that much of the most
// recent history (events, with actions already performed), plus the
// flush in progress, may be gone. Options.SyncEach fsyncs each record
// before it is applied instead: a disk flush per event, about 1 ms on the
// development VM (BenchmarkRunner journal-sync-each), hundreds of times
// the runner's own cost. Snapshots are always fsynced before they replace
// a journal.
//
// A journal that was not closed ends in zeros, the space reserved for its
// mapping (its blocks are reserved before they are mapped, so a full disk
// is an error that ends Run, not a fault on a store); they are not
// records. A journal whose tail is torn (a last line without its line
// ending, as a crash of the machine or of the process in the middle of a
// copy can leave) or corrupt is read up to its last good
// line: the rest is dropped, logged as an error and counted in
// [Stats].Dropped, never applied, since a record after a lost one would
// meet a state it was not handled in.
//
// A shutdown (ctx's end) in the middle of a record's actions takes no final
// snapshot, so that the next start performs the rest.
//
// # Failures
//
// A Sink error is retried with backoff (Options.Retry: 5 tries, from 1
// second doubling up to 1 minute by default) unless it is marked
// [Permanent]; an action that still fails is logged at level error and
// counted in [Stats].Failed, and the loop goes on. While an action is
// retried the loop waits: actions keep their order. A Receive error is
// logged and counted, and Receive is called again after the same backoff.
// An event that the engine rejects (bad stamp, failed validation) is
// logged and counted in [Stats].Rejected. A journal or snapshot that
// cannot be written ends Run with the error: the guarantees above would
// no longer hold.
//
// # Costs
//
// An event costs its journal line (encoded, then copied into the mapping:
// about 0.7 µs on the development VM, BenchmarkJournalAppend; a write call
// where the file is not mapped, about 2.5 µs), the engine's Handle, two
// goroutine hand-offs and a few counters: 2.4 to 3.7 µs of wall time and
// 2.0 to 2.7 µs of CPU time (all threads, the background fsync included)
// per event with one core (BenchmarkRunner journal, events a millisecond
// apart so the batched fsync comes every 1,000 events), and no allocation
// per event. A snapshot costs the engine's MarshalJSON and an fsync, in
// the loop. A start costs the snapshot's load and the journal's replay (at
// most SnapshotEvery records).
//
// # Concurrency
//
// Run must be called once; [Runner.Stats] may be called from any goroutine
// at any time. One runner at a time may use a state directory.
package bot
