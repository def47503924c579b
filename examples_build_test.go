package qunops_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesBuildOutsideTheModule copies each program of examples/ into a
// module of its own in a temporary directory, the way a user copies one out
// of the repository, with a replace directive pointing at this checkout, and
// builds it. An example that imports an internal package (or anything else
// a user cannot import) fails here: Go refuses internal imports across
// modules.
func TestExamplesBuildOutsideTheModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every example in a module of its own; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the examples: %v", err)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	gosum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	// The user's module requires what this module requires, so that the
	// build needs nothing beyond the module cache that testing this module
	// filled.
	var requires []string
	inRequire := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inRequire = true
		case line == ")":
			inRequire = false
		case inRequire && line != "":
			requires = append(requires, line)
		}
	}
	dirs, err := filepath.Glob("examples/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no examples found")
	}
	// Each program is a set of files: an example's directory, or a Go
	// program quoted in README.md.
	programs := map[string]map[string][]byte{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for _, e := range entries {
			if e.IsDir() || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = b
		}
		programs[dir] = files
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(readme), "```go\n")
	for i, b := range blocks[1:] {
		code, _, ok := strings.Cut(b, "```")
		if ok && strings.HasPrefix(code, "package main\n") {
			programs[fmt.Sprintf("README.md program %d", i+1)] = map[string][]byte{"main.go": []byte(code)}
		}
	}
	if len(programs) == len(dirs) {
		t.Error("README.md quotes no Go program; the quick start should")
	}
	for name, files := range programs {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			for file, b := range files {
				if err := os.WriteFile(filepath.Join(tmp, file), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			mod := "module example.com/user\n\ngo 1.26.0\n\nrequire (\n\tgithub.com/qunops/qunops v0.0.0\n"
			for _, r := range requires {
				mod += "\t" + r + "\n"
			}
			mod += ")\n\nreplace github.com/qunops/qunops => " + root + "\n"
			if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(mod), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(tmp, "go.sum"), gosum, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goBin, "build", "-o", os.DevNull, ".")
			cmd.Dir = tmp
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build of %s outside the module: %v\n%s", name, err, out)
			}
		})
	}
}
