package qunops

import (
	"testing"
	"time"
)

func TestDefaultLocation(t *testing.T) {
	loc := DefaultLocation()
	if loc.String() != "Asia/Shanghai" {
		t.Errorf("DefaultLocation().String() = %q", loc.String())
	}
	if LocationOr(nil) != loc {
		t.Error("LocationOr(nil) is not DefaultLocation()")
	}
	if LocationOr(time.UTC) != time.UTC {
		t.Error("LocationOr(UTC) did not return UTC")
	}
	// Midnight in Shanghai is 16:00 UTC the day before, in winter and summer
	// alike (no daylight saving since 1991).
	for _, month := range []time.Month{time.January, time.July} {
		d := time.Date(2026, month, 2, 0, 0, 0, 0, loc)
		if want := time.Date(2026, month, 1, 16, 0, 0, 0, time.UTC); !d.Equal(want) {
			t.Errorf("Shanghai midnight of 2026-%02d-02 is %v UTC, want %v", month, d.UTC(), want)
		}
	}
	// Where the tz database is present, it agrees for every date since 1992.
	if tz, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		for y := 1992; y <= 2040; y++ {
			for _, m := range []time.Month{1, 4, 7, 10} {
				d := time.Date(y, m, 15, 12, 0, 0, 0, time.UTC)
				_, a := d.In(tz).Zone()
				_, b := d.In(loc).Zone()
				if a != b {
					t.Fatalf("%v: tz database offset %d, DefaultLocation %d", d, a, b)
				}
			}
		}
	}
}

func TestMessageKinds(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range MessageKinds() {
		if k == "" || seen[k] {
			t.Errorf("kind %q is empty or listed twice", k)
		}
		seen[k] = true
	}
	if MessageKinds()[0] != KindText {
		t.Error("KindText is not first")
	}
}
