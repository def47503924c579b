package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"

	"github.com/qunops/qunops/internal/sample"
)

func runSample(e *env, args []string) int {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: qunops sample > month.jsonl")
		fmt.Fprintln(fs.Output(), "\nWrites the bundled sample as JSON Lines: March 2026 in three groups (service,")
		fmt.Fprintln(fs.Output(), "perks, interest) with joins and inviters, lurkers, a churny cohort, a flood, a link")
		fmt.Fprintln(fs.Output(), "spammer, broadcasts with reads and claims and a low-activity spell. The output is")
		fmt.Fprintln(fs.Output(), "deterministic and equals testdata/sample-month.jsonl.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
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
