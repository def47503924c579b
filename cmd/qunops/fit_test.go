package main

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/golden"
)

const sampleMonth = "../../testdata/sample-month.jsonl"

// Issue 22: `qunops fit testdata/sample-month.jsonl` prints the fits per
// group and overall; the tables and the JSON are pinned. The JSON's
// numbers are rounded to 10 significant digits before the comparison, so
// that the last bits of math.Log on another architecture do not matter.
func TestFitSampleGolden(t *testing.T) {
	code, out, errOut := runCmd(t, "", "fit", sampleMonth)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Check(t, "testdata/fit-sample.txt", []byte(out))
	code, js, errOut := runCmd(t, "", "fit", "-json", sampleMonth)
	if code != exitOK {
		t.Fatalf("-json: exit %d: %s", code, errOut)
	}
	var v any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	pretty, err := json.MarshalIndent(roundFloats(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/fit-sample.json", append(pretty, '\n'))
}

// roundFloats rounds every number of a decoded JSON value to 10
// significant digits.
func roundFloats(v any) any {
	switch x := v.(type) {
	case float64:
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
		return r
	case []any:
		for i := range x {
			x[i] = roundFloats(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = roundFloats(x[k])
		}
	}
	return v
}

// The JSON's counts, recomputed from the log without package growth: with
// no window every member with an event is present, and each join with an
// actor other than the joiner is an invite of the actor (the sample has no
// rejoin). The Poisson log-likelihood follows from the counts in closed
// form: S·log(m) - n·m - Σ log(y!).
func TestFitSampleIndependent(t *testing.T) {
	f, err := os.Open(sampleMonth)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type key struct{ group, member string }
	invites := map[key]int{}
	groups := map[string]bool{}
	dec := qunops.NewDecoder(f)
	for {
		e, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		groups[e.Group] = true
		invites[key{e.Group, e.Member}] += 0
		if e.Type == qunops.Join && e.Actor != "" && e.Actor != e.Member {
			invites[key{e.Group, e.Actor}]++
		}
	}
	_, js, _ := runCmd(t, "", "fit", "-json", sampleMonth)
	var got fitJSON
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	if got.V != 1 || len(got.Groups) != len(groups) || got.From != nil || got.To != nil {
		t.Fatalf("v %d, %d groups (want %d), window %v-%v", got.V, len(got.Groups), len(groups), got.From, got.To)
	}
	for _, g := range append(got.Groups, got.Total) {
		var n, s, atLeast3 int64
		lfact := 0.0
		for k, y := range invites {
			if g.Group != "" && k.group != g.Group {
				continue
			}
			n++
			s += int64(y)
			if y >= 3 {
				atLeast3++
			}
			lg, _ := math.Lgamma(float64(y) + 1)
			lfact += lg
		}
		if g.Members != n || g.Invites != s || g.Unlocked.Num != atLeast3 || g.Unlocked.Den != n {
			t.Errorf("%q: %d members, %d invites, %v unlocked; want %d, %d, %d/%d", g.Group, g.Members, g.Invites, g.Unlocked, n, s, atLeast3, n)
		}
		m := float64(s) / float64(n)
		want := float64(s)*math.Log(m) - float64(n)*m - lfact
		if len(g.Fits) == 0 || g.Fits[0].Family.String() != "poisson" || math.Abs(g.Fits[0].LogLik-want) > 1e-9 {
			t.Errorf("%q: fits %+v, want a poisson log-likelihood of %v", g.Group, g.Fits, want)
		}
	}
	// Seed F16 against the sample: its groups invite far less than 2.3.
	if got.Total.Mean == nil || *got.Total.Mean > 1 || got.Total.Fits[0].SeedInside {
		t.Errorf("total mean %v, seed inside %v", got.Total.Mean, got.Total.Fits[0].SeedInside)
	}
}

// A window keeps the joins in it, and the members present in it.
func TestFitWindow(t *testing.T) {
	in := `{"v":1,"type":"roster","group":"g","member":"a","time":"2026-03-01T09:00:00+08:00"}
{"v":1,"type":"roster","group":"g","member":"b","time":"2026-03-01T09:00:00+08:00"}
{"v":1,"type":"join","group":"g","member":"n1","time":"2026-03-02T23:59:59+08:00","actor":"a"}
{"v":1,"type":"join","group":"g","member":"n2","time":"2026-03-03T00:00:00+08:00","actor":"a"}
{"v":1,"type":"join","group":"g","member":"n3","time":"2026-03-05T10:00:00+08:00","actor":"b"}
`
	code, js, errOut := runCmd(t, in, "fit", "-json", "-from", "2026-03-03", "-to", "2026-03-04", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got fitJSON
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	// Present on March 3-4 (Shanghai): a, b, n1 (joined before) and n2;
	// n3 joined after. One invite, by a, at 00:00 of the 3rd.
	if g := got.Total; g.Members != 4 || g.Invites != 1 || len(g.Counts) != 2 || g.Counts[1] != 1 {
		t.Errorf("window: %+v", g)
	}
	if got.From == nil || got.From.Format("2006-01-02T15:04:05Z07:00") != "2026-03-03T00:00:00+08:00" ||
		got.To == nil || got.To.Format("2006-01-02T15:04:05Z07:00") != "2026-03-05T00:00:00+08:00" {
		t.Errorf("window %v to %v", got.From, got.To)
	}
}

func TestFitUsageAndBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"fit"}, exitUsage, "usage: qunops fit"},
		{[]string{"fit", "-level", "1.5", sampleMonth}, exitUsage, "-level 1.5"},
		{[]string{"fit", "-from", "March", sampleMonth}, exitUsage, `-from "March"`},
		{[]string{"fit", "-from", "2026-03-05", "-to", "2026-03-04", sampleMonth}, exitUsage, "-to 2026-03-04 is before -from 2026-03-05"},
		{[]string{"fit", "-tz", "Mars/Olympus", sampleMonth}, exitUsage, "-tz"},
		{[]string{"fit", "no-such-file.jsonl"}, exitBad, "no-such-file.jsonl"},
	} {
		code, _, errOut := runCmd(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	// A bad line is reported and the rest is fitted, with exit status 1;
	// a log without members says that nothing could be fitted.
	in := `{"v":1,"type":"join","group":"g","member":"n1","time":"2026-03-02T10:00:00+08:00","actor":"a"}
not json
`
	code, out, errOut := runCmd(t, in, "fit", "-")
	if code != exitBad || !strings.Contains(errOut, "<stdin>:2:") || !strings.Contains(out, "g: 2 members present, 1 join in the window, 1 with an inviter (1 member seen only as inviters)") {
		t.Errorf("bad line: exit %d, stderr %q, out:\n%s", code, errOut, out)
	}
	code, out, _ = runCmd(t, "", "fit", "-")
	if code != exitOK || !strings.Contains(out, "all groups: 0 members present") || !strings.Contains(out, "no fit: growth: fit poisson: no exposed members") {
		t.Errorf("empty log: exit %d, out:\n%s", code, out)
	}
}

// -bootstrap replaces the intervals by seeded bootstrap ones: the same
// seed gives the same output, another seed another, and the estimates
// stay those of the plain fit.
func TestFitBootstrap(t *testing.T) {
	run := func(args ...string) fitJSON {
		t.Helper()
		code, js, errOut := runCmd(t, "", append([]string{"fit", "-json"}, append(args, sampleMonth)...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var got fitJSON
		if err := json.Unmarshal([]byte(js), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	plain := run()
	a, b, c := run("-bootstrap", "300", "-seed", "4"), run("-bootstrap", "300", "-seed", "4"), run("-bootstrap", "300", "-seed", "5")
	if a.Bootstrap != 300 || plain.Bootstrap != 0 {
		t.Errorf("bootstrap %d and %d, want 300 and 0", a.Bootstrap, plain.Bootstrap)
	}
	pa, pb, pc, pp := a.Total.Fits[0].Mean, b.Total.Fits[0].Mean, c.Total.Fits[0].Mean, plain.Total.Fits[0].Mean
	if *pa.High != *pb.High || pa.Low != pb.Low || (*pa.High == *pc.High && pa.Low == pc.Low) {
		t.Errorf("seeds 4, 4, 5: %+v %+v %+v", pa, pb, pc)
	}
	if pa.Value != pp.Value || a.Total.Fits[0].LogLik != plain.Total.Fits[0].LogLik || pa.Low == pp.Low {
		t.Errorf("bootstrap %+v against the plain fit %+v", pa, pp)
	}
	if code, _, errOut := runCmd(t, "", "fit", "-bootstrap", "1", sampleMonth); code != exitUsage || !strings.Contains(errOut, "-bootstrap 1") {
		t.Errorf("-bootstrap 1: exit %d, %q", code, errOut)
	}
}
