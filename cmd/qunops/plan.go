package main

import (
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/qunops/qunops/schedule"
)

func runPlan(e *env, args []string) int {
	fs := newFlags(e, "plan", `usage: qunops plan [-week YYYY-MM-DD] [-tz ZONE]

Prints the default posting calendar (seed F19-F24) of the week, Monday first,
and the operator's next recurring tasks (seed F29, F36, F41).
`)
	week := fs.String("week", "", "a date `YYYY-MM-DD` in the week to plan (default: this week)")
	tz := fs.String("tz", "Asia/Shanghai", "the group's time `zone`")
	if ok, code := parseFlags(fs, args, func(n int) bool { return n == 0 }); !ok {
		return code
	}
	loc, err := loadZone(*tz)
	if err != nil {
		fmt.Fprintf(e.stderr, "qunops: %v\n", err)
		return exitUsage
	}
	start := e.now().In(loc)
	if *week != "" {
		start, err = time.ParseInLocation("2006-01-02", *week, loc)
		if err != nil {
			fmt.Fprintf(e.stderr, "qunops: -week %q: want a date like 2026-03-02\n", *week)
			return exitUsage
		}
	}
	plan := schedule.DefaultPlan()
	plan.Location = loc
	slots := plan.Week(start)
	if len(slots) == 0 {
		fmt.Fprintln(e.stderr, "qunops: the default plan gave no slots")
		return exitBad
	}
	fmt.Fprintf(e.stdout, "Posting plan for the week of %s (%s)\n\n", slots[0].At.Format("Mon 2006-01-02"), loc)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "day\ttime\tkind")
	for _, s := range slots {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.At.Format("Mon 01-02"), s.At.Format("15:04"), s.Kind)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\nAt most %d posts a day (seed F23); never more than %d ads in a row (seed F24).\n",
		schedule.DefaultDailyCap, schedule.DefaultAdRunMax)
	fmt.Fprintln(e.stdout, "\nNext recurring tasks:")
	tw = tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	from := slots[0].At.Add(-time.Nanosecond)
	cads := schedule.DefaultCadences()
	sort.SliceStable(cads, func(i, j int) bool { return cads[i].Next(from).Before(cads[j].Next(from)) })
	for _, c := range cads {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Next(from).Format("2006-01-02 15:04"), c.Name, c.Seed)
	}
	tw.Flush()
	return exitOK
}
