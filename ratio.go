package qunops

import (
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/qunops/qunops/internal/jsonx"
)

// Ratio is an exact share Num/Den, the one share type of the SDK: every rate
// that a qunops package reports (activity, retention, a live code's load) is a
// Ratio, so that sums over groups and days stay exact and an undefined rate
// (Den == 0, e.g. the activity of a day without members) is visible as such
// instead of turning into 0 or NaN. A Ratio is not reduced: Ratio{3, 12} keeps the counts
// it was made from. The zero value is the undefined ratio.
type Ratio struct {
	Num, Den int64
}

// Defined reports whether r has a non-zero denominator.
func (r Ratio) Defined() bool { return r.Den != 0 }

// Float returns Num/Den, and false when the ratio is undefined (Den == 0).
func (r Ratio) Float() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// String formats r as a percentage with one decimal, rounded half away from
// zero and computed exactly from Num and Den: Ratio{47, 200} is "23.5%". An
// undefined ratio is "undefined".
func (r Ratio) String() string {
	if r.Den == 0 {
		return "undefined"
	}
	// 1000*Num/Den in per-mille, rounded half away from zero, exactly.
	num := new(big.Int).Mul(big.NewInt(r.Num), big.NewInt(2000))
	den := new(big.Int).Mul(big.NewInt(r.Den), big.NewInt(2))
	neg := (r.Num < 0) != (r.Den < 0)
	num.Abs(num)
	den.Abs(den)
	// round(x/y) = floor((2x + y) / 2y) for x, y >= 0; here x = 1000*|Num|.
	num.Add(num, new(big.Int).Rsh(den, 1))
	q := num.Quo(num, den)
	s := q.String()
	if len(s) == 1 {
		s = "0" + s
	}
	out := s[:len(s)-1] + "." + s[len(s)-1:] + "%"
	if neg && q.Sign() != 0 {
		out = "-" + out
	}
	return out
}

// Cmp compares r and o exactly: -1 if r < o, 0 if equal in value, +1 if r > o.
// An undefined ratio compares below every defined one, and equal to another
// undefined one, so that sorting is total; callers that must tell undefined
// apart check Defined first.
func (r Ratio) Cmp(o Ratio) int {
	switch {
	case r.Den == 0 && o.Den == 0:
		return 0
	case r.Den == 0:
		return -1
	case o.Den == 0:
		return 1
	}
	a, b := r.norm(), o.norm()
	// a.Num/a.Den vs b.Num/b.Den with positive denominators: compare
	// a.Num*b.Den with b.Num*a.Den in 128 bits.
	return cmp128(a.Num, b.Den, b.Num, a.Den)
}

// norm returns r with a positive denominator (Den != 0 required).
func (r Ratio) norm() Ratio {
	if r.Den < 0 {
		return Ratio{-r.Num, -r.Den}
	}
	return r
}

// cmp128 compares x1*y1 with x2*y2, where y1, y2 > 0, without overflow.
func cmp128(x1, y1, x2, y2 int64) int {
	s1, s2 := sign(x1), sign(x2)
	if s1 != s2 {
		if s1 < s2 {
			return -1
		}
		return 1
	}
	if s1 == 0 {
		return 0
	}
	h1, l1 := bits.Mul64(abs64(x1), uint64(y1))
	h2, l2 := bits.Mul64(abs64(x2), uint64(y2))
	c := 0
	switch {
	case h1 < h2 || (h1 == h2 && l1 < l2):
		c = -1
	case h1 > h2 || (h1 == h2 && l1 > l2):
		c = 1
	}
	return c * s1
}

func sign(x int64) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}

// MarshalJSON writes r as {"num":47,"den":200,"value":0.235}: the exact
// counts, and their quotient for readers that want a number, null when r is
// undefined.
func (r Ratio) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 48)
	b = append(b, `{"num":`...)
	b = strconv.AppendInt(b, r.Num, 10)
	b = append(b, `,"den":`...)
	b = strconv.AppendInt(b, r.Den, 10)
	b = append(b, `,"value":`...)
	if f, ok := r.Float(); ok {
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes. "num" and "den" are
// required; "value" may be left out, but when given it must be null for an
// undefined ratio and Num/Den otherwise. Unknown and duplicate keys are
// errors. On error r is unchanged.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	var j struct {
		Num   *int64   `json:"num"`
		Den   *int64   `json:"den"`
		Value *float64 `json:"value"`
	}
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("qunops: ratio: %v", err)
	}
	if j.Num == nil || j.Den == nil {
		return errors.New(`qunops: ratio: "num" and "den" are required`)
	}
	q := Ratio{*j.Num, *j.Den}
	if j.Value != nil {
		f, ok := q.Float()
		if !ok {
			return fmt.Errorf("qunops: ratio: value %v given for the undefined ratio %d/0", *j.Value, q.Num)
		}
		if f != *j.Value {
			return fmt.Errorf("qunops: ratio: value %v is not %d/%d", *j.Value, q.Num, q.Den)
		}
	}
	*r = q
	return nil
}
