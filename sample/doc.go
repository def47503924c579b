// Package sample generates the bundled sample log: a realistic, fully
// deterministic month of three WeChat groups, written as qunops events, for
// trying the SDK (a report, a tier review, a rule policy) before one has a
// log of one's own. `qunops report` without a file reports on it.
//
// The month is March 2026 in Asia/Shanghai ([qunops.DefaultLocation], a
// fixed +08:00 offset, so that the output does not depend on the machine's
// time zone database). It has
// three groups, one of each kind the seed names (F1): a customer-service
// group, a perks group and an interest group. Members fall into activity
// profiles (core, active, casual, lurker); newcomers join with inviters
// every few days; a churny cohort joins in a burst on March 10 and mostly
// leaves within days; a member floods the service group; a link spammer
// posts ads and is warned, reported and removed; the perks group broadcasts
// news every morning and a coupon every week, with reads and claims; the
// interest group, usually the liveliest, goes quiet from March 18 to 22 (a
// low-activity spell, F30).
//
// [Events] returns the month as values, [Write] as JSON Lines, and [Groups]
// names the groups and their kinds. The output is pinned by a golden file
// (testdata/sample-month.jsonl at the root of the repository): it changes
// only on purpose, and such a change is listed in the changelog.
package sample
