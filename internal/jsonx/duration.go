package jsonx

import (
	"fmt"
	"strings"
	"time"
)

// Duration is a time.Duration that is written in JSON as a Go duration
// string ("15m", "168h", "1h30m", "1.5s") and read from one. The zero
// duration is "0s"; struct fields of this type use omitempty so that a zero
// field, which means the default, is left out.
type Duration time.Duration

// FormatDuration writes d the short way: time.Duration's String without
// trailing zero units, so 15 minutes is "15m", 7 days "168h" and 90
// minutes "1h30m".
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// ParseDuration reads a Go duration string. The error quotes the text and
// gives an example, for configuration written by hand.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like \"15m\" or \"168h\"", s)
	}
	return d, nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(FormatDuration(time.Duration(d))), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}
