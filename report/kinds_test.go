package report

import (
	"github.com/qunops/qunops/metrics"
	"github.com/qunops/qunops/sample"
)

// sampleKinds are the kinds of the sample's groups, as `qunops report`
// gives them.
func sampleKinds() map[string]metrics.GroupKind {
	kinds := map[string]metrics.GroupKind{}
	for _, g := range sample.Groups() {
		kinds[g.ID] = g.Kind
	}
	return kinds
}
