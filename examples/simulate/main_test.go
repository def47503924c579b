package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
)

func TestRun(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "chart.svg")
	var b strings.Builder
	if err := run(&b, svg); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Extinction of one member's tree: Poisson(2.3) 0.137577 and the
	// negative binomial with K = 0.5 0.587450 (the smallest fixed points of
	// exp(2.3(s-1)) and (1+4.6(1-s))^-0.5, recomputed by iteration; issue 7
	// quotes them as about 0.138 and 0.588).
	for _, want := range []string{"Poisson(2.3)                  13.8%", "NegBinomial(2.3, K=0.5)       58.7%"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The fitted law: the sample month's joins all name their inviter, so
	// the invites are its joins; its mean is far below 1, so every tree
	// dies out.
	joins := 0
	for _, e := range sample.Events() {
		if e.Type == qunops.Join && e.Actor != "" {
			joins++
		}
	}
	for _, want := range []string{fmt.Sprintf("%d invites;", joins), "fitted poisson(0.235)        100.0%"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Newcomers arrive by scanning, so every group but the newest stops at
	// the 200-scan limit: n members need ceil(n/200) groups.
	m := regexp.MustCompile(`(\d+) members in (\d+) groups: (\d+) at the scan limit, the newest \(group \d+\) with (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no live code summary:\n%s", out)
	}
	n, _ := strconv.Atoi(m[1])
	groups, _ := strconv.Atoi(m[2])
	full, _ := strconv.Atoi(m[3])
	last, _ := strconv.Atoi(m[4])
	if n == 0 || groups != (n+199)/200 || full*200+last != n && (full-1)*200+last != n {
		t.Errorf("%d members in %d groups, %d full, the newest with %d", n, groups, full, last)
	}
	data, err := os.ReadFile(svg)
	if err != nil || !strings.HasPrefix(string(data), "<svg") || strings.Count(string(data), "<polyline") != 4 {
		t.Errorf("chart: %v, %.100s", err, data)
	}
}
