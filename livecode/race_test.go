//go:build race

package livecode

// The race detector slows the state machine test tenfold; it runs shorter
// sequences there (the plain run covers the long ones).
func init() { machineSteps = "50" }
