package peerman

import "maps"

// OtherCommand is the key under which bytes of unknown commands and of
// dropped frames (bad checksum) are counted, as in Core's getpeerinfo.
const OtherCommand = "*other*"

// msgCounts counts wire bytes (24-byte header plus payload) per command in
// one direction. It belongs to one Peer actor and is never shared: a
// snapshot gets a copy.
type msgCounts map[string]uint64

// add counts size bytes under command.
func (c msgCounts) add(command string, size uint64) { c[command] += size }

// has reports whether command was counted before.
func (c msgCounts) has(command string) bool {
	_, ok := c[command]
	return ok
}

// total returns the sum over every command.
func (c msgCounts) total() uint64 {
	var n uint64
	for _, v := range c {
		n += v
	}
	return n
}

// clone returns an independent copy, for a snapshot.
func (c msgCounts) clone() map[string]uint64 { return maps.Clone(map[string]uint64(c)) }
