package trust

import "github.com/qunops/qunops"

var (
	// TrackerAdd is (*metrics.Tracker).Add without the call of Validate;
	// t is a *metrics.Tracker. Set by package metrics.
	TrackerAdd func(t any, e *qunops.Event) error
	// TallyAdd is (*tiering.Tally).Add without the call of Validate; t is
	// a *tiering.Tally. Set by package tiering.
	TallyAdd func(t any, e *qunops.Event) error
)
