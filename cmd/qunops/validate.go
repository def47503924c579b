package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/qunops/qunops"
)

func runValidate(e *env, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lenient := fs.Bool("ignore-unknown-keys", false, "accept lines with keys that schema v1 does not define")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: qunops validate [-ignore-unknown-keys] FILE...  (- reads standard input)")
		fmt.Fprintln(fs.Output(), "\nChecks JSON Lines event logs (schema v1). Prints the events per group and type,")
		fmt.Fprintln(fs.Output(), "and every bad line as FILE:LINE: problem. Exit status 1 if any line is bad.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
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
	var r io.Reader
	if name == "-" {
		r = e.stdin
		name = "<stdin>"
	} else {
		f, err := e.open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
		defer f.Close()
		r = f
	}
	d := qunops.NewDecoder(r)
	if lenient {
		d.IgnoreUnknownKeys()
	}
	counts := map[string]map[qunops.EventType]int{}
	events, bad := 0, 0
	var readErr error
	for {
		ev, err := d.Decode()
		if err == io.EOF {
			break
		}
		var le *qunops.LineError
		if errors.As(err, &le) {
			bad++
			fmt.Fprintf(e.stdout, "%s:%d: %s\n", name, le.Line, strings.TrimPrefix(le.Error(), fmt.Sprintf("qunops: line %d: ", le.Line)))
			continue
		}
		if err != nil {
			readErr = err
			break
		}
		events++
		if counts[ev.Group] == nil {
			counts[ev.Group] = map[qunops.EventType]int{}
		}
		counts[ev.Group][ev.Type]++
	}
	fmt.Fprintf(e.stdout, "%s: %s in %s, %s\n", name, plural(events, "event"), plural(len(counts), "group"), plural(bad, "bad line"))
	if events > 0 {
		printCounts(e.stdout, counts)
	}
	if readErr != nil {
		fmt.Fprintf(e.stderr, "qunops: %s: %v\n", name, readErr)
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
