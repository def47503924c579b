// Package tiering sorts the members of a group into tiers, keeps the tiers
// over time with a monthly review, recommends what to do for each tier and
// keeps a points ledger.
//
// # Model
//
// A member's [Activity] over a window (7 days by default) decides their
// [Tier]. [Policy.Classify] tries the rules in a fixed order and the first
// that holds wins, so every member gets exactly one tier:
//
//	Violator  2 or more warnings, or prohibited content        seed F34
//	Core      more than 5 messages, or 3 or more invites       seed F31
//	Active    more than 3 interactions                         seed F32
//	New       joined less than the window ago
//	Lurker    no message and no claim in the window            seed F33
//	Casual    everyone else
//
// The seed's four tiers leave gaps (a member with 1-3 interactions who
// spoke this week fits none; a violator can also qualify as core; a member
// who joined yesterday is not yet a lurker); New, Casual and the order close
// them. Interactions are messages + claims + check-ins. Every decision comes
// with a reason that names the rule, the numbers and the seed figure:
// "core: 6 messages in 7 days > 5 (F31)".
//
// # Choosing an API
//
//   - [Policy.Classify]: one member, one time.
//   - [Tally]: the activity of every member of every group from
//     qunops events, for a window ending at a fixed time; [Tally.Counts] for
//     tier counts, [Tally.Roster] for the tiers with reasons. Tallies of
//     shards of a log merge exactly ([Tally.Merge]).
//   - [Roster] and [Diff]: the tiers at a time, and the arrivals,
//     departures, promotions and demotions between two rosters. Diff has no
//     memory: a member who had a quiet week is demoted at once.
//   - [Reviewer]: the tiers over time with hysteresis, after Discourse's
//     trust levels: promotions at once, demotions only at the monthly review
//     (seed F36), below a margin and after a grace period; Violator at once
//     and sticky; operators can pin a tier. Use it to run a group; use Diff
//     to compare two snapshots.
//   - [Playbook]: per tier, the operations the seed recommends (F31-F34) as
//     data a bot can act on, in Chinese or English.
//   - [Ledger]: points for messages, invites, check-ins and claims (the
//     [Source] of each credit, seed F37) with daily caps, staged perks
//     unlocked by check-in streaks (seed F24) and by invitees who stayed
//     (seed F16), redemptions that are not cash (seed F17), reversals;
//     each source event credits once. Calendar days are Asia/Shanghai's unless the
//     Location of [LedgerPolicy] says otherwise: a nil location means
//     qunops.DefaultLocation(), as everywhere in the SDK.
//
// Warn events count as warnings. A warn whose Actor is "rule:NAME", for a
// NAME in [Policy.ProhibitedRules] (default "prohibited"), also means
// prohibited content: such a member is a Violator at once. Warnings count
// in the window, like every count of a tier, while the rule engine keeps
// them 30 days: a member warned twice 7 to 30 days apart is removed by the
// engine but is no Violator here (see [Policy.ViolatorWarnings]).
//
// # Draws and staged perks
//
// [Draw] draws the winners of a lottery (the flash lottery of F30, the
// perks of F21) from a seed, fairly in proportion to tickets, and returns
// a [Drawing] that anyone can check with [Drawing.Verify]; publish
// [Commitment] of the seed before the entries close. The [Ledger] unlocks
// staged perks: 3 days of check-in in a row (F24) and 3 invitees who
// stayed (F16); its redemptions refuse cash prizes ([CashPrize], F17).
//
// # Tier order and JSON
//
// Tiers are listed in one order everywhere, the order of the constants
// (see [Tiers]). Rank orders them differently, from worst to best, to tell
// a promotion from a demotion.
//
// [Policy] and [LedgerPolicy], written by people, and the state of a
// [Reviewer] and a [Ledger], stored by programs, follow the SDK's JSON
// conventions: snake_case keys, durations as Go duration strings ("168h"),
// enumerations ([Tier], [ChangeKind], [Source], [Op]) as lowercase words,
// times in RFC 3339. Decoding is strict: an unknown, duplicate or wrongly
// spelt key, a malformed duration or an unknown word is an error that names
// it, and a state decoder that fails leaves its receiver as it was. The
// state is versioned ("v": 2). Results ([Roster], [Change], [Credit],
// [Counts], [Operation]) marshal with the same conventions.
//
// # What it does not do
//
// It does not send messages, remove members or read the clock: it returns
// decisions and the caller acts on them. It does not detect violations
// (package rules does) nor decide when a month starts (package schedule
// has cadences). A Tally counts one window; to follow a group over time,
// tally each window and feed the members to a Reviewer.
//
// # Concurrency and costs
//
// Functions and methods of value types (Policy, Roster, Tier) are safe for
// concurrent use. Tally, Reviewer and Ledger are not; give each goroutine
// its own and merge tallies.
//
// Costs, measured on one core of a shared 2-core Xeon (the benchmarks in
// bench_test.go, each against a simple baseline run alongside it; see there
// for the commands):
//
//   - Classify takes about 30 ns and does not allocate with the default
//     thresholds (the reason comes from a table built once); a bare cascade
//     of the same rules without reasons takes about 6 ns.
//   - Tally.Add does not allocate once the member and group are known,
//     apart from growing its tables. It validates the event, finds the
//     member in one probe of an open-addressing table whose 64-byte slots
//     hold the fields most events update, and looks up the ID only for an
//     event that adds to a count. Ten million events of 200 000 members
//     over 30 days took about 3.1 s (3.2 million events per second),
//     2.8 times as fast as a baseline that validates, dedupes every ID in a
//     map of strings and counts per member in a map; the tally then held
//     104 MB, the baseline's maps 618 MB. At 300 000 events of 20 000
//     members a tally takes 3.9 million events per second, 1.6 times the
//     baseline. Validating the event is about a third of the cost.
//   - Tally.Merge costs a few probes per member and ID of the other tally:
//     merging two tallies of alternate halves of those ten million events
//     into a new one took about 0.4 s.
//   - A Roster of a million members takes about 55 ms and one allocation
//     (about twice a baseline that writes the entries without reasons);
//     Tally.Counts costs one Classify per member, without a roster.
//   - Memory: a member takes a 64-byte slot in a table kept between 7/16
//     and 7/8 full, a 64-byte record and its ID string; an ID kept takes a
//     16-byte key in a table kept between 3/8 and 3/4 full. Only the IDs of
//     counting events in the window (and of events after now) are kept: of
//     a month-long log, about a fifth.
package tiering
