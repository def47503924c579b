package qunops_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLicenceInEveryModule checks that every module of the repository (each
// directory with a go.mod) carries the Apache License 2.0 that README.md
// names, since each is published on its own.
func TestLicenceInEveryModule(t *testing.T) {
	var modules []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.Name() == "go.mod" {
			modules = append(modules, filepath.Dir(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) < 3 {
		t.Fatalf("found modules %v, want at least the core, bench and adapters", modules)
	}
	for _, m := range modules {
		b, err := os.ReadFile(filepath.Join(m, "LICENSE"))
		if err != nil {
			t.Errorf("module %s has no LICENSE: %v", m, err)
			continue
		}
		if !bytes.Contains(b, []byte("Apache License")) || !bytes.Contains(b, []byte("Version 2.0, January 2004")) ||
			!bytes.Contains(b, []byte("END OF TERMS AND CONDITIONS")) {
			t.Errorf("%s/LICENSE is not the whole Apache License 2.0", m)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("`Apache-2.0`")) {
		t.Error("README.md does not give the SPDX identifier Apache-2.0")
	}
}

// TestChangelogHasUnreleased checks the changelog's shape: an Unreleased
// section first, which later changes extend.
func TestChangelogHasUnreleased(t *testing.T) {
	b, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	first := regexp.MustCompile(`(?m)^## .*$`).Find(b)
	if string(first) != "## Unreleased" {
		t.Errorf("first version section of CHANGELOG.md is %q, want \"## Unreleased\"", first)
	}
}

// TestCitationFile checks CITATION.cff with a small reader of the YAML
// subset the file uses (no YAML dependency): top-level keys, nested keys,
// list items. It must give the fields a citation needs.
func TestCitationFile(t *testing.T) {
	b, err := os.ReadFile("CITATION.cff")
	if err != nil {
		t.Fatal(err)
	}
	top, nested, err := readCFF(string(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cff-version", "message", "title", "version", "license", "authors", "preferred-citation"} {
		if _, ok := top[k]; !ok {
			t.Errorf("CITATION.cff lacks %q", k)
		}
	}
	if top["license"] != "Apache-2.0" {
		t.Errorf("license %q, want Apache-2.0", top["license"])
	}
	if !strings.HasPrefix(top["cff-version"], "1.2") {
		t.Errorf("cff-version %q, want 1.2.x", top["cff-version"])
	}
	for _, k := range []string{"type", "title", "authors"} {
		if _, ok := nested["preferred-citation."+k]; !ok {
			t.Errorf("preferred-citation lacks %q", k)
		}
	}
}

// readCFF reads "key: value" lines at two indentation levels; list items
// ("- ...") belong to the key above them. It rejects tabs, a line without a
// key, and a duplicate key, which YAML parsers treat differently.
func readCFF(s string) (top, nested map[string]string, err error) {
	top, nested = map[string]string{}, map[string]string{}
	parent := ""
	keyLine := regexp.MustCompile(`^( *)([A-Za-z][A-Za-z0-9-]*):(?: (.*))?$`)
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.Contains(line, "\t") {
			return nil, nil, &cffError{i + 1, "a tab"}
		}
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "- ") {
			continue // a list item of the key above
		}
		m := keyLine.FindStringSubmatch(line)
		if m == nil {
			return nil, nil, &cffError{i + 1, "not a key: value line"}
		}
		value := strings.Trim(m[3], `"`)
		switch indent := len(m[1]); {
		case indent == 0:
			if _, dup := top[m[2]]; dup {
				return nil, nil, &cffError{i + 1, "duplicate key " + m[2]}
			}
			top[m[2]], parent = value, m[2]
		case indent == 2 && parent != "":
			nested[parent+"."+m[2]] = value
		}
	}
	return top, nested, nil
}

type cffError struct {
	line int
	what string
}

func (e *cffError) Error() string {
	return "CITATION.cff: line " + strconv.Itoa(e.line) + ": " + e.what
}
