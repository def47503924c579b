package beam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/report"
)

// addFn is the first combine, per shard of a group: a report.Builder fed
// the events (AddInput), merged with the builders of other bundles
// (MergeAccumulators), and passed on as it is (ExtractOutput), to be
// merged per group by mergeFn.
//
// Builders merge exactly (report.Builder.Merge), so any split of the
// events over accumulators, in any order, gives the report of one
// Builder fed them all, as long as the log keeps the contract of IDs
// (see the package documentation, "Exactness").
type addFn struct {
	Options string `json:"options"` // report.Options as JSON
	opts    report.Options
}

func (f *addFn) Setup() error {
	o, err := decodeOptions(f.Options)
	f.opts = o
	return err
}

func (f *addFn) CreateAccumulator() (*accum, error) {
	b, err := report.New(f.opts)
	if err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	return &accum{opts: f.Options, b: b, shards: 1}, nil
}

// AddInput adds one event. The decoder has validated it; what the
// Builder can still reject is an event that would stretch its group over
// more than metrics.MaxSpanDays, an absurd date that `qunops report` counts
// as a bad line. Which event of a group crosses that line depends on the
// order the events come in, which a pipeline does not keep, so here it
// fails the pipeline, naming the event.
func (f *addFn) AddInput(a *accum, e qunops.Event) (*accum, error) {
	if err := a.b.Add(e); err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	return a, nil
}

func (f *addFn) MergeAccumulators(a, b *accum) (*accum, error) {
	if err := a.b.Merge(b.b); err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	return a, nil
}

func (f *addFn) ExtractOutput(a *accum) *accum { return a }

// mergeFn is the second combine, per group: it merges the group's shard
// accumulators and builds the group's report.
type mergeFn struct {
	Options string `json:"options"` // report.Options as JSON
	opts    report.Options
}

func (f *mergeFn) Setup() error {
	o, err := decodeOptions(f.Options)
	f.opts = o
	return err
}

func (f *mergeFn) CreateAccumulator() (*accum, error) {
	b, err := report.New(f.opts)
	if err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	return &accum{opts: f.Options, b: b}, nil
}

// AddInput merges one shard's builder. The first is taken as it is
// rather than copied into the empty accumulator.
func (f *mergeFn) AddInput(a, in *accum) (*accum, error) {
	if a.shards == 0 {
		return in, nil
	}
	return f.MergeAccumulators(a, in)
}

func (f *mergeFn) MergeAccumulators(a, b *accum) (*accum, error) {
	switch {
	case b.shards == 0:
		return a, nil
	case a.shards == 0:
		return b, nil
	}
	if err := a.b.Merge(b.b); err != nil {
		return nil, fmt.Errorf("beam: %w", err)
	}
	a.shards += b.shards
	return a, nil
}

func (f *mergeFn) ExtractOutput(a *accum) (GroupReport, error) {
	rep, err := a.b.Build()
	if err != nil {
		return GroupReport{}, fmt.Errorf("beam: %w", err)
	}
	if len(rep.Groups) != 1 {
		return GroupReport{}, fmt.Errorf("beam: a group's accumulator holds %d groups", len(rep.Groups))
	}
	return groupReport(rep, a.shards)
}

// GroupReport is the report of one group in the forms the pipeline
// writes: its JSON object, as it appears in the "groups" of the report's
// JSON (report.Group), and its rows of the four CSV tables, without their
// header rows. Concatenated in the order of the groups, they make the
// files of `qunops report -json -csv DIR`.
type GroupReport struct {
	Group string
	// JSON is the group's report.Group in JSON, without a newline.
	JSON string
	// Days, Retention, Tiers and Terms are the group's rows of days.csv,
	// retention.csv, tiers.csv and terms.csv, each row ending in "\n".
	Days, Retention, Tiers, Terms string
	// Shards is how many shard accumulators the group's events were
	// combined in before they were merged (at most Options.Shards): a
	// group with many events is spread over all of them.
	Shards int
}

// groupReport renders the one group of rep.
func groupReport(rep *report.Report, shards int) (GroupReport, error) {
	g := GroupReport{Group: rep.Groups[0].Group, Shards: shards}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as `qunops report -json` writes it
	if err := enc.Encode(rep.Groups[0]); err != nil {
		return GroupReport{}, fmt.Errorf("beam: group %q: %w", g.Group, err)
	}
	g.JSON = string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	for _, t := range []struct {
		to    *string
		write func(io.Writer) error
	}{{&g.Days, rep.DaysCSV}, {&g.Retention, rep.RetentionCSV}, {&g.Tiers, rep.TiersCSV}, {&g.Terms, rep.TermsCSV}} {
		buf.Reset()
		if err := t.write(&buf); err != nil {
			return GroupReport{}, fmt.Errorf("beam: group %q: %w", g.Group, err)
		}
		_, rows, ok := bytes.Cut(buf.Bytes(), []byte("\n"))
		if !ok {
			return GroupReport{}, fmt.Errorf("beam: group %q: a CSV table without a header row", g.Group)
		}
		*t.to = string(rows)
	}
	return g, nil
}
