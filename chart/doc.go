// Package chart writes small line charts as SVG, with no dependency beyond
// the standard library: stacked panels that share an x axis, each with its
// own y axis, series and legend. It draws the figures of a simulation
// (members and groups over days, with percentile bands) or of a report
// (activity by day) as one self-contained SVG document that a browser, an
// HTML report or a chat message can show.
//
// [Write] is the whole API: describe the [Chart] as values, write it to any
// io.Writer. Axes get round ticks from the data's range; series are drawn in
// the given colors, dashed where asked (for percentile bands); a panel's
// Bands shade ranges of x behind its series (alert runs). Chart.Width sets
// the width of the drawing: draw at the width the chart is shown at (360
// for a phone) and its 12-unit labels show at 12 px; below 560 the legend
// goes under each panel and the title wraps. Invalid input
// (series of the wrong length, no points, a value or band bound that is not
// finite, a band that runs backwards, a width below MinWidth) is an error,
// never a broken picture.
//
// The SVG is meant for people: its exact markup may change between versions,
// so compare charts by looking at them, not by bytes. The package is pure: it
// writes only to the writer it is given and holds no state.
package chart
