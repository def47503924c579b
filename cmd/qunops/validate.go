package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"

	"github.com/qunops/qunops"
)

func runValidate(e *env, args []string) int {
	fs := newFlags(e, "validate", `usage: qunops validate [-ignore-unknown-keys] FILE...  (- reads standard input)

Checks JSON Lines event logs (schema v1). Prints the events per group and type,
and every bad line as FILE:LINE: problem. Exit status 1 if any line is bad.
`)
	lenient := fs.Bool("ignore-unknown-keys", false, "accept lines with keys that schema v1 does not define")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n > 0 }); !ok {
		return code
	}
	status := exitOK
	for _, name := range fs.Args() {
		if validateFile(e, name, *lenient) != exitOK {
			status = exitBad
		}
	}
	return status
}

func validateFile(e *env, name string, lenient bool) int {
	r, name, done, err := openInput(e, name)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	defer done()
	var opt func(*qunops.Decoder)
	if lenient {
		opt = (*qunops.Decoder).IgnoreUnknownKeys
	}
	counts := map[string]map[qunops.EventType]int{}
	events := 0
	prog := newProgress(e.stderr)
	bad, readErr := decodeLog(r, name, opt, e.stdout, math.MaxInt, func(ev qunops.Event) {
		prog.tick()
		events++
		if counts[ev.Group] == nil {
			counts[ev.Group] = map[qunops.EventType]int{}
		}
		counts[ev.Group][ev.Type]++
	})
	prog.done()
	fmt.Fprintf(e.stdout, "%s: %s in %s, %s\n", name, plural(events, "event"), plural(len(counts), "group"), plural(bad, "bad line"))
	if events > 0 {
		printCounts(e.stdout, counts)
	}
	if readErr != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", readErr)
		return exitBad
	}
	if bad > 0 {
		return exitBad
	}
	return exitOK
}

// printCounts prints a table of events per group (rows, sorted) and type
// (columns, in vocabulary order, only the types that occur).
func printCounts(w io.Writer, counts map[string]map[qunops.EventType]int) {
	groups := make([]string, 0, len(counts))
	for g := range counts {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var cols []qunops.EventType
	for _, t := range qunops.EventTypes() {
		for _, g := range groups {
			if counts[g][t] > 0 {
				cols = append(cols, t)
				break
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "group\t")
	for _, t := range cols {
		fmt.Fprintf(tw, "%s\t", t)
	}
	fmt.Fprintln(tw, "total\t")
	for _, g := range groups {
		fmt.Fprintf(tw, "%s\t", g)
		total := 0
		for _, t := range cols {
			fmt.Fprintf(tw, "%d\t", counts[g][t])
			total += counts[g][t]
		}
		fmt.Fprintf(tw, "%d\t\n", total)
	}
	tw.Flush()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
