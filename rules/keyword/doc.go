// Package keyword finds many keywords at once in chat messages, through the
// spacing, symbols, invisible characters and styled letters people use to
// slip past plain matchers.
package keyword
