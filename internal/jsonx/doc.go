// Package jsonx holds the JSON conventions every qunops package follows for
// the configuration and state that people write and programs store: strict
// decoding (exact keys, no unknown or duplicate key, no trailing data, each
// error naming the key's path) and durations as Go duration strings.
//
// It is internal: the conventions are public (CONTRIBUTING.md lists them),
// the helpers are not.
package jsonx
