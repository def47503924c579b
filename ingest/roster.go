package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/qunops/qunops"
)

// Snapshot is a group's member list at one moment, as a bot or an export of
// the member list gives it.
type Snapshot struct {
	Time    time.Time // when the list was taken
	Members []string  // member ids; order and repeats do not matter
}

// Events returns a roster event per distinct member of s, sorted by member
// id: the members present at s.Time. It fails on an empty group, a zero
// time or an empty member id.
func (s Snapshot) Events(group string) ([]qunops.Event, error) {
	ms, err := s.members(group, "snapshot")
	if err != nil {
		return nil, err
	}
	out := make([]qunops.Event, 0, len(ms))
	for _, m := range ms {
		e := qunops.Event{Type: qunops.Roster, Group: group, Member: m, Time: s.Time}
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("ingest: snapshot: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

// members returns the sorted distinct members, checking the snapshot.
func (s Snapshot) members(group, what string) ([]string, error) {
	if group == "" {
		return nil, errors.New("ingest: " + what + ": group is empty")
	}
	if s.Time.IsZero() {
		return nil, errors.New("ingest: " + what + ": time is zero")
	}
	ms := slices.Clone(s.Members)
	slices.Sort(ms)
	ms = slices.Compact(ms)
	if len(ms) > 0 && ms[0] == "" {
		return nil, errors.New("ingest: " + what + ": a member id is empty")
	}
	return ms, nil
}

// Diff infers who left group between two member-list snapshots. Leaving by
// oneself produces no message in WeChat (only the removals an admin makes
// do), so a member in before and not in after is taken to have left: Diff
// returns a leave event for each, sorted by member id, at after.Time (the
// member left at some moment in (before.Time, after.Time]; after.Time is
// when the absence was seen). Each leave is marked as inferred: its ID is
// [InferredPrefix] + group + ":" + member + ":" + after.Time in Unix seconds,
// so that diffing the same snapshots again gives the same IDs ([Inferred]
// tests it). It has no Actor: a removal cannot be told from leaving.
//
// Members in after and not in before are not reported (their join time is
// unknown); use after.Events for roster events. Diff fails when a snapshot
// has a zero time or an empty member id, or after is before before.
// It costs O(n log n) for n members.
func Diff(group string, before, after Snapshot) ([]qunops.Event, error) {
	b, err := before.members(group, "diff: before")
	if err != nil {
		return nil, err
	}
	a, err := after.members(group, "diff: after")
	if err != nil {
		return nil, err
	}
	if after.Time.Before(before.Time) {
		return nil, fmt.Errorf("ingest: diff: after (%s) is before before (%s)", after.Time.Format(time.RFC3339), before.Time.Format(time.RFC3339))
	}
	stamp := strconv.FormatInt(after.Time.Unix(), 10)
	var out []qunops.Event
	i := 0
	for _, m := range b {
		for i < len(a) && a[i] < m {
			i++
		}
		if i < len(a) && a[i] == m {
			continue
		}
		e := qunops.Event{Type: qunops.Leave, Group: group, Member: m, Time: after.Time,
			ID: InferredPrefix + group + ":" + m + ":" + stamp}
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("ingest: diff: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}
