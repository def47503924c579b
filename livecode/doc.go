// Package livecode allocates the scanners of a live code (活码) to the group
// QR codes behind it, so that one permanent code can fill any number of
// WeChat groups.
//
// # Model
//
// A WeChat group's own QR code stops admitting scanners once the group has
// 200 members (seed F11), and a group holds at most 500; the QR itself is
// valid for 7 days. Operators therefore publish one live code that shows
// each scanner the QR of a group that can still take them, and switch to a
// new group when one fills (F11: "a full group sends new scanners on to a
// new group automatically; split traffic between groups").
//
// A [Pool] holds the [Code]s. [Pool.Assign] answers a scan with a code and
// reserves a place there: the reservation counts against the code's scan
// limit until the scanner joins ([Pool.Joined]) or it lapses after
// [Options.PendingTTL] (10 minutes). A code takes a scan at time now while
// now is before its Expires, Members + pending is below ScanLimit, and
// Members is below Cap. A repeat scan by the same user returns the same
// code while it can still take them. Scans and joins are counted apart
// ([Stats]): a scan is a page view, not a member.
//
// Scans may carry tags (a city, as in the 【城市-昵称】 nickname of seed F5),
// in order of preference: a scan goes to a code carrying its first tag,
// else its second, and so on, else to an untagged code. A tagged code takes
// only scans that carry one of its tags.
//
// # Seed figures
//
//   - F11: the 200-scan limit ([DefaultScanLimit]), sending scanners on
//     when a group fills, and traffic splitting (the strategies).
//   - F5: tags for city groups.
//
// The 500-member cap ([DefaultCap]), the 7-day QR validity, the 10-minute
// TTL, the 90% near-limit and 24-hour expiry alerts are WeChat's rules and
// issue 9's defaults, not seed figures.
//
// # Choosing a strategy
//
// [NewPool] takes the strategy, which stays the pool's for its life; the
// other settings are [Options] (reservation TTL, alert thresholds, group
// names), the defaults until [Pool.SetOptions] changes them.
//
//   - [FillFirst] (the default) fills groups one at a time, so each new group
//     starts lively: the common practice.
//   - [RoundRobin] and [LeastLoaded] spread a burst evenly over the open
//     groups, for when every group should grow at once.
//   - [Weighted] splits traffic by [Code].Weight, smoothly (5, 1, 1 gives
//     a a b a c a a), for groups of different sizes or hosts.
//   - [Sticky] sends a user to the same group every time it is open, even
//     after their reservation lapsed: closing other groups never moves
//     them, and adding a group moves only about 1/n of users, all to the
//     new group, as rendezvous hashing does. Each user ranks the groups by
//     a few draws of a jump consistent hash, then by a fixed tree order
//     (see the costs below); a user whose drawn group is closed draws
//     again, so a closed group's users spread evenly over the open ones,
//     except the few whose draws all miss. Its hashes (FNV-1a and the
//     SplitMix64 finalizer) are fixed: the same on every run and machine.
//     The ranking depends on the order groups were added, not their IDs.
//
// # Lifecycle and alerts
//
// [Pool.Add] adds codes during a run; [Pool.ReplaceQR] gives a code a new
// QR in place (same ID, new expiry); [Pool.Retire] takes it out of
// rotation. [Pool.Alerts] reports codes near their scan limit, QRs expiring
// soon or expired, and tag groups whose open codes are exhausted or nearly
// so, each with a suggested action; new groups get names from a prefix and
// a counter ([Pool.NextName]), as WeCom names the groups it creates.
//
// # JSON
//
// [Pool.MarshalJSON] and [Pool.UnmarshalJSON] save and restore the whole
// state as versioned JSON ([StateVersion]); [Options], [Stats] and [Alert]
// have JSON forms too. All follow the module's conventions: snake_case
// keys, durations as Go duration strings ("10m", "24h"), the strategy and
// alert kinds as their lowercase names ("fill-first", "near-limit"), times
// in RFC 3339, and shares ([Stats.Conversion], [Stats.Load]) as
// [qunops.Ratio], which prints an undefined share as "undefined". Decoding
// is strict: an unknown, misspelt or duplicate key is an error that names
// it, and a state that fails to decode leaves the pool as it was.
//
// # What it does not do
//
// It does not talk to WeChat, render QR codes or create groups: it decides,
// and the caller acts. It does not know who is already in a group unless
// told by Joined; a member who scans again gets a reservation that simply
// lapses. It reads no clock: every call takes the time, and the pool's clock
// never runs backwards (an earlier time is taken as the latest seen).
//
// # Concurrency
//
// A Pool is not safe for concurrent use. A service that scans from many
// goroutines wraps it, for example:
//
//	type LockedPool struct {
//		mu sync.Mutex
//		p  *livecode.Pool
//	}
//
//	func (l *LockedPool) Assign(user string, now time.Time) (string, error) {
//		l.mu.Lock()
//		defer l.mu.Unlock()
//		return l.p.Assign(user, now)
//	}
//
// and likewise for the other methods it uses.
//
// # Costs
//
// With n codes in the scan's tag group: Assign is a map lookup plus
// O(log n) word operations on a bitmap of open codes for FillFirst and
// RoundRobin, O(log n) in a 4-ary heap for LeastLoaded, O(d + log n) for
// Weighted with d distinct weights, and O(1) expected hashes for Sticky
// (at most 4 jump-hash draws of about three steps each, then O(log n)).
// Measured at 10,000 codes (BenchmarkAssignNew, go test -bench Assign
// -benchmem, against BenchmarkBaselineMapLookup, one map lookup, in the
// same run), a new user's scan costs about 12 to 25 map lookups, under
// 300 ns on a 2-core Xeon, and a returning user's about 2 to 3; Sticky
// with 9 codes in 10 closed about 30 to 35. A new or returning user's scan
// allocates nothing once the pool's tables have grown (amortized). A live
// reservation costs about 110 bytes of heap, besides the user id's own
// bytes. Add is O(log n) a code; Alerts and AllStats are O(n) and allocate
// their results.
package livecode
