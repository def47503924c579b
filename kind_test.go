package qunops

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

// TestJoinChannels: the join channels are distinct lowercase words, none a
// message kind (a reader of Kind tells them apart by the event's Type, but
// one word meaning two things would still mislead), and a join carrying
// one validates and survives a JSON Lines round trip.
func TestJoinChannels(t *testing.T) {
	chans := JoinChannels()
	if want := []string{JoinInvite, JoinQR, JoinInviteQR}; !slices.Equal(chans, want) {
		t.Errorf("JoinChannels() = %q, want %q", chans, want)
	}
	seen := map[string]bool{}
	for _, c := range chans {
		if c == "" || seen[c] || slices.Contains(MessageKinds(), c) {
			t.Errorf("join channel %q is empty, repeated or a message kind", c)
		}
		seen[c] = true
		e := Event{Type: Join, Group: "g", Member: "m", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), Actor: "a", Kind: c}
		if err := e.Validate(); err != nil {
			t.Errorf("join with kind %q: %v", c, err)
		}
		var b bytes.Buffer
		if err := NewEncoder(&b).Encode(e); err != nil {
			t.Fatal(err)
		}
		back, err := NewDecoder(&b).Decode()
		if err != nil || back.Kind != c {
			t.Errorf("round trip of %s: kind %q, %v", b.String(), back.Kind, err)
		}
	}
}
