package tiering

import "strings"

// The word tables of this package's numbered enumerations (Tier, Source,
// ChangeKind) hold each value's word at its index, with "" at index 0, the
// zero value, which is none of them. lookup and wordList serve their
// UnmarshalText and error messages, so that the lists the errors print
// cannot drift from the tables.

// lookup returns the index of word in names, skipping names[0].
func lookup(names []string, word string) (int, bool) {
	for i := 1; i < len(names); i++ {
		if names[i] == word {
			return i, true
		}
	}
	return 0, false
}

// wordList joins names[1:] for an error message: "a, b, c".
func wordList(names []string) string { return strings.Join(names[1:], ", ") }
