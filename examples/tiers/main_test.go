package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	rows := regexp.MustCompile(`(?m)^\w{3} 2026-\d\d-\d\d \d\d:\d\d +violator (\d+), core (\d+), active (\d+), new (\d+), lurker (\d+), casual (\d+)$`).FindAllStringSubmatch(out, -1)
	if len(rows) != 6 {
		t.Fatalf("want 5 Sundays and the review, got %d rows:\n%s", len(rows), out)
	}
	m := regexp.MustCompile(`Monthly review \(seed F36\): (\d+) changes`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no review:\n%s", out)
	}
	total, _ := strconv.Atoi(m[1])
	sum := 0
	for _, k := range regexp.MustCompile(`(?m)^  \w+ +(\d+), e\.g\. `).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(k[1])
		sum += n
	}
	if sum != total || total == 0 {
		t.Errorf("the kinds add up to %d, the review says %d", sum, total)
	}
	// Demotions wait for the review, and no core member leaves the sample's
	// perks group in March: so between Sundays the core tier never shrinks.
	prevCore := 0
	for i, r := range rows[:5] {
		core, _ := strconv.Atoi(r[2])
		if i > 0 && core < prevCore {
			t.Errorf("core shrank from %d to %d before the review", prevCore, core)
		}
		prevCore = core
	}
	if !strings.Contains(out, "  demotion ") {
		t.Error("the review demoted nobody")
	}
}
