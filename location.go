package qunops

import "time"

// home is Asia/Shanghai as a fixed UTC+8 zone. China has kept no daylight
// saving time since 1991, so for every date since then this equals the tz
// database's Asia/Shanghai, without reading the database (which a bare
// container or a Windows machine may lack).
var home = time.FixedZone("Asia/Shanghai", 8*60*60)

// DefaultLocation returns the SDK's home zone, Asia/Shanghai, held as a
// fixed UTC+8 zone named "Asia/Shanghai". Every qunops function or option
// that takes a *time.Location treats nil as this zone: calendar days,
// check-in days, posting plans and the naive times of chat exports are
// Chinese wall-clock time unless the caller says otherwise, because the
// groups the SDK serves and the phones that export their logs keep that
// time. (UTC would put the Chinese midnight at 16:00 of the day before, and
// split every evening's activity over two days.) Pass
// time.LoadLocation("Asia/Shanghai") instead for dates before 1991, when
// China kept summer time.
func DefaultLocation() *time.Location { return home }

// LocationOr returns loc, or DefaultLocation when loc is nil.
func LocationOr(loc *time.Location) *time.Location {
	if loc == nil {
		return home
	}
	return loc
}
