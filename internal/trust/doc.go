// Package trust lets the packages of this module hand each other events
// that were already checked with qunops.Event.Validate, so that an event on
// the report's path is validated once, by the decoder that made it, and not
// again by each accumulator it feeds (issue 18: the second and third checks
// read the event's strings after they have left the processor's caches).
//
// Each function is set once, by the init function of the package that owns
// the type, and never changes after: there is no state to share. A caller
// must pass only events that Validate accepted (or built from parts of such
// events that keep every rule of Validate).
package trust
