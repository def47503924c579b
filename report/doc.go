// Package report builds the report of chat groups from their event logs,
// the one `qunops report` prints: per group, the days, the retention
// cohorts, the health verdicts, the low-activity alerts, the tier counts
// and the frequent terms, as a versioned value with a stable JSON form and
// CSV tables.
//
// # Model
//
// A Builder takes qunops.Event values, in one pass and in any order, for
// any number of groups; Build returns the Report. It composes the SDK's
// accumulators: a metrics.Tracker for the days, cohorts and verdicts, and
// at Build a tiering.Tally and a metrics.TermCounter that end at each
// group's last event. That event is known only at the end, so the Builder
// keeps what those two need without a second pass: each member's latest
// times and, one by one, the events of the last week or so (see Builder
// for the memory this costs). Builders fed any split of a log merge into
// exactly the builder of the whole log (Builder.Merge), events with the
// same ID counted once.
//
// # Seed figures
//
//   - F25 activity, F26 retention (days 1, 3 and 7 by default), F30
//     low-activity alerts, and the verdicts of F1, F2, F3, F25-F27 and F42
//     for the group's kind: see package metrics.
//   - The eight core elements of the seed's introduction as a scorecard of
//     a group (NewScorecard), from its report, its rules.Policy, its
//     schedule.Plan and its tools (F13).
//   - F31-F34 tiers over the 7 days to the group's last event: see package
//     tiering.
//   - F29 frequent terms of the week to the group's last event (Options).
//
// # Choosing an API
//
// To report on files, call BuildFiles (the package's examples run it on a
// week's log in testdata):
//
//	rep, bad, err := report.BuildFiles([]string{"week.jsonl"}, report.Options{}, report.ReadOptions{})
//	if err != nil { ... }                 // a file that cannot be read
//	fmt.Println(bad, "bad lines")         // ReadOptions.Bad is given the first ones
//	json.NewEncoder(os.Stdout).Encode(rep) // `qunops report -json` also calls SetEscapeHTML(false)
//
// or New, then Builder.ReadFile for each file, then Builder.Build. Each
// file is cut at line boundaries into batches that GOMAXPROCS goroutines
// decode, while as many others add the events, each to the groups it was
// given, in the order of the file; their builders, disjoint in groups, are
// merged at the end. So the report and the numbers of the bad lines are
// those of a sequential read. A stream that cannot be read at offsets (standard
// input, a pipe) goes through Builder.Read, in one goroutine. A program
// that has events as values calls Builder.Add; one that spreads a log over
// machines builds a Builder per part and merges them in any order: the
// report is the same.
//
// This is the one package of the module that starts goroutines and opens
// files (ReadFile, BuildFiles, Report.WriteCSV): it is the report runner,
// built on the pure packages. Builder.Add, Merge and Build read no files and
// start nothing.
//
// # Groups
//
// Options.Groups gives each group its display name, its kind (seed F1),
// the members to leave out of its figures (staff, bots, the account that
// exported the log: GroupOptions.Exclude), its campaigns (F3) and the
// zone of its calendar days (GroupOptions.Zone; Options.Location for the
// groups that have none); Options.Default does so for every group. A
// Builder keeps a metrics.Tracker per zone, so a group abroad counts its
// evenings on its own dates. ParseGroups reads the same
// settings from a groups file, the JSON that `qunops report -groups FILE`
// takes. A campaign's response counts whether anyone claimed it or not;
// without a list every broadcast is a campaign, and reach (F27) counts
// every broadcast. Each group of the Report says its name, kind, excluded
// members, the campaigns it counted and its zone ("tz").
//
// # JSON and CSV
//
// The JSON of a Report (encoding/json, HTML escaping off) is version 3 of
// the output of `qunops report -json`, the SDK's own JSON of each value:
// snake_case keys, RFC 3339 times with their offset, ratios as
// {"num":..,"den":..,"value":..}, kinds and statuses as words.
//
// Report.WriteCSV writes four tables for spreadsheets and pandas, each
// with a header row; dates are calendar dates (YYYY-MM-DD) in the
// group's zone (its "tz"), a share is a decimal fraction (the float64 nearest to
// the ratio, shortest form), empty when undefined:
//
//	days.csv       one row per group and day:
//	               group, date, members, speakers, messages, joins, leaves, activity
//	retention.csv  one row per group, day N and join day (cohort):
//	               group, day (N), date (join day), joined, retained, rate, complete (true/false)
//	tiers.csv      one row per group:
//	               group, at (RFC 3339: the last event), violator, core, active, new, lurker, casual, total
//	terms.csv      one row per group and frequent term, most frequent first:
//	               group, rank (from 1), term, count
//
// The column meanings are those of metrics.Day, metrics.Cohort,
// tiering.Counts and metrics.Term. Columns are only ever added at the end.
//
// # HTML
//
// Report.WriteHTML writes the report for people as one self-contained page
// (`qunops report -html FILE`): inline CSS and SVG charts drawn by package
// chart, no script, no URL, one column on a phone. Its markup may change
// between versions; its data-group, data-chart and data-section attributes
// are what tests and tools should look for.
//
// # Limits
//
// A Builder holds, besides the Tracker, the recent counted events of each
// group: at most twice those of the window before the group's latest event
// so far, plus 64, in any order of the log. A report over many months
// costs about what the Tracker costs plus a week or two of counted events.
// Reading a log that can be read twice (ReadAt, ReadFile, BuildFiles)
// first scans it for each group's last event, so that only the counted
// events of each group's last window are kept (issue 18).
// A report lists every calendar day of each group, from its first event to
// its last, so a log can ask for far more output than it holds: a group
// spans at most metrics.MaxSpanDays (an event that would stretch it further
// is a bad line), and Build fails, naming the longest group, when the
// groups' days add up to more than Options.MaxDays (2,000,000 unless set).
// A group of one event costs a few KiB to build, about what its report
// holds.
// Two different events that share an ID (a broken or hostile export) both
// count, for the days, cohorts and verdicts as in metrics.Tracker, for the
// tiers as in tiering.Tally, and for the terms (an ID dedupes only the
// deliveries of one event: the same ID and the same facts), however the
// log is split and in whatever order the shards merge.
package report
