// Package golden is the tests' golden-file check: compare what a test
// produced with a file checked in under testdata, or rewrite the file when
// the test binary runs with -update after a deliberate change. Only tests
// import it; it registers the -update flag in their binaries.
package golden
