// Command qunops-beam writes the report of `qunops report` for JSON Lines
// event logs on Apache Beam: on the prism runner in this process by
// default, or on Flink, Spark or Dataflow with Beam's --runner flag.
//
//	qunops-beam -input 'logs/*.jsonl.gz' -output out/ [-tz ZONE] [-groups FILE] [-kind KIND] [-shards N] [beam flags]
//
// It writes out/report.json (what `qunops report -json` prints for the same
// files), out/groups.jsonl, out/days.csv, out/retention.csv, out/tiers.csv,
// out/terms.csv and out/bad.txt (the bad lines, FILE:LINE: problem). See
// beam/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3" // s3://; beamx brings gs:// and local paths
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	qbeam "github.com/qunops/qunops/beam"
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/report"
)

const usage = `usage: qunops-beam -input GLOB -output PREFIX [-tz ZONE] [-groups FILE] [-kind KIND] [-shards N] [beam flags]

Writes the report of 'qunops report' for the JSON Lines event logs that GLOB
matches (local paths, gs://, s3://...; files ending in .gz are decompressed),
on Apache Beam: PREFIX followed by report.json (byte for byte what
'qunops report -json' prints for the same files), groups.jsonl (one group's
report per line), days.csv, retention.csv, tiers.csv, terms.csv (what
'qunops report -csv DIR' writes) and bad.txt (the bad lines, FILE:LINE: problem).

Beam's own flags choose where it runs: without --runner, on the prism runner
in this process; --runner=flink --endpoint=HOST:8099, --runner=spark, or
--runner=dataflow --project=... --region=... --temp_location=gs://...
run the same binary on a cluster. The flags below are ours, then Beam's.

`

// Our flags, beside Beam's in the process's flag set.
var (
	input      = flag.String("input", "", "the event logs: a `glob` of JSON Lines files (.gz decompressed)")
	output     = flag.String("output", "", "the `prefix` of the files written: a directory with a trailing slash, or a path's start")
	tz         = flag.String("tz", "Asia/Shanghai", "time `zone` of the groups' calendar days (an IANA name)")
	groupsFile = flag.String("groups", "", "read each group's name, kind, excluded members and campaigns from the JSON groups `FILE` (as qunops report -groups)")
	kindName   = flag.String("kind", "", "group `kind` for the health verdicts of the groups without one: service, perks or interest (default interest)")
	shards     = flag.Int("shards", 0, fmt.Sprintf("accumulators per group before the merge per group, 1..%d (default %d)", qbeam.MaxShards, qbeam.DefaultShards))
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run parses args into the process's flag set, which Beam's packages
// have filled with their own, and runs the pipeline. It returns the exit
// code: 0, 1 when the pipeline fails, 2 for a usage error.
func run(args []string, stderr io.Writer) int {
	flag.CommandLine.SetOutput(stderr)
	flag.Usage = func() {
		fmt.Fprint(stderr, usage)
		flag.PrintDefaults()
	}
	flag.CommandLine.Init("qunops-beam", flag.ContinueOnError)
	if err := flag.CommandLine.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	// Init must follow the flags: on a worker it takes over here.
	beam.Init()
	if flag.NArg() > 0 {
		fmt.Fprintf(stderr, "qunops-beam: unexpected argument %q (give the logs with -input)\n", flag.Arg(0))
		return 2
	}
	if *input == "" || *output == "" {
		fmt.Fprintln(stderr, "qunops-beam: -input and -output are required (-h for help)")
		return 2
	}
	if *shards < 0 || *shards > qbeam.MaxShards {
		fmt.Fprintf(stderr, "qunops-beam: -shards %d: want 1..%d\n", *shards, qbeam.MaxShards)
		return 2
	}
	o := qbeam.Options{Shards: *shards}
	if *groupsFile != "" {
		// Read here, where the pipeline is built; the settings travel to
		// the workers with the pipeline.
		data, err := os.ReadFile(*groupsFile)
		if err != nil {
			fmt.Fprintf(stderr, "qunops-beam: -groups: %v\n", err)
			return 2
		}
		if o.Report, err = report.ParseGroups(data); err != nil {
			fmt.Fprintf(stderr, "qunops-beam: -groups %s: %v\n", *groupsFile, err)
			return 2
		}
	}
	if *tz != "Asia/Shanghai" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			fmt.Fprintf(stderr, "qunops-beam: -tz %q: %v\n", *tz, err)
			return 2
		}
		o.Report.Location = loc
	}
	if *kindName != "" {
		k, err := metrics.ParseGroupKind(*kindName)
		if err != nil {
			fmt.Fprintf(stderr, "qunops-beam: -kind %q: %v\n", *kindName, err)
			return 2
		}
		o.Report.Default.Kind = k
	}
	if err := o.Validate(); err != nil {
		fmt.Fprintf(stderr, "qunops-beam: %v\n", err)
		return 2
	}
	p, s := beam.NewPipelineWithRoot()
	res, err := qbeam.Report(s, *input, o)
	if err == nil {
		_, err = qbeam.Write(s, *output, res)
	}
	if err != nil {
		fmt.Fprintf(stderr, "qunops-beam: %v\n", err)
		return 2
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		fmt.Fprintf(stderr, "qunops-beam: %v\n", err)
		return 1
	}
	return 0
}
