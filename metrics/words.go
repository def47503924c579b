package metrics

import (
	"fmt"
	"strings"
)

// The enumerations of this package (GroupKind, Status, Meaning) are
// written as lowercase words, in JSON as in String, so that a report or a
// configuration reads the same to a person and to a program.

// wordOf returns names[i], or "" when i is outside names.
func wordOf(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return ""
	}
	return names[i]
}

// indexOf returns the index of the non-empty word w in names, or -1.
func indexOf(names []string, w string) int {
	if w == "" {
		return -1
	}
	for i, n := range names {
		if n == w {
			return i
		}
	}
	return -1
}

// unknownWord is the error for a word that names no value of an
// enumeration: it quotes the word and lists the valid ones.
func unknownWord(what, w string, names []string) error {
	return fmt.Errorf("metrics: unknown %s %q (want %s)", what, w, wordList(names))
}

// wordList joins the non-empty names as "a, b or c".
func wordList(names []string) string {
	var words []string
	for _, n := range names {
		if n != "" {
			words = append(words, n)
		}
	}
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
