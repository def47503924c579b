package schedule

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/qunops/qunops"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Reference instants: the tz database's rules for these zones (US: second
// Sunday of March 02:00 -> 03:00, first Sunday of November 02:00 -> 01:00;
// EU: last Sunday of March and October at 01:00 UTC), as tabulated at
// timeanddate.com for 2026.
func TestLocalAtDST(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	berlin := mustLoad(t, "Europe/Berlin")
	tests := []struct {
		name   string
		loc    *time.Location
		d      date
		c      Clock
		wantUT string // the instant in UTC
		reason string
	}{
		{"ny plain", ny, date{2026, 3, 2}, 8 * Hour, "2026-03-02T13:00:00Z", "EST is UTC-5"},
		{"ny gap 02:30", ny, date{2026, 3, 8}, 2*Hour + 30, "2026-03-08T07:30:00Z", "skipped: taken at EST, reads 03:30 EDT"},
		{"ny gap 02:00", ny, date{2026, 3, 8}, 2 * Hour, "2026-03-08T07:00:00Z", "skipped: the transition instant, 03:00 EDT"},
		{"ny after gap 03:00", ny, date{2026, 3, 8}, 3 * Hour, "2026-03-08T07:00:00Z", "first reading after the gap"},
		{"ny before gap 01:59", ny, date{2026, 3, 8}, 1*Hour + 59, "2026-03-08T06:59:00Z", "still EST"},
		{"ny repeated 01:30", ny, date{2026, 11, 1}, 1*Hour + 30, "2026-11-01T05:30:00Z", "twice: first, in EDT"},
		{"ny repeated 01:00", ny, date{2026, 11, 1}, 1 * Hour, "2026-11-01T05:00:00Z", "twice: first, in EDT"},
		{"ny after repeat 02:00", ny, date{2026, 11, 1}, 2 * Hour, "2026-11-01T07:00:00Z", "once, in EST"},
		{"berlin gap 02:30", berlin, date{2026, 3, 29}, 2*Hour + 30, "2026-03-29T01:30:00Z", "skipped: taken at CET, reads 03:30 CEST"},
		{"berlin gap 02:00", berlin, date{2026, 3, 29}, 2 * Hour, "2026-03-29T01:00:00Z", "skipped: the transition instant"},
		{"berlin repeated 02:30", berlin, date{2026, 10, 25}, 2*Hour + 30, "2026-10-25T00:30:00Z", "twice: first, in CEST"},
		{"berlin repeated 02:00", berlin, date{2026, 10, 25}, 2 * Hour, "2026-10-25T00:00:00Z", "twice: first, in CEST"},
		{"berlin 03:00 after repeat", berlin, date{2026, 10, 25}, 3 * Hour, "2026-10-25T02:00:00Z", "once, CET"},
		{"berlin summer", berlin, date{2026, 7, 1}, 20 * Hour, "2026-07-01T18:00:00Z", "CEST is UTC+2"},
		{"shanghai", shanghai, date{2026, 3, 2}, 8 * Hour, "2026-03-02T00:00:00Z", "CST is UTC+8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := localAt(tt.d, tt.c, tt.loc)
			if s := got.UTC().Format(time.RFC3339); s != tt.wantUT {
				t.Errorf("localAt(%v, %v) = %s (%s), want %s: %s", tt.d, tt.c, s, got, tt.wantUT, tt.reason)
			}
			if got.Location() != tt.loc {
				t.Errorf("location %v, want %v", got.Location(), tt.loc)
			}
		})
	}
}

// shanghai is the SDK's home zone, which a nil location means.
var shanghai = qunops.DefaultLocation()
