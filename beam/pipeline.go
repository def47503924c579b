package beam

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/qunops/qunops/report"
)

// Result holds what Report adds to a pipeline.
type Result struct {
	// Groups is a PCollection<GroupReport>: one element per group.
	Groups beam.PCollection
	// Dead is a PCollection<string>: the dead letters, one element per
	// bad line of the input, "FILE:LINE: problem" (see Read).
	Dead beam.PCollection
	// TZ is the name of the report's zone, its "tz".
	TZ string
}

// Report adds to s the report of the JSON Lines logs that glob matches:
// Read, then the two combines (events by shard of their group into
// report.Builders, then those by group), then each group's report.
// Options that do not validate are an error, before anything is added.
func Report(s beam.Scope, glob string, o Options) (Result, error) {
	set, err := o.encode()
	if err != nil {
		return Result{}, err
	}
	events, dead, err := Read(s, glob, o)
	if err != nil {
		return Result{}, err
	}
	groups, err := Combine(s, events, o)
	if err != nil {
		return Result{}, err
	}
	return Result{Groups: groups, Dead: dead, TZ: set.TZ}, nil
}

// Combine combines the keyed events that Read returns into the report of
// each group, a PCollection<GroupReport>. o must be the options given to
// Read.
func Combine(s beam.Scope, events beam.PCollection, o Options) (beam.PCollection, error) {
	set, err := o.encode()
	if err != nil {
		return beam.PCollection{}, err
	}
	s = s.Scope("qunops.Combine")
	shards := beam.CombinePerKey(s, &addFn{Options: set.Report}, events)
	byGroup := beam.ParDo(s, regroup, shards)
	groups := beam.CombinePerKey(s.Scope("PerGroup"), &mergeFn{Options: set.Report}, byGroup)
	return beam.DropKey(s, groups), nil
}

// regroup keys a shard's accumulator by its group alone.
func regroup(key string, a *accum) (string, *accum, error) {
	g, err := groupOf(key)
	return g, a, err
}

// FileNames returns the names of the files that Write writes, after its
// prefix. The caller owns the slice.
func FileNames() []string {
	return []string{"report.json", "groups.jsonl", "days.csv", "retention.csv", "tiers.csv", "terms.csv", "bad.txt"}
}

// Write adds to s the writing of r's files, each named prefix followed by:
//
//	report.json    the report's JSON, byte for byte what `qunops report -json` prints
//	groups.jsonl   one line per group: its object of the "groups" of report.json
//	days.csv, retention.csv, tiers.csv, terms.csv
//	               the tables, byte for byte what `qunops report -csv DIR` writes
//	bad.txt        the dead letters, one line each, in no particular order
//
// Groups are sorted by ID, as in the report. The prefix may name a
// directory ("out/") or start the file names ("gs://bucket/run7-"); any
// file system the pipeline registers works. The files are written by one
// worker once every group is combined (the report of tens of thousands of
// groups is some hundreds of megabytes, not the billions of events).
// Write returns a PCollection<string> of the paths written, or an error
// when no file system is registered for the prefix's scheme.
func Write(s beam.Scope, prefix string, r Result) (beam.PCollection, error) {
	if err := validateScheme(prefix); err != nil {
		return beam.PCollection{}, err
	}
	s = s.Scope("qunops.Write")
	return beam.ParDo(s, &writeFn{Prefix: prefix, TZ: r.TZ}, beam.Impulse(s),
		beam.SideInput{Input: r.Groups}, beam.SideInput{Input: r.Dead}), nil
}

// writeFn writes the files of Write, once: it runs on the single element
// of an impulse and reads the groups and dead letters as side inputs, so
// that a log without events still gets its (empty) report.
type writeFn struct {
	Prefix string `json:"prefix"`
	TZ     string `json:"tz"`
}

func (f *writeFn) ProcessElement(ctx context.Context, _ []byte, groups func(*GroupReport) bool, dead func(*string) bool, emit func(string)) error {
	var all []GroupReport
	var g GroupReport
	for groups(&g) {
		all = append(all, g)
	}
	slices.SortFunc(all, func(a, b GroupReport) int { return strings.Compare(a.Group, b.Group) })
	docs, err := Documents(f.TZ, all)
	if err != nil {
		return err
	}
	names := FileNames()
	for _, name := range names[:len(names)-1] {
		path := f.Prefix + name
		if err := writeFile(ctx, path, func(w io.Writer) error {
			_, err := w.Write(docs[name])
			return err
		}); err != nil {
			return err
		}
		emit(path)
	}
	path := f.Prefix + "bad.txt"
	if err := writeFile(ctx, path, func(w io.Writer) error {
		var line string
		for dead(&line) {
			if _, err := io.WriteString(w, line+"\n"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	emit(path)
	return nil
}

// Documents returns the contents of the files of Write but bad.txt, by
// name, for the reports of groups sorted by ID in the zone named tz.
func Documents(tz string, groups []GroupReport) (map[string][]byte, error) {
	// The frame of the JSON is that of an empty report, so that a key the
	// report package adds around "groups" comes along.
	var frame bytes.Buffer
	enc := json.NewEncoder(&frame)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&report.Report{V: report.Version, TZ: tz, Groups: []report.Group{}}); err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	const empty = `"groups":[]`
	head, tail, ok := strings.Cut(frame.String(), empty)
	if !ok {
		return nil, fmt.Errorf("beam: the JSON of an empty report, %s, has no %s", frame.String(), empty)
	}
	var doc, lines bytes.Buffer
	doc.WriteString(head)
	doc.WriteString(empty[:len(empty)-1])
	for i, g := range groups {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.WriteString(g.JSON)
		lines.WriteString(g.JSON)
		lines.WriteByte('\n')
	}
	doc.WriteByte(']')
	doc.WriteString(tail)
	out := map[string][]byte{"report.json": doc.Bytes(), "groups.jsonl": lines.Bytes()}
	var empt report.Report
	for _, t := range []struct {
		name   string
		header func(io.Writer) error
		rows   func(GroupReport) string
	}{
		{"days.csv", empt.DaysCSV, func(g GroupReport) string { return g.Days }},
		{"retention.csv", empt.RetentionCSV, func(g GroupReport) string { return g.Retention }},
		{"tiers.csv", empt.TiersCSV, func(g GroupReport) string { return g.Tiers }},
		{"terms.csv", empt.TermsCSV, func(g GroupReport) string { return g.Terms }},
	} {
		var buf bytes.Buffer
		if err := t.header(&buf); err != nil {
			return nil, fmt.Errorf("beam: %s: %w", t.name, err)
		}
		for _, g := range groups {
			buf.WriteString(t.rows(g))
		}
		out[t.name] = buf.Bytes()
	}
	return out, nil
}

// writeFile writes path through the Beam file system of its scheme,
// replacing it.
func writeFile(ctx context.Context, path string, write func(io.Writer) error) error {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return fmt.Errorf("beam: %s: %w", path, err)
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, path)
	if err != nil {
		return fmt.Errorf("beam: %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("beam: %s: %w", path, err)
	}
	return nil
}
