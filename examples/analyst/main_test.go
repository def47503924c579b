package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/ingest"
)

func TestRunOnTheBundledExport(t *testing.T) {
	loc := qunops.DefaultLocation()
	var b strings.Builder
	if err := run(&b, bytes.NewReader(bundled), ingest.Auto, ingest.Options{Location: loc, Self: "wxid_lead"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	days := regexp.MustCompile(`(?m)^\d\d-\d\d \w{3} +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +`).FindAllStringSubmatch(out, -1)
	if len(days) != 14 {
		t.Fatalf("%d days, want the export's 14:\n%s", len(days), out)
	}
	var members, speakers, joins, leaves int
	for _, d := range days {
		m, _ := strconv.Atoi(d[1])
		s, _ := strconv.Atoi(d[2])
		j, _ := strconv.Atoi(d[4])
		l, _ := strconv.Atoi(d[5])
		if s > m {
			t.Errorf("%d speakers > %d members", s, m)
		}
		members, speakers, joins, leaves = members+m, speakers+s, joins+j, leaves+l
	}
	// The export has three joins by system message (two invited, one by QR
	// code) and one removal.
	if joins != 3 || leaves != 1 {
		t.Errorf("%d joins and %d leaves, want 3 and 1", joins, leaves)
	}
	want := "Activity over the period (F25): " + strconv.FormatFloat(100*float64(speakers)/float64(members), 'f', 1, 64) + "%"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q (the ratio of sums):\n%s", want, out)
	}
	for _, s := range []string{"F26 day-3 retention", "Frequent terms since 2026-03-09 (F29):", "Imported 116 events from 115 rows (0 bad)"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q", s)
		}
	}
}
