package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Check fails t unless got equals the contents of the file at path. With
// -update it writes got to path first, so the check passes and the change
// shows in version control. The failure names the first line that differs.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after a deliberate change, and read the diff): %s", path, firstDiff(want, got))
	}
}

// firstDiff describes where want and got, which differ, first differ: the
// line, and that line of each around the first byte that differs.
func firstDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	i := 0
	for i < len(w) && i < len(g) && bytes.Equal(w[i], g[i]) {
		i++
	}
	var wl, gl []byte
	if i < len(w) {
		wl = w[i]
	}
	if i < len(g) {
		gl = g[i]
	}
	col := 0
	for col < len(wl) && col < len(gl) && wl[col] == gl[col] {
		col++
	}
	return fmt.Sprintf("line %d, byte %d:\n-%s\n+%s", i+1, col+1, around(wl, col, i < len(w)), around(gl, col, i < len(g)))
}

// around returns line cut to about 40 bytes either side of col, or a note
// when the file has no such line.
func around(line []byte, col int, ok bool) string {
	if !ok {
		return "(end of file)"
	}
	const span = 40
	from, to := max(0, col-span), min(len(line), col+span)
	s := string(line[from:to])
	if from > 0 {
		s = "…" + s
	}
	if to < len(line) {
		s += "…"
	}
	return s
}
