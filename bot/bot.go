package bot

import (
	"context"
	"errors"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// Source delivers the events of the groups the bot serves, in delivery
// order. Receive blocks until the next event, ctx's end (returning
// ctx.Err()), or a transport error (the runner logs it and calls again after
// a backoff). An event may be delivered more than once (the engine dedupes
// by ID).
//
// The runner calls Receive from one goroutine, and not again before the
// event it returned is in the journal and its actions are performed: a
// transport that acknowledges an event on the next call (Telegram's
// getUpdates offset) never loses one to a crash of the bot.
type Source interface {
	Receive(ctx context.Context) (qunops.Event, error)
}

// Sink performs the engine's actions on the transport. A nil error means
// done. An error wrapped by Permanent is not retried (e.g. the member
// already left); any other error is retried with backoff.
//
// The runner calls Perform from one goroutine, one action at a time, in the
// order the engine gave them. After a crash the action that was in flight
// may be performed again (see the package documentation), so a Sink should
// make its actions idempotent where the transport allows.
type Sink interface {
	Perform(ctx context.Context, a rules.Action) error
}

// permanent wraps an error that retrying will not cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
