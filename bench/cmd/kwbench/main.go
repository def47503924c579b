// Command kwbench measures rules/keyword against the Go peer libraries on
// seeded synthetic chat data and prints a Markdown table of medians.
//
//	go run ./cmd/kwbench -rounds 5
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/qunops/qunops/bench"
)

func main() {
	rounds := flag.Int("rounds", 5, "alternating rounds; the table shows medians")
	patterns := flag.Int("patterns", 10000, "dictionary size")
	messages := flag.Int("messages", 20000, "corpus size in messages")
	seed := flag.Uint64("seed", bench.Seed, "data seed")
	only := flag.String("only", "", "comma-separated name prefixes of the engines to run (default all)")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	d := bench.Generate(*seed, *patterns, *messages)
	fmt.Fprintf(os.Stderr, "%d patterns, %d messages, %d bytes, %d planted\n", len(d.Patterns), len(d.Messages), d.Bytes(), d.Planted)
	var engines []bench.Engine
	for _, e := range bench.Engines() {
		keep := *only == ""
		for _, p := range strings.Split(*only, ",") {
			keep = keep || p != "" && strings.HasPrefix(e.Name, p)
		}
		if keep {
			engines = append(engines, e)
		}
	}
	res, err := bench.Measure(engines, d, *rounds, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d patterns, %d messages (%d bytes, %d with a planted pattern), seed %d, GOMAXPROCS 1, medians of %d alternating rounds\n\n",
		len(d.Patterns), len(d.Messages), d.Bytes(), d.Planted, *seed, *rounds)
	bench.Table(os.Stdout, res)
}
