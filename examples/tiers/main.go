// Command tiers plays the bundled sample month of three groups through the
// tiering package: a tier tally every Sunday night, seen by a Reviewer that
// promotes at once, and the monthly review on April 1 (seed F36) that
// demotes with hysteresis. It prints the tier counts after each step and
// the changes of the review for one group.
//
//	go run ./examples/tiers
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
	"github.com/qunops/qunops/tiering"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	events := sample.Events()
	policy := tiering.DefaultPolicy()
	const group = "20002@chatroom" // the perks group
	rev, err := tiering.NewReviewer(policy)
	if err != nil {
		return err
	}
	// Sunday nights of March 2026, then the review on the morning of April 1.
	var steps []time.Time
	for d := 1; d <= 31; d++ {
		t := time.Date(2026, 3, d, 23, 59, 59, 0, qunops.DefaultLocation())
		if t.Weekday() == time.Sunday {
			steps = append(steps, t)
		}
	}
	review := time.Date(2026, 4, 1, 9, 0, 0, 0, qunops.DefaultLocation())
	steps = append(steps, review)

	fmt.Fprintf(w, "Tiers of %s, the sample's perks group (window: the 7 days before each time)\n\n", group)
	fmt.Fprintf(w, "%-22s %s\n", "time", "tiers")
	for _, now := range steps {
		tally, err := tiering.NewTally(policy, now)
		if err != nil {
			return err
		}
		for _, e := range events {
			if e.Group == group {
				if err := tally.Add(e); err != nil {
					return err
				}
			}
		}
		members := tally.Members(group)
		var changes []tiering.Change
		if now.Equal(review) {
			changes = rev.Review(members, now)
		} else {
			changes = rev.Observe(members, now)
		}
		fmt.Fprintf(w, "%-22s %s\n", now.Format("Mon 2006-01-02 15:04"), counts(rev.Roster(now)))
		if now.Equal(review) {
			printReview(w, changes)
		}
	}
	return nil
}

func counts(r tiering.Roster) tiering.Counts { return r.Counts() }

// printReview summarizes the changes of the monthly review and shows the
// first of each kind with its reason.
func printReview(w io.Writer, changes []tiering.Change) {
	byKind := map[tiering.ChangeKind][]tiering.Change{}
	var kinds []tiering.ChangeKind
	for _, c := range changes {
		if len(byKind[c.Kind]) == 0 {
			kinds = append(kinds, c.Kind)
		}
		byKind[c.Kind] = append(byKind[c.Kind], c)
	}
	fmt.Fprintf(w, "\nMonthly review (seed F36): %d changes\n", len(changes))
	for _, k := range kinds {
		cs := byKind[k]
		fmt.Fprintf(w, "  %-10s %3d, e.g. %s\n", k, len(cs), cs[0])
	}
}
