// Package perm marks the errors of the adapters that are not worth retrying,
// through the bot package's marker, so that the runner's bot.IsPermanent
// recognises them.
package perm

import "github.com/qunops/qunops/bot"

// Permanent marks err as not worth retrying; nil stays nil.
func Permanent(err error) error { return bot.Permanent(err) }

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool { return bot.IsPermanent(err) }
