package qunops_test

import (
	"bufio"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// seedFigures is the number of figures of the seed's list
// (shared/seed/FIGURES.md: F1 to F43).
const seedFigures = 43

// seedRow is one row of SEED.md's table.
type seedRow struct {
	line   int
	figure string
	cells  []string // every cell, the figure's first
}

// TestSeedTable checks SEED.md, the map from every seed figure to the code:
// each figure F1-F43 has exactly one row, in order; each row says whether
// the code is exact or ours and cites at least one test at its boundary,
// or says "narrative: no code" with a reason, or "open"; and every cited
// test exists as func TestXxx or func ExampleXxx in a _test.go file of the
// repository. A renamed or deleted test fails here until SEED.md follows.
func TestSeedTable(t *testing.T) {
	rows := readSeedTable(t, "SEED.md")
	tests := testFuncs(t, os.DirFS("."))
	if len(tests) < 100 {
		t.Fatalf("found only %d test functions: is the walk broken?", len(tests))
	}
	var figures []string
	for _, r := range rows {
		figures = append(figures, r.figure)
	}
	var want []string
	for i := 1; i <= seedFigures; i++ {
		want = append(want, "F"+strconv.Itoa(i))
	}
	if !slices.Equal(figures, want) {
		var missing []string
		for _, f := range want {
			if !slices.Contains(figures, f) {
				missing = append(missing, f)
			}
		}
		t.Errorf("SEED.md lists figures %v, want F1..F%d once each, in order (missing: %v)", figures, seedFigures, missing)
	}
	for _, r := range rows {
		if len(r.cells) != 6 {
			t.Errorf("SEED.md line %d (%s): %d cells, want 6 (figure, seed, code, where, exact or ours, test)", r.line, r.figure, len(r.cells))
			continue
		}
		test := r.cells[5]
		names := citedTests(test)
		switch {
		case strings.HasPrefix(test, "narrative: no code"):
			if len(strings.TrimSpace(strings.TrimPrefix(test, "narrative: no code"))) < 10 {
				t.Errorf("SEED.md line %d (%s): \"narrative: no code\" without its reason", r.line, r.figure)
			}
		case strings.HasPrefix(test, "open"):
		case len(names) == 0:
			t.Errorf("SEED.md line %d (%s): the test cell %q cites no `TestXxx` or `ExampleXxx`", r.line, r.figure, test)
		}
		for _, n := range names {
			if !tests[n] {
				t.Errorf("SEED.md line %d (%s) cites %s, which no _test.go of the repository declares", r.line, r.figure, n)
			}
		}
		if kind := strings.ToLower(r.cells[4]); !strings.Contains(kind, "exact") && !strings.Contains(kind, "ours") &&
			!strings.Contains(kind, "narrative") && !strings.Contains(kind, "open") {
			t.Errorf("SEED.md line %d (%s): cell %q says neither exact, ours, narrative nor open", r.line, r.figure, r.cells[4])
		}
	}
}

// TestSeedTableParser checks the reader of SEED.md on a table of the
// shapes it must take and refuse.
func TestSeedTableParser(t *testing.T) {
	for _, tt := range []struct {
		cell string
		want []string
	}{
		{"`TestHealthF2Boundary`", []string{"TestHealthF2Boundary"}},
		{"`TestA`, `ExampleB_c` (metrics)", []string{"TestA", "ExampleB_c"}},
		{"`Example`", []string{"Example"}},
		{"`TestA/sub case`", []string{"TestA"}},
		{"narrative: no code (a claim)", nil},
		{"TestNotQuoted", nil},
		{"`Testing` and `Exampled`", nil},
	} {
		if got := citedTests(tt.cell); !slices.Equal(got, tt.want) {
			t.Errorf("citedTests(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"a_test.go":          file("package a\n\nfunc TestA(t *testing.T) {}\nfunc ExampleB_c() {}\nfunc helper() {}\n// func TestInComment(t *testing.T) {}\n"),
		"sub/b_test.go":      file("package b\nfunc TestGeneric[T any](t *testing.T) {}\n"),
		"sub/b.go":           file("package b\nfunc TestNotATestFile(t *testing.T) {}\n"),
		".git/x_test.go":     file("func TestHidden(t *testing.T) {}\n"),
		"testdata/y_test.go": file("func TestData(t *testing.T) {}\n"),
	}
	got := testFuncs(t, fsys)
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if want := []string{"ExampleB_c", "TestA", "TestGeneric"}; !slices.Equal(names, want) {
		t.Errorf("testFuncs = %q, want %q", names, want)
	}
}

// readSeedTable returns the rows of the table of path whose first cell is
// a figure id (F1, F2, ...).
func readSeedTable(t *testing.T, path string) []seedRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []seedRow
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := splitRow(line)
		if len(cells) == 0 || !figureID.MatchString(cells[0]) {
			continue
		}
		rows = append(rows, seedRow{line: n, figure: cells[0], cells: cells})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

var figureID = regexp.MustCompile(`^F[1-9][0-9]*$`)

// splitRow splits a Markdown table row into its trimmed cells; "\|" is a
// literal bar inside a cell.
func splitRow(line string) []string {
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	line = strings.ReplaceAll(line, `\|`, "\x00")
	var cells []string
	for c := range strings.SplitSeq(line, "|") {
		cells = append(cells, strings.TrimSpace(strings.ReplaceAll(c, "\x00", "|")))
	}
	return cells
}

// citedName is a test or example named in backquotes, with an optional
// subtest path after a slash.
var citedName = regexp.MustCompile("`((?:Test|Example)(?:[A-Z_][A-Za-z0-9_]*)?)(?:/[^`]*)?`")

// citedTests returns the test and example names a cell cites in
// backquotes, in order.
func citedTests(cell string) []string {
	var out []string
	for _, m := range citedName.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// testDecl is a top-level test or example function.
var testDecl = regexp.MustCompile(`(?m)^func ((?:Test|Example)(?:[A-Z_][A-Za-z0-9_]*)?)[\[(]`)

// testFuncs returns the names of the test and example functions of every
// _test.go file of fsys, skipping hidden directories and testdata.
func testFuncs(t *testing.T, fsys fs.FS) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		for _, m := range testDecl.FindAllSubmatch(b, -1) {
			out[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
