package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/qunops/qunops"
)

// newFlags returns the flag set of a subcommand: errors and usage go to
// standard error, and -h prints usage (the command's text) and the flags.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and checks the number of arguments left with
// nargs (nil accepts any). When the command must stop (after -h, or for a
// usage error) it returns false and the exit status.
func parseFlags(fs *flag.FlagSet, args []string, nargs func(int) bool) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, exitOK
		}
		return false, exitUsage
	}
	if nargs != nil && !nargs(fs.NArg()) {
		fs.Usage()
		return false, exitUsage
	}
	return true, exitOK
}

// decodeLog decodes a JSON Lines log and calls each for every good event.
// Bad lines are printed to w as NAME:LINE: problem, the first maxShown of
// them, and counted in bad. It returns at the end of r or with the first
// read error.
func decodeLog(r io.Reader, name string, d func(*qunops.Decoder), w io.Writer, maxShown int, each func(qunops.Event)) (bad int, err error) {
	dec := qunops.NewDecoder(r)
	if d != nil {
		d(dec)
	}
	for {
		ev, err := dec.Decode()
		if err == io.EOF {
			break
		}
		var le *qunops.LineError
		if errors.As(err, &le) {
			bad++
			if bad <= maxShown {
				fmt.Fprintf(w, "%s:%d: %s\n", name, le.Line, strings.TrimPrefix(le.Error(), fmt.Sprintf("qunops: line %d: ", le.Line)))
			}
			continue
		}
		if err != nil {
			return bad, fmt.Errorf("%s: %w", name, err)
		}
		each(ev)
	}
	if bad > maxShown {
		fmt.Fprintf(w, "qunops: %s: %d bad lines in all (the first %d shown)\n", name, bad, maxShown)
	}
	return bad, nil
}

// openInput opens a named input; "-" is standard input, named "<stdin>".
// The caller closes the returned closer.
func openInput(e *env, name string) (io.Reader, string, func(), error) {
	if name == "-" {
		return e.stdin, "<stdin>", func() {}, nil
	}
	f, err := e.open(name)
	if err != nil {
		return nil, name, nil, err
	}
	return f, name, func() { f.Close() }, nil
}

// finish flushes out and returns the exit status of a command that found bad
// bad lines: exitBad if there were any or if the flush fails, else exitOK.
func (e *env) finish(out *bufio.Writer, bad int) int {
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	if bad > 0 {
		return exitBad
	}
	return exitOK
}
