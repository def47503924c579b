package beam_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	qbeam "github.com/qunops/qunops/beam"
)

// The report of a week's log on Beam, written under a prefix: the same
// files as `qunops report -json -csv DIR`. (A program runs the pipeline
// with beamx.Run after flag.Parse and beam.Init; this example uses the
// test's runner, prism.)
func Example() {
	out, err := os.MkdirTemp("", "qunops-beam")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)
	p, s := beam.NewPipelineWithRoot()
	res, err := qbeam.Report(s, "../testdata/week.jsonl", qbeam.Options{Shards: 2})
	if err != nil {
		panic(err)
	}
	if _, err := qbeam.Write(s, out+string(filepath.Separator), res); err != nil {
		panic(err)
	}
	if err := ptest.Run(p); err != nil {
		panic(err)
	}
	tiers, err := os.ReadFile(filepath.Join(out, "tiers.csv"))
	if err != nil {
		panic(err)
	}
	fmt.Print(string(tiers))
	// Output:
	// group,at,violator,core,active,new,lurker,casual,total
	// 18398001234@chatroom,2026-03-08T21:30:00+08:00,0,1,2,2,0,3,8
}
