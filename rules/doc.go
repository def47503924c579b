// Package rules is the group-rule engine a chat-group bot embeds: qunops
// events in, actions out, with no transport, clock or goroutine of its own.
//
// # Model
//
// An [Engine] applies one [Policy] to any number of groups. [Engine.Handle]
// takes one [qunops.Event] and returns the [Action] values it calls for
// (warn, remove, reply...), or an error for an event it rejects;
// [Engine.Tick] fires the timers that are due at a time the caller gives
// (welcome batches, nickname and passphrase reminders, dispute
// escalations, promotion reviews that timed out). The caller performs the
// actions. The state is per member and group (warnings, flood and repeat
// windows, reply cooldowns, a pending reminder or passphrase check, recent
// invites and alerts), per group (a pending welcome, the members' display
// names, the group's recorded title), and per engine (the blacklist, which covers all its groups like
// a federation, the open disputes, the promotions held for review, an
// audit of the admins' acts, the ids of recent events and the newest time
// seen).
//
// # Living with a transport
//
// A chat transport delivers what a rule engine must not take at face value:
//
//   - the bot's own posts, echoed back by WeChat and WeCom hooks: list the
//     bot's ids in Policy.Self, and their events give nothing and count
//     toward nothing;
//   - retries: an event whose non-empty ID was handled within
//     Policy.DedupeWindow (24 hours) gives nothing (see the bound on the ids
//     kept in Costs);
//   - bad or far-future stamps: Handle rejects an event that does not
//     Validate, or that is stamped more than Policy.MaxSkew (10 minutes)
//     after the newest time seen (of accepted events in any group and of
//     Tick), so that a message stamped 9999-12-31 cannot switch off the
//     flood and repeat rules. Call Tick with the bot's clock regularly (it
//     moves the bound along, so a quiet group is not locked out);
//   - media: only text-bearing kinds (text, link, quote, card, mini program,
//     forward, notice) are scanned for links and keywords; an image
//     imported from a chatlog export carries a placeholder URL that is no
//     link.
//
// # Rules and the seed figures they encode
//
//   - Violation ladder (F34): each warnable offence gives a Warn whose Level
//     is the member's live warnings in that group; the warning that reaches
//     Policy.WarnLimit (2) also gives Remove and Blacklist. Warnings expire
//     after Policy.WarnTTL (30 days, or [Never]); a blacklisting after
//     Policy.BlacklistTTL (never by default).
//   - Offences, one warning per message, named in Action.Rule: outside links
//     ([RuleLink]: URLs in the text, messages of kind [qunops.KindLink] and
//     [qunops.KindMiniProgram], except Policy.AllowedDomains, F6), name
//     cards ([RuleCard]: [qunops.KindCard], F6), Policy.Warnable keywords
//     ([RuleKeyword], F6), flooding ([RuleFlood]: 10 messages within
//     10 seconds by default, so 30 in 10 seconds always flood), the same
//     text repeated ([RuleRepeat]: 3 in a row within 10 minutes). Seed F4
//     forbids flooding (刷屏) but gives no number: those four are ours. A
//     flood or a run of repeats gives one warning however long it lasts; a
//     second warning takes a new one after the first ended. Policy.Recall
//     adds a Recall of the message (Action.MessageID), when it has an ID.
//   - Zero tolerance (F38): a Policy.Prohibited keyword gives Remove and
//     Blacklist at once. A blacklisted member who joins any group gets
//     Remove and a Notify to the first admin, never a welcome; one who
//     speaks gets Remove, at most once per group within
//     Policy.RemoveCooldown (1 minute, ours) of the last Remove in that group, the
//     Remove of the ban included, so that the rest of a flood already on
//     its way does not make the bot send the same removal twenty times;
//     with Policy.Recall each of those messages still gets a Recall. A join
//     always gets its Remove (and restarts the cooldown); a message older
//     than the last Remove is covered by it.
//   - Admins (F41) are exempt from every rule. [Engine.Pardon],
//     [Engine.Ban] and [Engine.Unban] are for admin tools, all recorded
//     ([Engine.Audit]); [Engine.Blacklist] and [Engine.Disputes] list the
//     state they act on.
//   - Welcome (F5, F18): joins in a burst make one Welcome, sent 1 minute
//     (ours) after the last join of the burst but never later than 24 hours
//     (F18) after the first; its text is the seed's "欢迎XX加入!请阅读群公告→修改昵称为【城市-昵称】",
//     naming at most [WelcomeNamesMax] members and then "等N人"; Members
//     lists them all.
//   - Names: texts call a member by the display name learnt from roster,
//     join and rename events ({name}), or by the id when none is known or
//     the name is not safe to repeat: a name that holds a prohibited or
//     warnable keyword or an outside link, control characters, or more
//     than 32 characters is never echoed by the bot. Action.Mentions lists
//     whom to @-mention.
//   - Nickname (F5): a member whose display name (from join or rename) does
//     not match Policy.Nickname gets one Remind after 24 hours (ours: F5
//     gives no deadline), unless a rename that fits comes first.
//   - Auto replies (F10): the first [AutoReply] one of whose keywords occurs
//     in a text message answers it, at most once an hour per member and
//     reply and once a minute per group and reply (both ours; ten members
//     asking at once get one answer). Cooldowns are kept by the reply's name.
//   - Disputes (F9, F41): a report opens a dispute about its Member and
//     notifies the first admin; without a resolve within Policy.DisputeSLA
//     (15 minutes) it escalates to the next admin, then the next, and after
//     the last one to all admins, each step once. Further reports about the
//     same member join the open dispute. Only an admin's resolve closes a
//     dispute; one reporter opens at most Policy.DailyReportsMax (10)
//     disputes a day, and a blacklisted member who keeps rejoining notifies
//     the admins at most once per RemoveCooldown.
//   - Daily posts (F23: at most 50 messages a day): the bot's own messages
//     (events of Policy.Self) are counted per group and calendar day; past
//     Policy.DailyPostsMax only removals, blacklistings, recalls and the
//     admins' notices are emitted there until the next day.
//   - Join passphrase (F14): with Policy.Passphrases, a newcomer who has
//     not sent one within Policy.PassphraseWindow (10 minutes, ours) gets a
//     Remind, and after a second window a Remove under [RulePassphrase],
//     without a blacklisting.
//   - Risks (F38, F39): an inviter (a join's Actor, unless the member
//     scanned a QR code the Actor shared) whose joins within
//     Policy.InviteWindow pass Policy.InviteMax (10 an hour, ours) gives
//     a Notify to the first admin ([RuleInvite]); a transfer or red packet
//     of a member gets Policy.TransferReaction ([RuleTransfer]: by default
//     a Notify); a name from Policy.Competitors, a keyword list of its own,
//     gets Policy.CompetitorReaction ([RuleCompetitor]: by default a
//     warning). A [Reaction] ignores, notifies, warns or removes; alerts
//     about one member, group and rule come at most once per
//     Policy.AlertCooldown (1 hour, ours).
//   - Promotion review (F6): a message holding one of Policy.Promotions,
//     breaking no other rule, is held: a Recall, a [Post] telling the
//     member and a Notify asking the first admin, with a review id
//     (Action.Review). [Engine.Approve] posts it, [Engine.Reject] turns it
//     down, Policy.ReviewTimeout (24 hours, ours) rejects it at a Tick;
//     [Engine.Reviews] lists the pending ones.
//   - Title lock (ours; off by default): the engine records each group's
//     title from [qunops.Title] events: the bot's own rename (an event of
//     Policy.Self) and an admin's always set it, and so does anyone's
//     while Policy.LockTitle is off or [RuleTitle] is in Policy.Off. With
//     the lock on, a member who is not an admin and renames the group to
//     another name gets a [Retitle] back to the recorded title (Member:
//     the renamer) and each admin a Notify, under RuleTitle; the recorded
//     title stays. A group whose title was never recorded has nothing to
//     restore: the admins get the Notify and nothing is recorded. A new
//     name holding a prohibited or warnable keyword or an outside link is
//     also the renamer's offence, as a message of that text would be
//     (Remove and Blacklist, or a warning under RuleLink or RuleKeyword).
//     A title stamped before the recorded one's time is stale and gives
//     nothing. Redelivered Title events are ignored like any other; a
//     Retitle is not a post and is never capped (F23).
//
// Keywords are matched with [github.com/qunops/qunops/rules/keyword] with
// Fold and SkipNoise on, so that "加 * 微 信" and "ＶＸ" are found; one
// automaton serves all prohibited, warnable and reply keywords. A list can
// ask for whole words or literal matching ([KeywordMatch]), so that
// Warnable "class" does not warn on "a classic run". A prohibited
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
// carries its policy and a version. A redeployed bot then applies its own
// policy to the restored state with [Engine.SetPolicy]:
//
//	var e rules.Engine
//	if err := json.Unmarshal(saved, &e); err != nil { ... }
//	if err := e.SetPolicy(deployed); err != nil { ... }
//
// Check a policy before deploying it with [Policy.Validate], which reports
// what New would, and [Policy.Findings], which reports what is legal but
// short of the seed (fewer than 3 admins, F41). [Announcement] writes the
// group announcement (群公告, F4) that tells members what the policy will
// do; [Diff] says what changed between two versions of a policy, for the
// yearly review of the rules (F41; Policy.Version names a version).
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
// Snapshots are version 5: times in RFC 3339 in UTC, to the millisecond,
// the flood window as the times of its messages, reply cooldowns by reply
// key (AutoReply.Name), the newest time seen, the remembered event ids and
// the display names, the pending passphrase checks, invites, alerts and
// promotion reviews (version 4), and (new in version 5) the groups'
// recorded titles. Version 4, 3, 2 and 1 snapshots (versions 1's times in
// Unix milliseconds) still load and are written again as version 5; one
// written
// before removal cooldowns were kept (no "removed" list per
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
// It does not talk to WeChat, judge quarrels (F7) or decide on promotions
// (F6: it holds them for an admin, who decides), or find links spelled out
// in words (list such spellings as keywords).
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
//	func (s *SafeEngine) Handle(ev qunops.Event) ([]rules.Action, error) {
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
// Handle costs one pass over the event's strings to Validate them, one
// over the message text for the keywords (linear in its length, whatever
// the number of keywords), one for links, one for the repeat hash (eight
// bytes a step), and three map lookups (blacklist, group, member), a fourth
// for an event with an ID; a clean message allocates nothing. With 10,000 keywords and every
// rule on, BenchmarkHandle measures about twice the keyword scan alone per
// clean message: handle/scan 2.2 in the same run, 0.6 µs per message on a
// shared 2-core machine (1.4 to 1.6 before every event was validated in
// full, issue 15; 2.6 before the word-at-a-time repeat hash). The keyword
// scan is about 45 % of a profile of Handle, the UTF-8 check of the text
// about 16 %, map lookups about 10 % and the link scan (which also finds
// full-width dots, invisible characters and IDN hosts) about 20 %. With event
// State costs about 139 bytes per active member (a member with something a
// rule still needs: a message within the flood or repeat window, a live
// warning, a cooldown or reminder to come), id included, measured on 200,000
// members who each spoke once within a few minutes; members idle past every
// window are dropped by Tick's sweep, so BenchmarkStateOverMonth (1,000,000
// members, each speaking once a day for 30 days) ends every day with the
// heap it started with. With event
// IDs (sub-benchmark handle-ids) the table of remembered ids adds about
// 0.9 µs and 145 bytes a message while it grows toward a day of ids.
//
// A tracked member is a 64-byte record (flood window, one slice of timed
// marks for warnings, reply cooldowns and the pending reminder, the newest
// time, and one word packing the repeat hash, count and flags) plus its map
// entry and id: about 95 bytes after one message, and about 171 bytes with
// a full flood window, a live warning and a reply cooldown (20-byte ids;
// BenchmarkMemberState). An inviter adds a 16-byte mark per join within
// Policy.InviteWindow (at most InviteMax+1 of them), an alert or a pending
// passphrase check one mark each, and a held promotion its text and about
// 100 bytes. A blacklisted member adds an entry with one
// removal time per group where a Remove was sent. The state is bounded by
// activity, not by history: Tick drops, once per sweep interval (the
// longer of the flood and repeat windows), the members whose windows have
// all passed and who hold no live warning, cooldown or reminder, so a
// group whose members each speak once a day keeps about the members of the
// last 20 minutes (BenchmarkStateOverMonth: flat over 30 days), and the
// timer heap is rebuilt from the state when stale entries pile up. A
// remembered event id
// costs about 40 bytes (a hash, not the id; see Policy.DedupeWindow): the
// ids of one window's events, about 40 MB for a million events a day at
// the default 24 hours. A learnt display name costs its length and a map
// entry while the member is in the group; a group's recorded title its
// length and 24 bytes, for as long as the engine lives. Tick costs O(log n) per
// timer in the number of pending timers; MarshalJSON O(n log n) in the
// number of tracked members.
package rules
