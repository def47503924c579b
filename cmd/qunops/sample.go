package main

import (
	"bufio"
	"fmt"

	"github.com/qunops/qunops/sample"
)

func runSample(e *env, args []string) int {
	fs := newFlags(e, "sample", `usage: qunops sample > month.jsonl

Writes the bundled sample as JSON Lines: March 2026 in three groups (service,
perks, interest) with joins and inviters, lurkers, a churny cohort, a flood, a link
spammer, broadcasts with reads and claims and a low-activity spell. The output is
deterministic and equals testdata/sample-month.jsonl.
`)
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 0 }); !ok {
		return code
	}
	w := bufio.NewWriter(e.stdout)
	if err := sample.Write(w); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	return exitOK
}
