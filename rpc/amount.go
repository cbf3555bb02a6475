package rpc

import "fmt"

// Amount is a number of satoshis. It encodes to JSON as a BTC number with
// eight decimals (1000 satoshis is 0.00001000), as Core prints amounts.
type Amount int64

// MarshalJSON writes the amount in BTC with exactly eight decimals.
func (a Amount) MarshalJSON() ([]byte, error) {
	const perBTC = 100_000_000
	sign := ""
	v := int64(a)
	if v < 0 {
		sign = "-"
		// -v overflows only for the smallest int64, far beyond any amount.
		v = -v
	}
	return fmt.Appendf(nil, "%s%d.%08d", sign, v/perBTC, v%perBTC), nil
}

// String returns the amount as MarshalJSON writes it, followed by " BTC".
func (a Amount) String() string {
	b, _ := a.MarshalJSON()
	return string(b) + " BTC"
}
