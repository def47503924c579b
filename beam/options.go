package beam

import (
	"encoding/json"
	"fmt"

	"github.com/qunops/qunops/report"
)

// DefaultShards is how many accumulators the events of one group are
// spread over before they are merged per group (ours: enough to keep a
// group that holds half of a log from holding up the pipeline on a
// cluster of a few dozen cores; each shard of a group costs one extra
// Builder merge per group).
const DefaultShards = 8

// MaxShards bounds Options.Shards (ours: past it, the merge per group
// costs more than the parallel adds save).
const MaxShards = 1024

// BlockLines is how many consecutive lines of one file go to one shard of
// each of their groups (ours: 65,536 lines, about 10 MiB of a log).
const BlockLines = 1 << 16

// Options are the settings of the pipeline. The zero value means the
// defaults: the report's defaults (what `qunops report` uses without -tz and
// -kind) and DefaultShards.
type Options struct {
	// Report are the report's settings. They travel to the workers as
	// their JSON (report.Options.MarshalJSON), so Location must be a zone
	// loaded by IANA name (time.LoadLocation), UTC or nil; the workers
	// read the zone from their own tz database.
	Report report.Options
	// Shards is how many accumulators the events of each group are
	// spread over, 1..MaxShards; zero means DefaultShards. 1 keys events
	// by group alone and leaves hot groups to the runner's combiner
	// lifting.
	Shards int
}

// Validate reports the first problem of o, naming the setting, e.g.
// "beam: options: shards -1 is outside 1..1024".
func (o Options) Validate() error {
	_, err := o.encode()
	return err
}

// shards returns o.Shards with the default filled in.
func (o Options) shards() int {
	if o.Shards == 0 {
		return DefaultShards
	}
	return o.Shards
}

// encode checks o and returns the report options as the JSON that the
// workers decode, and the name of the report's zone.
func (o Options) encode() (settings, error) {
	if o.Shards < 0 || o.Shards > MaxShards {
		return settings{}, fmt.Errorf("beam: options: shards %d is outside 1..%d", o.Shards, MaxShards)
	}
	b, err := report.New(o.Report)
	if err != nil {
		return settings{}, fmt.Errorf("beam: options: %w", err)
	}
	full := b.Options()
	js, err := json.Marshal(o.Report)
	if err != nil {
		return settings{}, fmt.Errorf("beam: options: %w", err)
	}
	// A zone made with time.FixedZone, or loaded from a file, has a name
	// that the workers cannot load: say so now rather than on a worker.
	var back report.Options
	if err := json.Unmarshal(js, &back); err != nil {
		return settings{}, fmt.Errorf("beam: options: location %q cannot be sent to the workers: %w", full.Location, err)
	}
	if b2, err := report.New(back); err != nil || b2.Options().Location.String() != full.Location.String() {
		return settings{}, fmt.Errorf("beam: options: location %q cannot be sent to the workers by name", full.Location)
	}
	return settings{Report: string(js), TZ: full.Location.String(), Shards: o.shards()}, nil
}

// settings are the options in the form the transforms carry to the
// workers (DoFn and CombineFn fields are serialised as JSON by Beam).
type settings struct {
	Report string // report.Options as JSON
	TZ     string // the report's "tz"
	Shards int
}

// decodeOptions reads report options that encode wrote.
func decodeOptions(js string) (report.Options, error) {
	var o report.Options
	if err := json.Unmarshal([]byte(js), &o); err != nil {
		return report.Options{}, fmt.Errorf("beam: report options %s: %w", js, err)
	}
	return o, nil
}
