package rpc

import (
	"math"
	"strconv"
)

// CoreFloat is a floating-point figure (difficulty, verification progress)
// that encodes to JSON with 16 significant digits, as Core's JSON writer
// prints doubles, so 4.6565423739069247e-10 is written 4.656542373906925e-10.
type CoreFloat float64

// MarshalJSON writes the number like C's %.16g; NaN and infinities, which
// JSON cannot hold, are written as null.
func (f CoreFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', 16, 64), nil
}
