//go:build race

package bot

// raceEnabled shortens the crash test's streams under the race detector,
// which makes every run of the runner ten times slower.
const raceEnabled = true
