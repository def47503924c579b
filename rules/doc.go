// Package rules is the group-rule engine a chat-group bot embeds: qunops
// events in, actions out, with no transport, clock or goroutine of its own.
//
// # Model
//
// An [Engine] applies one [Policy] to any number of groups. [Engine.Handle]
// takes one [qunops.Event] and returns the [Action] values it calls for
// (warn, remove, reply...); [Engine.Tick] fires the timers that are due at
// a time the caller gives (welcome batches, nickname reminders, dispute
// escalations). The caller performs the actions. The state is per member
// and group (warnings, flood and repeat windows, reply cooldowns, a pending
// reminder), per group (a pending welcome), and per engine (the blacklist,
// which covers all its groups like a federation, the open disputes, an
// audit of pardons and lifts).
//
// # Rules and the seed figures they encode
//
//   - Violation ladder (F34): each warnable offence gives a Warn whose Level
//     is the member's live warnings in that group; the warning that reaches
//     Policy.WarnLimit (2) also gives Remove and Blacklist. Warnings expire
//     after Policy.WarnTTL (30 days, or [Never]).
//   - Offences, one warning per message, named in Action.Rule: outside links
//     ([RuleLink]: URLs in the text, messages of kind [qunops.KindLink] and
//     [qunops.KindMiniProgram], except Policy.AllowedDomains, F6), name
//     cards ([RuleCard]: [qunops.KindCard], F6), Policy.Warnable keywords
//     ([RuleKeyword], F6), flooding ([RuleFlood]: 10 messages within
//     10 seconds by default, so 30 in 10 seconds always flood, F4), the same
//     text repeated ([RuleRepeat]: 3 in a row within 10 minutes, F4).
//     Policy.Recall adds a Recall of the message.
//   - Zero tolerance (F38): a Policy.Prohibited keyword gives Remove and
//     Blacklist at once. A blacklisted member who joins any group gets
//     Remove and a Notify to the first admin, never a welcome; one who
//     speaks gets Remove, at most once per group within
//     Policy.RemoveCooldown (1 minute) of the last Remove in that group, the
//     Remove of the ban included, so that the rest of a flood already on
//     its way does not make the bot send the same removal twenty times;
//     with Policy.Recall each of those messages still gets a Recall. A join
//     always gets its Remove (and restarts the cooldown); a message older
//     than the last Remove is covered by it.
//   - Admins (F41) are exempt from every rule. [Engine.Pardon] and
//     [Engine.Lift] are for admin tools; both are recorded ([Engine.Audit]).
//   - Welcome (F5, F18): joins in a burst make one Welcome, sent 1 minute
//     after the last join of the burst but never later than 24 hours after
//     the first; its text is the seed's "欢迎XX加入!请阅读群公告→修改昵称为【城市-昵称】".
//   - Nickname (F5): a member whose display name (from join or rename) does
//     not match Policy.Nickname gets one Remind after 24 hours, unless a
//     rename that fits comes first.
//   - Auto replies (F10): the first [AutoReply] one of whose keywords occurs
//     in a text message answers it, at most once an hour per member and
//     reply.
//   - Disputes (F9, F41): a report opens a dispute about its Member and
//     notifies the first admin; without a resolve within Policy.DisputeSLA
//     (15 minutes) it escalates to the next admin, then the next, and after
//     the last one to all admins, each step once. Further reports about the
//     same member join the open dispute.
//
// Keywords are matched with [github.com/qunops/qunops/rules/keyword] with
// Fold and SkipNoise on, so that "加 * 微 信" and "ＶＸ" are found; one
// automaton serves all prohibited, warnable and reply keywords. A prohibited
// keyword takes precedence over every other rule; an offence silences the
// auto replies.
//
// Texts come in Simplified Chinese and English: Policy.Language is matched
// with golang.org/x/text/language against the two, the templates are read
// from a golang.org/x/text/message/catalog once, in [New], and
// Policy.Texts overrides any of them.
//
// # Choosing between the APIs
//
// Call Handle for every event and Tick every few seconds with the current
// time; when replaying a log, call Tick(ev.Time) before each Handle(ev).
// Save the state with json.Marshal(engine) (see [Engine.MarshalJSON]) and
// restore it with json.Unmarshal, which needs no prior New: the snapshot
// carries its policy and a version. Check a policy before deploying it with
// [Policy.Validate], which reports what New would.
//
// # JSON
//
// Policies and snapshots follow the module's JSON conventions: snake_case
// keys ("warn_limit", "dispute_sla"), durations as Go duration strings
// ("15m", "720h"; [Never] as "never"), times in RFC 3339, enumerations as
// lowercase words (rule names, audit acts). Decoding is strict: a key that
// is unknown, given twice or spelled in another case is an error that names
// it (`rules: policy: duplicate key "admins"`), and so is a malformed
// duration or time. Errors about values name the field by its JSON key,
// from New and Validate too (`rules: policy: warn_limit -1 must be in
// 1..1000`). A snapshot that fails to load leaves the engine as it was.
//
// Snapshots are version 2: times in RFC 3339 in UTC, to the millisecond,
// and the flood window as the times of its messages. Version 1 snapshots
// (times in Unix milliseconds) still load and are written again as version
// 2; one written before removal cooldowns were kept (no "removed" list per
// blacklist entry) gets the ban's own Remove as the start of the cooldown
// in its group. Two details of an older snapshot are not carried over
// exactly: the repeat hash changed, so a run of identical messages in
// progress restarts, and only the top 48 bits of a stored hash are kept. A
// newer version is rejected. An engine that holds a time outside the years
// 0000 to 9999 (UTC), from an event so stamped, cannot be snapshotted:
// RFC 3339 cannot write it.
//
// # Time and order
//
// Every event is judged at its own Time, to the millisecond; the engine
// never reads the clock, so the same events and ticks give the same
// actions. An event older than the newest one seen is still handled at its
// time: its warning counts the recorded warnings live at that time, it
// joins the flood window only if it falls within the window of the
// member's newest message (late messages may be under-counted, never
// over-counted), and the timers it starts fire at the next Tick at or after
// their due time. Tick orders what it fires by due time, then kind, group
// and member, so a restored engine fires exactly what the original would.
//
// # What it does not do
//
// It does not talk to WeChat, judge quarrels (F7) or approve promotions
// (F6: those need an admin), find links written with full-width dots or in
// words (list such spellings as keywords), or drop duplicate events: an
// event fed twice counts twice. Handle ignores events that do not
// Validate; for speed, a message is only checked for what the state keeps
// (group and member ids, a time).
//
// # Concurrency
//
// An Engine is not safe for concurrent use. Either guard it with a mutex:
//
//	type SafeEngine struct {
//		mu sync.Mutex
//		e  *rules.Engine
//	}
//
//	func (s *SafeEngine) Handle(ev qunops.Event) []rules.Action {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return s.e.Handle(ev)
//	}
//
// or shard by group: one engine per shard, each event sent to the engine of
// hash(ev.Group) % shards, each shard owned by one goroutine. Sharding
// splits the blacklist: a member blacklisted in one shard is not known to
// the others, so forward Blacklist actions to a shared list if that
// matters.
//
// # Costs
//
// Handle costs one pass over the message text for the keywords (linear in
// its length, whatever the number of keywords), one for links, one for the
// repeat hash (eight bytes a step), and three map lookups (blacklist, group,
// member); a clean message allocates nothing. With 10,000 keywords and every
// rule on, BenchmarkHandle measures about twice the keyword scan alone per
// clean message: handle/scan 1.8 to 2.1 in the same run (2.6 before the
// word-at-a-time repeat hash), on a loaded 2-core Xeon where the scan took
// 0.3 to 0.7 µs. The keyword scan is about 60 % of a profile of Handle, map
// lookups and the link scan about 10 % each.
//
// A tracked member is a 64-byte record (flood window, one slice of timed
// marks for warnings, reply cooldowns and the pending reminder, the newest
// time, and one word packing the repeat hash, count and flags) plus its map
// entry and id: about 95 bytes after one message, and about 171 bytes with
// a full flood window, a live warning and a reply cooldown (20-byte ids;
// BenchmarkMemberState). A blacklisted member adds an entry with one
// removal time per group where a Remove was sent. Tick costs O(log n) per
// timer in the number of pending timers; MarshalJSON O(n log n) in the
// number of tracked members.
package rules
