// Package svgchart writes small line charts as SVG by hand, with no
// dependency: stacked panels that share an x axis, each with its own y
// axis, series and legend. It serves the command line tool and the
// examples; its output is meant for people and may change.
package svgchart
