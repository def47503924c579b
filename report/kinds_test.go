package report

import (
	"github.com/qunops/qunops/sample"
)

// sampleGroups are the settings of the sample's groups as `qunops report`
// gives them without a groups file: their kinds.
func sampleGroups() map[string]GroupOptions {
	groups := map[string]GroupOptions{}
	for _, g := range sample.Groups() {
		groups[g.ID] = GroupOptions{Kind: g.Kind}
	}
	return groups
}
