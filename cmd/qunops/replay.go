package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// replayVersion is the version of replay's -json lines. Version 2 (issue
// 15): a recall's message id is "message_id", no longer "text"; a welcome
// lists its members in "members" (no "member"); actions addressed to
// members carry "mentions".
const replayVersion = 2

// jsonAction is one line of `replay -json`: the version, then the action's
// own JSON.
type jsonAction struct {
	V int `json:"v"`
	rules.Action
}

func runReplay(e *env, args []string) int {
	fs := newFlags(e, "replay", `usage: qunops replay [-policy FILE] [-json] FILE

Runs the rule engine over a JSON Lines event log and prints the actions a bot would
have taken (welcome, warn, remove, blacklist, remind, escalate...), then a summary.
Timers fire as the log's clock passes them; at the end, those due within a day of the
last event fire too. Try a policy on a real log before a bot uses it. FILE - reads stdin.
`)
	policyPath := fs.String("policy", "", "rule engine policy as JSON (`FILE`); default rules.DefaultPolicy()")
	asJSON := fs.Bool("json", false, "write the actions as JSON Lines (versioned) instead of a table")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 1 }); !ok {
		return code
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
	in, name, done, err := openInput(e, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	defer done()

	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	counts := map[string]int{}
	emit := func(as []rules.Action) {
		for _, a := range as {
			counts[string(a.Type)+"\t"+a.Rule]++
			if *asJSON {
				enc.Encode(jsonAction{V: replayVersion, Action: a})
				continue
			}
			level := ""
			if a.Level > 0 {
				level = fmt.Sprintf(" level %d", a.Level)
			}
			who := a.Member
			if len(a.Members) > 0 {
				who = strings.Join(a.Members, ",")
			}
			fmt.Fprintf(out, "%s  %-9s %s %s [%s%s] %s\n", a.Time.Format("2006-01-02 15:04:05"), a.Type, a.Group,
				who, a.Rule, level, oneLine(a.Text))
		}
	}
	prog := newProgress(e.stderr)
	var last time.Time
	var dec *qunops.Decoder
	rejected := 0
	bad, err := decodeLog(in, name, func(d *qunops.Decoder) { dec = d }, e.stderr, 100, func(ev qunops.Event) {
		// The log is the clock: fire the timers due before this event. A
		// log's times are trusted, so the engine's max_skew bound, which
		// is measured against the clock, does not apply here.
		emit(engine.Tick(ev.Time))
		as, err := engine.Handle(ev)
		if err != nil {
			rejected++
			if rejected <= 100 {
				fmt.Fprintf(e.stderr, "%s:%d: %s\n", name, dec.Line(), strings.TrimPrefix(err.Error(), "rules: "))
			}
			return
		}
		emit(as)
		if ev.Time.After(last) {
			last = ev.Time
		}
		prog.tick()
	})
	if err != nil {
		out.Flush()
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitBad
	}
	prog.done()
	if !last.IsZero() {
		emit(engine.Tick(last.Add(24 * time.Hour)))
	}
	if !*asJSON {
		fmt.Fprintln(out, "\nActions by type and rule:")
		keys := slices.Sorted(maps.Keys(counts))
		for _, k := range keys {
			typ, rule, _ := strings.Cut(k, "\t")
			fmt.Fprintf(out, "  %-9s %-14s %d\n", typ, rule, counts[k])
		}
		if len(keys) == 0 {
			fmt.Fprintln(out, "  none")
		}
	}
	return e.finish(out, bad+rejected)
}

// oneLine keeps a bot's message on one line of the table.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return s
}
