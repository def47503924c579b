package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
	if len(args) > 0 {
		r.msg = args[len(args)-1].(string)
	}
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.txt")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nb\nc\n"))
	if r.failed {
		t.Fatal("Check failed on equal contents")
	}
	Check(r, path, []byte("a\nB\nc\n"))
	if !r.failed || r.msg != "line 2, byte 1:\n-b\n+B" {
		t.Fatalf("Check on a changed line 2: failed %v, message %q", r.failed, r.msg)
	}
	r = &recorder{TB: t}
	Check(r, path, []byte("a\nb\n"))
	if !r.failed || r.msg != "line 3, byte 1:\n-c\n+" {
		t.Fatalf("Check on a missing last line: failed %v, message %q", r.failed, r.msg)
	}
}

func TestFirstDiffPastTheEnd(t *testing.T) {
	if got, want := firstDiff([]byte("a"), []byte("a\nb")), "line 2, byte 1:\n-(end of file)\n+b"; got != want {
		t.Fatalf("firstDiff = %q, want %q", got, want)
	}
}

// A long line is cut around the first byte that differs.
func TestFirstDiffCutsLongLines(t *testing.T) {
	want := strings.Repeat("x", 100) + "A" + strings.Repeat("y", 100)
	got := strings.Repeat("x", 100) + "B" + strings.Repeat("y", 100)
	msg := firstDiff([]byte(want), []byte(got))
	if w := "line 1, byte 101:\n-…" + strings.Repeat("x", 40) + "A" + strings.Repeat("y", 39) + "…"; !strings.HasPrefix(msg, w) {
		t.Fatalf("firstDiff = %q, want it to start %q", msg, w)
	}
}
