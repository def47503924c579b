// Package qunops is a Go SDK for running chat groups, first of all WeChat
// groups: the event vocabulary that all its packages share, and the JSON
// Lines codec that stores it.
//
// qunops is for three kinds of users. A bot author feeds the rule engine the
// events of the groups the bot serves and performs the actions it returns
// (welcome, warn, remove, escalate a dispute). An analyst feeds an exported
// chat log to the metrics and gets the figures operators live by (activity,
// retention, reach, response). A researcher scripts referral simulations.
// The rules of thumb behind every default come from a Chinese operator's
// guide; each of its numbers has an id, F1 to F43, and every default in the
// SDK cites the id it comes from ("Default 15 minutes (seed F9)").
//
// # Packages
//
//   - [github.com/qunops/qunops/metrics]: activity, retention, reach,
//     response and quit rates over event logs, day by day; low-activity
//     alerts, health verdicts, A/B statistics and frequent terms.
//   - [github.com/qunops/qunops/tiering]: core, active, new, lurker, casual
//     and violator members; monthly re-tiering; a points ledger.
//   - [github.com/qunops/qunops/rules]: the rule engine a bot embeds, events
//     in and actions out.
//   - [github.com/qunops/qunops/rules/keyword]: the evasion-resistant keyword
//     matcher the engine uses.
//   - [github.com/qunops/qunops/growth]: referral math (K-factor, branching
//     processes, Bass diffusion, funnels) and seeded simulation.
//   - [github.com/qunops/qunops/schedule]: posting windows, weekly calendars,
//     plan checks, best hours and recurring cadences.
//   - [github.com/qunops/qunops/livecode]: live QR codes that spread
//     newcomers over many groups within WeChat's limits.
//   - [github.com/qunops/qunops/ingest]: importers from real chat-log exports
//     to events.
//   - [github.com/qunops/qunops/report]: the report of `qunops report` as a
//     value: a one-pass, mergeable, serialisable Builder, and files read on
//     every core.
//   - [github.com/qunops/qunops/bot]: the rule engine on a live transport,
//     crash-safe (journal, snapshots, restarts, retries); the module
//     github.com/qunops/qunops/adapters has Telegram and OneBot 12.
//   - [github.com/qunops/qunops/sample]: a deterministic month of three
//     groups, for trying everything above without a log of one's own.
//   - [github.com/qunops/qunops/chart]: small SVG line charts, for the
//     figures of a report or a simulation.
//
// The command github.com/qunops/qunops/cmd/qunops runs all of them over JSON
// Lines logs.
//
// # Principles
//
// Every package is pure: none reads the clock, sleeps, starts goroutines,
// touches files or the network, or keeps global mutable state. The one
// exception is report's parallel reading of files (BuildFiles, ReadFile),
// which opens the files it is given and decodes them on every core; its
// Builder itself is pure. Time comes in
// as an argument (an event's own Time, or a now parameter) and randomness as
// a *rand.Rand from math/rand/v2, so the same inputs always give the same
// outputs and tests never wait. Decisions are values that say which rule or
// threshold produced them; the caller performs them. Ratios keep their
// integer numerator and denominator, and an undefined ratio is reported as
// undefined, never as 0. Accumulators can be built in shards and merged.
// Bad input gets an error that names the problem, never a panic.
//
// # Events
//
// Everything that happens in a group is an [Event]. Its [EventType] is one
// of [Join], [Leave], [Roster], [Message], [Read], [Claim], [Checkin],
// [Warn], [Report], [Resolve], [Rename] and [Title]; the constants say what each
// type must carry, and [Event.Validate] checks it, naming the wrong field.
// Every event needs a Group, a Member (its subject) and a Time. A Roster
// event says that a member was in the group at that time (from a
// member-list snapshot); it is not a join. A member first seen in any event
// other than a join is taken to have been a member since before the log
// began, until a leave. Days are bucketed in a Location that the caller
// gives, never in the offset an event happens to carry. ID is a
// source-prefixed key ("chatlog:12345"); consumers ignore an event whose
// non-empty ID they have already seen, so importing the same export twice
// changes nothing.
//
// # JSON Lines
//
// Events are stored one per line as flat JSON objects, schema v1:
//
//	{"v":1,"type":"join","group":"g1@chatroom","member":"wxid_li","time":"2026-03-02T08:00:00+08:00","actor":"wxid_wang","text":"上海-小李"}
//
// [NewEncoder] writes them and [NewDecoder] reads them, in the manner of
// encoding/json and encoding/csv. The decoder streams, reports every bad
// line as a [LineError] ("qunops: line 7: ...") and goes on with the next.
// Encoding then decoding gives back the same event, its time's offset
// included.
//
// # Events in, decisions out
//
// A bot reads events from its transport, hands them to the rule engine and
// performs what comes back:
//
//	engine, err := rules.New(rules.DefaultPolicy())
//	if err != nil { ... }
//	for e := range transport.Events() {
//		engine.Tick(time.Now()) // timers due, and the clock events are checked against
//		actions, err := engine.Handle(e)
//		if err != nil { log.Print(err); continue } // invalid, or stamped far ahead
//		for _, a := range actions {
//			transport.Perform(a) // welcome, warn, remove, escalate...
//		}
//	}
//
// An analyst reads a log into a metrics tracker:
//
//	tr := metrics.NewTracker(nil) // days in Asia/Shanghai
//	for e, err := range qunops.NewDecoder(file).All() {
//		if err != nil { log.Print(err); continue } // a bad line; go on
//		tr.Add(e)
//	}
//	for _, day := range tr.Days("g1@chatroom") { ... }
//
// # Conventions
//
// The packages speak one dialect (the repository's CONTRIBUTING.md lists
// it). A nil *time.Location means Asia/Shanghai in every package
// ([DefaultLocation]): the groups the SDK serves keep Chinese time, and UTC
// would cut every Chinese evening in two. Every share is a [Ratio], which
// keeps its counts and says "undefined" rather than 0 when nothing was
// counted. Message kinds are constants here ([KindText], [KindLink], ...),
// next to the event types. Configuration and state marshal to JSON with
// snake_case keys, durations like "15m" and enumerations as lowercase words,
// and decode strictly: an unknown or repeated key is an error that names it.
// Streams of events are read with Decode (a step, io.EOF at the end) or All
// (an iterator for range).
package qunops
