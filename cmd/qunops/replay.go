package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// replayVersion is the version of replay's -json lines.
const replayVersion = 1

// jsonAction is one line of `replay -json`.
type jsonAction struct {
	V      int    `json:"v"`
	Time   string `json:"time"`
	Type   string `json:"type"`
	Group  string `json:"group"`
	Member string `json:"member,omitempty"`
	Rule   string `json:"rule,omitempty"`
	Level  int    `json:"level,omitempty"`
	Text   string `json:"text,omitempty"`
}

func runReplay(e *env, args []string) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	policyPath := fs.String("policy", "", "rule engine policy as JSON (`FILE`); default rules.DefaultPolicy()")
	asJSON := fs.Bool("json", false, "write the actions as JSON Lines (versioned) instead of a table")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: qunops replay [-policy FILE] [-json] FILE")
		fmt.Fprintln(fs.Output(), "\nRuns the rule engine over a JSON Lines event log and prints the actions a bot would")
		fmt.Fprintln(fs.Output(), "have taken (welcome, warn, remove, blacklist, remind, escalate...), then a summary.")
		fmt.Fprintln(fs.Output(), "Timers fire as the log's clock passes them; at the end, those due within a day of the")
		fmt.Fprintln(fs.Output(), "last event fire too. Try a policy on a real log before a bot uses it. FILE - reads stdin.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	policy := rules.DefaultPolicy()
	if *policyPath != "" {
		f, err := e.open(*policyPath)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitUsage
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err == nil {
			policy = rules.Policy{}
			err = json.Unmarshal(data, &policy)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: -policy %s: %v\n", *policyPath, err)
			return exitUsage
		}
	}
	engine, err := rules.New(policy)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: -policy: %v\n", err)
		return exitUsage
	}
	name := fs.Arg(0)
	var in io.Reader = e.stdin
	if name == "-" {
		name = "<stdin>"
	} else {
		f, err := e.open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: %v\n", err)
			return exitBad
		}
		defer f.Close()
		in = f
	}

	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	counts := map[string]int{}
	emit := func(as []rules.Action) {
		for _, a := range as {
			counts[string(a.Type)+"\t"+a.Rule]++
			if *asJSON {
				enc.Encode(jsonAction{V: replayVersion, Time: a.Time.Format(time.RFC3339Nano), Type: string(a.Type),
					Group: a.Group, Member: a.Member, Rule: a.Rule, Level: a.Level, Text: a.Text})
				continue
			}
			level := ""
			if a.Level > 0 {
				level = fmt.Sprintf(" level %d", a.Level)
			}
			fmt.Fprintf(out, "%s  %-9s %s %s [%s%s] %s\n", a.Time.Format("2006-01-02 15:04:05"), a.Type, a.Group,
				a.Member, a.Rule, level, oneLine(a.Text))
		}
	}
	d := qunops.NewDecoder(in)
	prog := newProgress(e.stderr)
	var last time.Time
	bad := 0
	for {
		ev, err := d.Decode()
		if err == io.EOF {
			break
		}
		var le *qunops.LineError
		if errors.As(err, &le) {
			bad++
			fmt.Fprintf(e.stderr, "%s:%d: %s\n", name, le.Line, strings.TrimPrefix(le.Error(), fmt.Sprintf("qunops: line %d: ", le.Line)))
			continue
		}
		if err != nil {
			out.Flush()
			fmt.Fprintf(e.stderr, "qunops: %s: %v\n", name, err)
			return exitBad
		}
		// The log is the clock: fire the timers due before this event.
		emit(engine.Tick(ev.Time))
		emit(engine.Handle(ev))
		if ev.Time.After(last) {
			last = ev.Time
		}
		prog.tick()
	}
	prog.done()
	if !last.IsZero() {
		emit(engine.Tick(last.Add(24 * time.Hour)))
	}
	if !*asJSON {
		fmt.Fprintln(out, "\nActions by type and rule:")
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			typ, rule, _ := strings.Cut(k, "\t")
			fmt.Fprintf(out, "  %-9s %-14s %d\n", typ, rule, counts[k])
		}
		if len(keys) == 0 {
			fmt.Fprintln(out, "  none")
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	if bad > 0 {
		return exitBad
	}
	return exitOK
}

// oneLine keeps a bot's message on one line of the table.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return s
}
