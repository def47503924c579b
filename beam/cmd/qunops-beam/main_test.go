package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qunops/qunops/report"
)

// TestHelp: -h prints our usage and Beam's runner flags, and exits 0,
// as beam/README.md says.
func TestHelp(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-h"}, &stderr); code != 0 {
		t.Errorf("-h exits %d, want 0", code)
	}
	for _, want := range []string{"usage: qunops-beam -input GLOB -output PREFIX", "-input glob", "-shards", "-runner"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-h output lacks %q", want)
		}
	}
}

// TestUsageErrors: a bad command line exits 2 with a message that names
// the flag.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"-input=", "-output", dir + "/"}, "-input and -output are required"},
		{"argument", []string{"-input", "x", "-output", dir + "/", "extra"}, `unexpected argument "extra"`},
		{"zone", []string{"-input", "x", "-output", dir + "/", "-tz", "Mars/Olympus"}, `-tz "Mars/Olympus"`},
		{"kind", []string{"-input", "x", "-output", dir + "/", "-tz", "Asia/Shanghai", "-kind", "club"}, `-kind "club"`},
		{"shards", []string{"-input", "x", "-output", dir + "/", "-kind", "", "-shards", "-2"}, "-shards -2: want 1..1024"},
		{"groups file", []string{"-input", "x", "-output", dir + "/", "-shards", "0", "-groups", filepath.Join(dir, "none.json")}, "-groups: "},
		{"unknown flag", []string{"-input", "x", "-frobnicate"}, "flag provided but not defined: -frobnicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(tc.args, &stderr); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.want)
			}
		})
	}
}

// TestRun runs the command on the week's log on prism and checks its
// report.json against the report library's.
func TestRun(t *testing.T) {
	const path = "../../../testdata/week.jsonl"
	out := t.TempDir() + "/"
	var stderr bytes.Buffer
	if code := run([]string{"-input", path, "-output", out, "-groups", "", "-shards", "2"}, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	rep, _, err := report.BuildFiles([]string{path}, report.Options{}, report.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out + "report.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want.Bytes(), got) {
		t.Errorf("report.json = %s\nwant %s", got, want.Bytes())
	}
	for _, name := range []string{"groups.jsonl", "days.csv", "retention.csv", "tiers.csv", "terms.csv", "bad.txt"} {
		if _, err := os.Stat(out + name); err != nil {
			t.Error(err)
		}
	}
}
