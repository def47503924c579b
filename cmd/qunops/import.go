package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

func runImport(e *env, args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "the export's `format`: "+strings.Join(ingest.Formats(), ", "))
	tz := fs.String("tz", "", "time `zone` of naive times (required for chatlog-csv and pywxdump), e.g. Asia/Shanghai")
	group := fs.String("group", "", "group `id`: required for wechatmsg; a filter for the other formats")
	self := fs.String("self", "", "member `id` of the exporting account (default \""+ingest.DefaultSelf+"\")")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: qunops import -from FORMAT [-tz ZONE] [-group ID] [-self ID] FILE")
		fmt.Fprintln(fs.Output(), "\nConverts a chat export to qunops events, written as JSON Lines on standard output.")
		fmt.Fprintln(fs.Output(), "Bad rows are reported on standard error as FILE:LINE: problem; the import goes on.")
		fmt.Fprintln(fs.Output(), "Exit status 1 if any row was bad. FILE - reads standard input.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 || *from == "" {
		fs.Usage()
		return exitUsage
	}
	if !slices.Contains(ingest.Formats(), *from) {
		fmt.Fprintf(e.stderr, "qunops: -from %q: want one of %s\n", *from, strings.Join(ingest.Formats(), ", "))
		return exitUsage
	}
	opts := ingest.Options{Group: *group, Self: *self}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: -tz: %v\n", err)
			return exitUsage
		}
		opts.Location = loc
	}
	name := fs.Arg(0)
	var in io.Reader = e.stdin
	if name != "-" {
		f, err := e.open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
		defer f.Close()
		in = f
	}
	r, err := ingest.NewReader(*from, in, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(e.stdout)
	enc := qunops.NewEncoder(out)
	status := exitOK
	for {
		ev, err := r.Next()
		if err == io.EOF {
			break
		}
		var re *ingest.RowError
		if errors.As(err, &re) {
			fmt.Fprintf(e.stderr, "%s:%d: %v\n", name, re.Line, re.Err)
			status = exitBad
			continue
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %s: %v\n", name, err)
			out.Flush()
			return exitBad
		}
		if err := enc.Encode(ev); err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			out.Flush()
			return exitBad
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	st := r.Stats()
	fmt.Fprintf(e.stderr, "%s: %d rows, %d events, %d skipped, %d group renames, %d bad rows\n",
		name, st.Rows, st.Events, st.Skipped, st.GroupRenames, st.Errors)
	return status
}
