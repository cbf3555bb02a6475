package rpc

import "strconv"

// serviceName returns the name Core gives to one service bit, or
// "UNKNOWN[2^n]" for a bit without a name.
func serviceName(bit uint) string {
	switch bit {
	case 0:
		return "NETWORK"
	case 2:
		return "BLOOM"
	case 3:
		return "WITNESS"
	case 6:
		return "COMPACT_FILTERS"
	case 10:
		return "NETWORK_LIMITED"
	case 11:
		return "P2P_V2"
	}
	return "UNKNOWN[2^" + strconv.FormatUint(uint64(bit), 10) + "]"
}

// ServiceNames returns one name per set bit of services, lowest bit first.
// It never returns nil, so an empty set encodes as [] in JSON.
func ServiceNames(services uint64) []string {
	names := []string{}
	for bit := uint(0); bit < 64; bit++ {
		if services&(1<<bit) != 0 {
			names = append(names, serviceName(bit))
		}
	}
	return names
}
