// Package qunops is a Go SDK for running chat groups, first of all WeChat
// groups. (Full overview to come.)
package qunops
