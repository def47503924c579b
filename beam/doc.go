// Package beam runs the report of package report on Apache Beam (the Go
// SDK, github.com/apache/beam/sdks/v2), for logs too large for one
// machine: billions of JSON Lines events in many files, on a cluster that
// Flink, Spark or Dataflow runs, or on Beam's prism runner in one process.
//
// # Model
//
// A report.Builder is a combiner by construction: Add, an exact Merge and
// a binary form. The pipeline that Report adds is
//
//	fileio.MatchFiles(glob) → ReadMatches → Read: one qunops.Decoder per file
//	    → KV<"shard/group", qunops.Event>        (and the dead letters: FILE:LINE: problem)
//	→ CombinePerKey(addFn)                       a Builder per shard of each group
//	→ regroup → CombinePerKey(mergeFn)           the shards' Builders merged per group
//	→ GroupReport                                the group's JSON object and CSV rows
//
// and Write gathers the groups, sorted by ID, into the files of `qunops
// report -json -csv DIR`. Both combines are Beam CombineFns (AddInput,
// MergeAccumulators, ExtractOutput) whose accumulator is a Builder; it
// crosses a shuffle in its MarshalBinary form, behind the report options
// it was made with, so that any worker can read it back.
//
// # Hot groups
//
// One group may hold half of the events of a platform's log. Runners that
// lift combiners (all of Beam's, prism included) already add each
// bundle's events into an accumulator of its own, on the bundle's worker,
// so the adds of a big group are spread; what would meet on one worker is
// the merge of all those partial accumulators, one or more per bundle. So
// events are keyed not by group alone but by shard and group: the lines of
// each block of BlockLines lines of a file go to one of Options.Shards
// shards, starting from a shard that the file's name picks. The partial
// accumulators of each shard are merged on a worker of their own, and only
// the Shards results meet for the group's last merge (GroupReport.Shards
// says how many there were): a merge tree of two levels instead of one
// long chain. On a log without hot groups, shards cost memory and merges
// for nothing (see the figures in README.md): set Shards to 1.
//
// # Exactness
//
// The JSON and the CSV files are byte for byte those of `qunops report
// -json -csv DIR` given the same files in the order of their paths (as a
// shell's glob gives them in the C locale): the tests compare them on
// prism for the bundled sample month, for generated logs split over many
// files, some compressed, with lines repeated across files, and with
// `qunops report` itself. That holds whatever the runner and the split,
// because Builders merge exactly, in any order: an ID dedupes the
// deliveries of one event (the same ID and facts, repeated across files,
// count once), and two different events that share an ID both count,
// wherever the combine meets them. At a group's very last instant, events
// logged with different UTC offsets ("…T10:00:00Z" and
// "…T18:00:00+08:00") give tiers_at the largest offset, as the command
// does, in any order of adds and merges (report.Builder's own rule).
//
// # Bad input
//
// A bad line is never dropped silently: it is counted (the Beam counter
// qunops/bad_lines) and sent to the dead letters, with its file and line
// number and the root decoder's message, as `qunops report` prints it. A
// file that cannot be read (a truncated gzip stream) fails its bundle,
// which the runner retries, then the pipeline. An event that would stretch
// its group over more than metrics.MaxSpanDays (an absurd date that the
// decoder let through) fails the pipeline too, naming the event: which of
// a group's events crosses that line depends on the order of the adds,
// which a pipeline does not keep.
//
// # What it does not do
//
// It does not split one file over workers: each file is decoded from its
// start, so that a dead letter can name its line (textio.Read splits files
// at byte offsets and loses line numbers). Store a month as many files. It
// does not stream: the report needs each group's last event, known only at
// the end of a bounded input. The HTML page of `qunops report -html` is
// not written.
package beam
