package main

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

func runImport(e *env, args []string) int {
	fs := newFlags(e, "import", `usage: qunops import -from FORMAT [-tz ZONE] [-group ID] [-self ID] FILE

Converts a chat export to qunops events, written as JSON Lines on standard output.
Bad rows are reported on standard error as FILE:LINE: problem; the import goes on.
Exit status 1 if any row was bad. FILE - reads standard input.
`)
	from := fs.String("from", "", "the export's `format`: "+strings.Join(ingest.Formats(), ", "))
	tz := fs.String("tz", "Asia/Shanghai", "time `zone` of the export's naive times (chatlog-csv, pywxdump) and of the events' offsets")
	group := fs.String("group", "", "group `id`: required for wechatmsg; a filter for the other formats")
	self := fs.String("self", "", "member `id` of the exporting account (default \""+ingest.DefaultSelf+"\")")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 1 }); !ok {
		return code
	}
	if *from == "" {
		fs.Usage()
		return exitUsage
	}
	if !slices.Contains(ingest.Formats(), *from) {
		fmt.Fprintf(e.stderr, "qunops: -from %q: want one of %s\n", *from, strings.Join(ingest.Formats(), ", "))
		return exitUsage
	}
	if *from == ingest.WeChatMsg && *group == "" {
		fmt.Fprintf(e.stderr, "qunops: -from %s needs -group: the export has no group column\n", *from)
		return exitUsage
	}
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	opts := ingest.Options{Group: *group, Self: *self, Location: loc}
	in, name, done, err := openInput(e, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	defer done()
	r, err := ingest.NewReader(*from, in, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(e.stdout)
	enc := qunops.NewEncoder(out)
	prog := newProgress(e.stderr)
	status := exitOK
	for ev, err := range r.All() {
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
		prog.tick()
	}
	prog.done()
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	st := r.Stats()
	fmt.Fprintf(e.stderr, "%s: %d rows, %d events, %d skipped, %d group renames, %d bad rows\n",
		name, st.Rows, st.Events, st.Skipped, st.GroupRenames, st.Errors)
	return status
}
