package livecode

import (
	"errors"
	"testing"
)

// TestScanLimitF11 pins the threshold of seed F11's "200-person scan limit"
// (突破200人扫码限制) at DefaultScanLimit: a group's own QR code admits
// scanners while the group has fewer than 200 members (members plus
// reservations below ScanLimit, Code's documented rule), so a group of 199
// takes one more scan and a group of 200 takes none; the live code then
// sends the scanner to the next group (F11's "a full group sends new
// scanners on"). The numbers are written out rather than taken from
// DefaultScanLimit, so that a change of the default fails here.
func TestScanLimitF11(t *testing.T) {
	if DefaultScanLimit != 200 {
		t.Fatalf("DefaultScanLimit = %d, want 200 (seed F11)", DefaultScanLimit)
	}
	tests := []struct {
		name    string
		members int
		want    string // the code the scan is shown, "-" for ErrFull
	}{
		{"F11 198 members takes a scan", 198, "a"},
		{"F11 199 members takes a scan", 199, "a"},
		{"F11 200 members takes no scan", 200, "-"},
		{"F11 201 members takes no scan", 201, "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPool(FillFirst, Code{ID: "a", Members: tc.members})
			if err != nil {
				t.Fatal(err)
			}
			if got := scanAll(t, p, 1); got[0] != tc.want {
				t.Errorf("scan of a group of %d shown %q, want %q", tc.members, got[0], tc.want)
			}
		})
	}

	t.Run("F11 the 200th place reserved by the 199th member's scan", func(t *testing.T) {
		// 199 members: the first scanner holds the last place; the second
		// goes to the next group, and once the first joins the group is at
		// 200 and still sends scanners on.
		p, err := NewPool(FillFirst, Code{ID: "a", Members: 199}, Code{ID: "b"})
		if err != nil {
			t.Fatal(err)
		}
		if got := scanAll(t, p, 2); got[0] != "a" || got[1] != "b" {
			t.Fatalf("two scans at 199 members shown %v, want [a b]", got)
		}
		if err := p.Joined("u0", "a", t0); err != nil {
			t.Fatal(err)
		}
		id, err := p.Assign("u9", t0)
		if err != nil || id != "b" {
			t.Errorf("scan at 200 members shown %q, %v; want b", id, err)
		}
	})

	t.Run("F11 a single full group refuses with ErrFull", func(t *testing.T) {
		p, err := NewPool(FillFirst, Code{ID: "a", Members: 200})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Assign("u0", t0); !errors.Is(err, ErrFull) {
			t.Errorf("scan of a group of 200: %v, want ErrFull", err)
		}
	})
}
