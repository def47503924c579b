// Command qunops runs the qunops SDK over JSON Lines event logs.
//
// Usage:
//
//	qunops <command> [flags] [arguments]
//
// Commands:
//
//	report [FILE...]        figures, retention, verdicts, alerts, tiers and terms per group
//	validate FILE...        check event logs: counts per type and group, every bad line
//	import -from FMT FILE   convert a chat export (chatlog, WeChatMsg, PyWxDump) to events
//	replay FILE             run the rule engine over a log: the actions a bot would take
//	simulate                a seeded referral campaign spread over live codes
//	fit FILE...             fit the referral law of each group from its log
//	plan                    the default posting calendar of a week
//	sample                  write the bundled sample month of three groups
//
// Without a FILE, report reads the bundled sample month.
//
// Run "qunops <command> -h" for a command's flags. The exit status is 0 on
// success, 1 when the input is bad, 2 for a usage error.
//
// Human-readable output (tables, summaries) may change between versions;
// JSON output is versioned and stable.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // -tz works on machines without a zone database
)

// Exit statuses.
const (
	exitOK    = 0
	exitBad   = 1 // bad input: a bad line, an unreadable file
	exitUsage = 2 // bad flags or arguments
)

// env is what a command may touch: its standard streams and a way to open
// files, so that tests can run commands without a process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	open           func(name string) (io.ReadCloser, error)
	now            func() time.Time // the CLI may read the clock; the packages never do
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

// commands lists the subcommands in the order "qunops -h" shows them.
var commands = []command{
	{"report", "figures, retention, verdicts, alerts, tiers and terms per group", runReport},
	{"validate", "check event logs: counts per type and group, every bad line", runValidate},
	{"import", "convert a chat export (chatlog, WeChatMsg, PyWxDump) to events", runImport},
	{"replay", "run the rule engine over a log: the actions a bot would take", runReplay},
	{"simulate", "a seeded referral campaign spread over live codes", runSimulate},
	{"fit", "fit the referral law of each group from its log", runFit},
	{"plan", "the default posting calendar of a week", runPlan},
	{"sample", "write the bundled sample month of three groups", runSample},
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		open: func(name string) (io.ReadCloser, error) { return os.Open(name) }, now: time.Now}
	os.Exit(run(e, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "qunops: unknown command %q\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("qunops runs the qunops SDK over JSON Lines event logs.\n\nUsage:\n\n\tqunops <command> [flags] [arguments]\n\nCommands:\n\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun \"qunops <command> -h\" for a command's flags.\nExit status: 0 success, 1 bad input, 2 usage error.\n")
	io.WriteString(w, b.String())
}

// loadZone resolves the -tz flag. The packages' nil location is
// Asia/Shanghai (qunops.DefaultLocation); the flag's default names the same
// zone, read from the tz database that this binary embeds.
func loadZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("-tz %q: not a time zone like Asia/Shanghai or UTC", name)
	}
	return loc, nil
}
