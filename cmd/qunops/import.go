package main

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

func runImport(e *env, args []string) int {
	fs := newFlags(e, "import", `usage: qunops import [-from FORMAT] [-tz ZONE] [-group ID] [-self ID] [-users FILE] [-strict] FILE

Converts a chat export to qunops events, written as JSON Lines on standard output.
Without -from the format is recognised from the file's header or first object,
and named on standard error. Bad rows are reported on standard error as
FILE:LINE: problem and the import goes on; then rows passed over and names left
unresolved are counted per reason, with their first lines. Exit status 1 if any
row was bad; with -strict, the first bad row stops the import, and a row passed
over or a name left unresolved is an error too. FILE - reads standard input.
`)
	from := fs.String("from", ingest.Auto, "the export's `format`: "+ingest.Auto+" or one of "+strings.Join(ingest.Formats(), ", "))
	tz := fs.String("tz", "Asia/Shanghai", "time `zone` of the export's naive times and of the events' offsets")
	group := fs.String("group", "", "group `id`: required for wechatmsg and wechatmsg-v2 (no group column); a filter for the other formats")
	self := fs.String("self", "", "member `id` of the exporting account (default: from the export, else \""+ingest.DefaultSelf+"\")")
	users := fs.String("users", "", "PyWxDump's users.json `file`, to resolve the names of system messages")
	strict := fs.Bool("strict", false, "stop at the first bad row, and fail on any row passed over or name left unresolved")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 1 }); !ok {
		return code
	}
	if *from != ingest.Auto && !slices.Contains(ingest.Formats(), *from) {
		fmt.Fprintf(e.stderr, "qunops: -from %q: want %s or one of %s\n", *from, ingest.Auto, strings.Join(ingest.Formats(), ", "))
		return exitUsage
	}
	if (*from == ingest.WeChatMsg || *from == ingest.WeChatMsg2) && *group == "" {
		fmt.Fprintf(e.stderr, "qunops: -from %s needs -group: the export has no group column\n", *from)
		return exitUsage
	}
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	opts := ingest.Options{Group: *group, Self: *self, Location: loc}
	if *users != "" {
		if opts.Contacts, err = readUsers(e, *users); err != nil {
			fmt.Fprintf(e.stderr, "qunops: -users %s: %v\n", *users, err)
			return exitUsage
		}
	}
	in, name, done, err := openInput(e, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	defer done()
	r, err := ingest.NewReader(*from, in, opts)
	if errors.Is(err, ingest.ErrNoGroup) {
		fmt.Fprintf(e.stderr, "qunops: %s has no group column: give -group\n", name)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %s: %v\n", name, err)
		return exitBad
	}
	if *from == ingest.Auto {
		fmt.Fprintf(e.stderr, "%s: read as %s (-from %s)\n", name, r.Format(), ingest.Auto)
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
			if *strict {
				fmt.Fprintf(e.stderr, "qunops: %s: stopped at the first bad row (-strict)\n", name)
				out.Flush()
				return exitBad
			}
			continue
		}
		if err != nil {
			if errors.Is(err, ingest.ErrNoGroup) {
				fmt.Fprintf(e.stderr, "qunops: %s names no group: give -group\n", name)
				out.Flush()
				return exitUsage
			}
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
	unsure := printSummary(e, name, r.Summary())
	if *strict && unsure > 0 {
		fmt.Fprintf(e.stderr, "qunops: %s: %d rows passed over or names left unresolved (-strict)\n", name, unsure)
		return exitBad
	}
	return status
}

// printSummary writes what the import passed over or left unresolved, one
// line per reason with its first rows as FILE:LINE, and returns how many of
// them -strict fails on: all but the rows of other chats, which -group asked
// to skip, of private chats, which have no members, the notices that change
// no membership (pats, recalls) and the rows that give no event for want of
// a sender: none of these loses a member.
func printSummary(e *env, name string, s ingest.Summary) int {
	n := 0
	for _, note := range s.Notes {
		if note.Reason == ingest.ReasonBadRow {
			continue // reported row by row above
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s: %d", name, note.Reason, note.N)
		for i, ex := range note.Examples {
			sep := ", e.g. "
			if i > 0 {
				sep = "; "
			}
			b.WriteString(sep)
			b.WriteString(name + ":" + strconv.Itoa(ex.Line))
			if ex.Text != "" {
				b.WriteString(" " + strconv.Quote(ex.Text))
			}
		}
		fmt.Fprintln(e.stderr, b.String())
		switch note.Reason {
		case ingest.ReasonOtherChat, ingest.ReasonPrivateChat, ingest.ReasonSystemNotice, ingest.ReasonNoEvent:
		default:
			n += note.N
		}
	}
	return n
}

// readUsers reads a PyWxDump users.json.
func readUsers(e *env, path string) ([]ingest.Contact, error) {
	f, err := e.open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ingest.ReadPyWxDumpUsers(f)
}
