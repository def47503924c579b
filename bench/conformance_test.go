package bench

import (
	"testing"
)

const casesPath = "../rules/keyword/testdata/conformance.tsv"

// TestConformance runs rules/keyword's conformance table (the Rust crate
// aho-corasick's cases) against every engine. qunops must pass all; the
// peers' failures are logged (run with -v), not failed: they are facts to
// report, not bugs of this repository.
func TestConformance(t *testing.T) {
	cases, err := LoadCases(casesPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) {
			if e.Find == nil {
				t.Skip("no Find")
			}
			fails, ran := Check(e, cases)
			t.Logf("%s: %d of %d cases wrong", e.Name, len(fails), ran)
			for _, f := range fails {
				t.Logf("  %s %s %q in %q: want %v, got %v (err %v)", f.Kind, f.Case.Name, f.Case.Patterns, f.Case.Text, f.Case.Want, f.Got, f.Err)
			}
			if len(fails) > 0 && e.Name[:6] == "qunops" {
				t.Errorf("qunops must pass every case")
			}
		})
	}
}
