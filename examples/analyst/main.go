// Command analyst turns a chat export into the figures of the seed: it
// reads a chatlog JSON export (the bundled export.json: two weeks of a
// running club's group) with package ingest, feeds the events to a metrics
// Tracker, and prints the days, the retention of the newcomers, the health
// verdicts of an interest group and the frequent terms of the last week.
//
//	go run ./examples/analyst                            # the bundled export
//	go run ./examples/analyst my.csv                     # any supported export, recognised
//	go run ./examples/analyst -tz Europe/Berlin my.csv   # naive times kept by a phone in Berlin
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
	"github.com/qunops/qunops/metrics"
)

//go:embed export.json
var bundled []byte

func main() {
	from := flag.String("from", ingest.Auto, "export format: auto (recognised from the file) or one of ingest.Formats()")
	tz := flag.String("tz", "Asia/Shanghai", "time zone of the group's days (and of naive export times)")
	group := flag.String("group", "", "group id (required for WeChatMsg exports, which have no group column)")
	self := flag.String("self", "wxid_lead", "your own member id, for \"你\" in system messages")
	flag.Parse()
	in := io.Reader(bytes.NewReader(bundled))
	if flag.NArg() > 0 {
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		in = f
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		log.Fatal(err)
	}
	if err := run(os.Stdout, in, *from, ingest.Options{Location: loc, Group: *group, Self: *self}); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, in io.Reader, format string, opts ingest.Options) error {
	tr := metrics.NewTracker(opts.Location)
	var messages []qunops.Event
	st, rowErrs, err := ingest.Import(format, in, opts, 20, func(e qunops.Event) error {
		if e.Type == qunops.Message {
			messages = append(messages, e)
		}
		return tr.Add(e)
	})
	if err != nil {
		return err
	}
	for _, e := range rowErrs {
		fmt.Fprintln(w, "skipped:", e)
	}
	fmt.Fprintf(w, "Imported %d events from %d rows (%d bad).\n", st.Events, st.Rows, st.Errors)

	for _, g := range tr.Groups() {
		days := tr.Days(g)
		fmt.Fprintf(w, "\nGroup %s, %s to %s\n", g, days[0].Date.Format(time.DateOnly), days[len(days)-1].Date.Format(time.DateOnly))
		fmt.Fprintf(w, "%-10s %7s %8s %8s %6s %6s %8s\n", "date", "members", "speakers", "messages", "joins", "leaves", "activity")
		for _, d := range days {
			fmt.Fprintf(w, "%-10s %7d %8d %8d %6d %6d %8s\n", d.Date.Format("01-02 Mon"), d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves, d.Activity)
		}
		fmt.Fprintf(w, "Activity over the period (F25): %s\n", metrics.PeriodActivity(days))

		fmt.Fprintln(w, "\nNewcomers still in the group 3 days after joining (F26):")
		for _, c := range tr.Retention(g, 3) {
			fmt.Fprintf(w, "  joined %s: %d of %d (%s)\n", c.Date.Format(time.DateOnly), c.Retained, c.Joined, c.Rate)
		}

		verdicts, err := tr.Health(g, metrics.Interest, days[0].Date, days[len(days)-1].Date, metrics.HealthOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "\nHealth of an interest group:")
		for _, v := range verdicts {
			fmt.Fprintf(w, "  %s\n", v)
		}

		terms, err := metrics.NewTermCounter(metrics.TermOptions{})
		if err != nil {
			return err
		}
		lastWeek := days[len(days)-1].Date.AddDate(0, 0, -6)
		terms.AddMessages(messages, lastWeek, time.Time{})
		fmt.Fprintf(w, "\nFrequent terms since %s (F29):", lastWeek.Format(time.DateOnly))
		for _, t := range terms.Top(8) {
			fmt.Fprintf(w, " %s×%d", t.Text, t.Count)
		}
		fmt.Fprintln(w)
	}
	return nil
}
