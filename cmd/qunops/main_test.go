package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// runCmd runs the command in-process with files read from the repository.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		open: func(name string) (io.ReadCloser, error) { return os.Open(name) }}
	code = run(e, args)
	return code, out.String(), errb.String()
}

func TestValidateSampleWeek(t *testing.T) {
	code, out, errOut := runCmd(t, "", "validate", "../../testdata/week.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"62 events in 1 group, 0 bad lines", "18398001234@chatroom", "join", "resolve"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateBadLines(t *testing.T) {
	in := `{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00+08:00"}
{"v":1,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00"}

{"v":3,"type":"join","group":"g","member":"m","time":"2026-03-02T08:00:00Z"}
{"v":1,"type":"message","group":"h","member":"m","time":"2026-03-02T08:00:00Z"}
`
	code, out, _ := runCmd(t, in, "validate", "-")
	if code != exitBad {
		t.Errorf("exit %d, want %d", code, exitBad)
	}
	for _, want := range []string{"<stdin>:2: time", "no UTC offset", "<stdin>:4: schema version 3", "2 events in 2 groups, 2 bad lines"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestUsageAndExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stdout+stderr
	}{
		{"no arguments", nil, exitUsage, "Commands:"},
		{"help lists commands", []string{"-h"}, exitOK, "validate"},
		{"help lists planned commands", []string{"help"}, exitOK, "report"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"planned command", []string{"simulate"}, exitUsage, "not available"},
		{"validate without files", []string{"validate"}, exitUsage, "usage: qunops validate"},
		{"validate bad flag", []string{"validate", "-nope", "x"}, exitUsage, "flag provided but not defined"},
		{"validate -h", []string{"validate", "-h"}, exitOK, "usage: qunops validate"},
		{"missing file", []string{"validate", "no/such/file.jsonl"}, exitBad, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, out, errOut)
			}
		})
	}
}

type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) { return 0, errors.New("read failed") }
func (brokenReader) Close() error             { return nil }

func TestValidateReadError(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, open: func(string) (io.ReadCloser, error) { return brokenReader{}, nil }}
	if code := run(e, []string{"validate", "x.jsonl"}); code != exitBad {
		t.Errorf("exit %d, want %d", code, exitBad)
	}
	if !strings.Contains(errb.String(), "read failed") {
		t.Errorf("stderr %q lacks the read error", errb.String())
	}
}

func TestSampleEqualsTestdata(t *testing.T) {
	code, out, errOut := runCmd(t, "", "sample")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, err := os.ReadFile("../../testdata/sample-month.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Error("qunops sample differs from testdata/sample-month.jsonl")
	}
}
