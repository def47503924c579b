package metrics

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

func TestChannelCounter(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	join := func(group, member, channel, actor, id string) qunops.Event {
		return qunops.Event{Type: qunops.Join, Group: group, Member: member, Time: at, Kind: channel, Actor: actor, ID: id}
	}
	var c ChannelCounter // the zero value is ready
	if got := c.Joins("g"); got != nil {
		t.Errorf("empty counter: %v", got)
	}
	for _, e := range []qunops.Event{
		join("g", "a", qunops.JoinQR, "poster_account", "1"),
		join("g", "b", qunops.JoinQR, "poster_account", "2"),
		join("g", "b", qunops.JoinQR, "poster_account", "3"), // b again: a second join, one member
		join("g", "b", qunops.JoinQR, "poster_account", "3"), // the same event again: ignored
		join("g", "c", qunops.JoinQR, "article_account", "4"),
		join("g", "d", "", "", "5"),
		join("g", "e", "card", "x", "6"), // a channel word this version lacks
		join("g", "f", qunops.JoinInviteQR, "a", "7"),
		join("g", "h", qunops.JoinInvite, "a", ""),
		join("g", "i", qunops.JoinInvite, "a", ""), // no ID: never a duplicate
		join("other", "a", qunops.JoinQR, "poster_account", "8"),
		{Type: qunops.Message, Group: "g", Member: "a", Time: at, ID: "9"},
	} {
		if err := c.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	want := []ChannelJoins{
		{Channel: qunops.JoinInvite, Actor: "a", Joins: 2, Members: 2},
		{Channel: qunops.JoinQR, Actor: "article_account", Joins: 1, Members: 1},
		{Channel: qunops.JoinQR, Actor: "poster_account", Joins: 3, Members: 2},
		{Channel: qunops.JoinInviteQR, Actor: "a", Joins: 1, Members: 1},
		{Channel: "card", Actor: "x", Joins: 1, Members: 1},
		{Channel: "", Actor: "", Joins: 1, Members: 1},
	}
	if diff := cmp.Diff(want, c.Joins("g")); diff != "" {
		t.Errorf("joins of g (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g", "other"}, c.Groups()); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	// A bad event is an error and leaves no trace, not even its ID.
	bad := join("g", "", qunops.JoinQR, "poster_account", "10")
	if err := c.Add(bad); err == nil || !strings.HasPrefix(err.Error(), "metrics: channel counter: ") || !strings.Contains(err.Error(), "member") {
		t.Errorf("Add(no member): error %v", err)
	}
	if err := c.Add(join("g", "z", qunops.JoinQR, "poster_account", "10")); err != nil {
		t.Fatal(err)
	}
	if got := c.Joins("g")[2]; got.Joins != 4 || got.Members != 3 {
		t.Errorf("the ID of a rejected event was kept: %+v", got)
	}
}

// TestConvertF14: an official-account article converts about 5%-8% of its
// followers (seed F14); the bounds are inside the range, one join past
// them outside (2000 followers: 100 joins are 5.0%, 160 are 8.0%).
func TestConvertF14(t *testing.T) {
	for _, tt := range []struct {
		joins, reached, want int
	}{{99, 2000, -1}, {100, 2000, 0}, {160, 2000, 0}, {161, 2000, 1}} {
		c, err := Convert(Article, tt.joins, tt.reached)
		if err != nil {
			t.Fatal(err)
		}
		if pos, ok := c.Compare(); !ok || pos != tt.want {
			t.Errorf("%v: position %d, %v; want %d", c, pos, ok, tt.want)
		}
		if c.Figure != "F14" {
			t.Errorf("%v: figure %q", c, c.Figure)
		}
	}
	c, _ := Convert(Article, 120, 2000)
	if got, want := c.String(), "F14 article: 120 of 2000 joined (6.0%), within the seed's 5.0%-8.0%"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// TestConvertF15: a Moments poster converts up to 15% of its friends (seed
// F15): 15 of 100 are within, 16 above, and none is within too (the seed
// gives no floor).
func TestConvertF15(t *testing.T) {
	for _, tt := range []struct {
		joins, reached, want int
	}{{0, 100, 0}, {15, 100, 0}, {16, 100, 1}} {
		c, err := Convert(Poster, tt.joins, tt.reached)
		if err != nil {
			t.Fatal(err)
		}
		if pos, ok := c.Compare(); !ok || pos != tt.want || c.Figure != "F15" {
			t.Errorf("%v: position %d, %v; want %d", c, pos, ok, tt.want)
		}
	}
	c, _ := Convert(Poster, 0, 0)
	if _, ok := c.Compare(); ok || !strings.HasSuffix(c.String(), "rate undefined") {
		t.Errorf("nobody reached: %v", c)
	}
	for _, tt := range []struct {
		o              Outreach
		joins, reached int
		want           string
	}{
		{0, 1, 2, "unknown outreach 0"},
		{Poster, -1, 2, "joins -1"},
		{Poster, 1, -2, "reached -2"},
		{Article, 3, 2, "joins 3 exceed reached 2"},
	} {
		if _, err := Convert(tt.o, tt.joins, tt.reached); err == nil || !strings.HasPrefix(err.Error(), "metrics: convert: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Convert(%d, %d, %d): error %v, want %q", tt.o, tt.joins, tt.reached, err, tt.want)
		}
	}
}

func TestOutreachWords(t *testing.T) {
	for _, o := range []Outreach{Article, Poster} {
		b, err := o.MarshalText()
		if err != nil || string(b) != o.String() {
			t.Errorf("MarshalText(%v) = %q, %v", o, b, err)
		}
		var back Outreach
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	var o Outreach = Poster
	if err := o.UnmarshalText([]byte("Poster")); err == nil || o != Poster || !strings.Contains(err.Error(), `"Poster" (want article or poster)`) {
		t.Errorf("UnmarshalText(Poster): %v, %v", o, err)
	}
	if _, err := Outreach(3).MarshalText(); err == nil || Outreach(3).String() != "Outreach(3)" {
		t.Errorf("Outreach(3): %v", err)
	}
}

// TestChannelCounterProperty: whatever joins arrive, in any order and with
// repeated IDs, the rows of a group count each distinct join event once,
// no row has more members than joins, and the order of arrival does not
// change the answer.
func TestChannelCounterProperty(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		var events []qunops.Event
		for i := range n {
			e := qunops.Event{Type: qunops.Join, Group: rapid.SampledFrom([]string{"g", "h"}).Draw(t, "group"),
				Member: rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "member"),
				Time:   at.Add(time.Duration(i) * time.Minute),
				Kind:   rapid.SampledFrom([]string{qunops.JoinInvite, qunops.JoinQR, qunops.JoinInviteQR, ""}).Draw(t, "channel"),
				Actor:  rapid.SampledFrom([]string{"", "x", "y"}).Draw(t, "actor"),
				ID:     rapid.SampledFrom([]string{"", "1", "2", "3", "4", "5", "6"}).Draw(t, "id")}
			events = append(events, e)
		}
		count := func(es []qunops.Event) (map[string][]ChannelJoins, map[string]int) {
			var c ChannelCounter
			want := map[string]int{}
			seen := map[string]bool{}
			for _, e := range es {
				if err := c.Add(e); err != nil {
					t.Fatal(err)
				}
				if e.ID == "" || !seen[e.ID] {
					want[e.Group]++
				}
				seen[e.ID] = e.ID != ""
			}
			out := map[string][]ChannelJoins{}
			for _, g := range c.Groups() {
				out[g] = c.Joins(g)
			}
			return out, want
		}
		got, want := count(events)
		for g, rows := range got {
			sum := 0
			for _, r := range rows {
				sum += r.Joins
				if r.Members > r.Joins || r.Members < 1 {
					t.Fatalf("%s: row %+v", g, r)
				}
			}
			if sum != want[g] {
				t.Fatalf("%s: %d joins counted, want %d", g, sum, want[g])
			}
		}
		// Reversed arrival: the first of two events with the same ID
		// is now the other one, so only logs without repeated IDs must
		// give the same rows.
		if !repeatedIDs(events) {
			rev := slices.Clone(events)
			slices.Reverse(rev)
			again, _ := count(rev)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Fatalf("order changed the rows (-first +reversed):\n%s", diff)
			}
		}
	})
}

func repeatedIDs(es []qunops.Event) bool {
	seen := map[string]bool{}
	for _, e := range es {
		if e.ID != "" && seen[e.ID] {
			return true
		}
		seen[e.ID] = true
	}
	return false
}
