package accounting

import (
	"maps"
	"slices"
	"time"
)

// OtherType is the message type under which unknown commands and dropped
// frames are counted, as in Core's getpeerinfo.
const OtherType = "*other*"

// Direction is which way a message went.
type Direction uint8

// The two directions, named as getnetmsgstats names them.
const (
	// Recv is a message the peer sent us.
	Recv Direction = iota
	// Sent is a message we sent the peer.
	Sent
)

// String returns "recv" or "sent".
func (d Direction) String() string {
	if d == Sent {
		return "sent"
	}
	return "recv"
}

// TypeCounts are one message type's figures in both directions. Bytes are
// wire bytes: the 24-byte header plus the payload.
type TypeCounts struct {
	// MsgsRecv and BytesRecv count messages received.
	MsgsRecv, BytesRecv uint64
	// MsgsSent and BytesSent count messages sent (queued on the socket).
	MsgsSent, BytesSent uint64
}

// typeEntry is everything Traffic keeps about one message type: one map
// entry, so that a received message costs one lookup.
type typeEntry struct {
	counts TypeCounts
	cost   Cost
}

// Traffic counts messages and wire bytes per message type in both
// directions, and the handling cost of received ones (see Cost). The zero
// value is ready to use.
type Traffic struct {
	// CPUEvery measures the CPU time of every CPUEvery-th received message
	// of each type (the first one always); 0 and 1 measure every message.
	CPUEvery uint64

	types  map[string]*typeEntry
	unseen uint64 // sampling decisions about types never recorded
}

// entry returns msgtype's entry, creating it.
func (t *Traffic) entry(msgtype string) *typeEntry {
	e := t.types[msgtype]
	if e == nil {
		if t.types == nil {
			t.types = make(map[string]*typeEntry)
		}
		e = new(typeEntry)
		t.types[msgtype] = e
	}
	return e
}

// Count adds one message of wireBytes bytes of msgtype in direction d.
func (t *Traffic) Count(d Direction, msgtype string, wireBytes uint64) {
	t.entry(msgtype).counts.add(d, wireBytes)
}

// add counts one message of wireBytes bytes in direction d.
func (c *TypeCounts) add(d Direction, wireBytes uint64) {
	if d == Sent {
		c.MsgsSent++
		c.BytesSent += wireBytes
		return
	}
	c.MsgsRecv++
	c.BytesRecv += wireBytes
}

// Has reports whether a message of msgtype was counted in direction d.
func (t *Traffic) Has(d Direction, msgtype string) bool {
	e := t.types[msgtype]
	if e == nil {
		return false
	}
	c := &e.counts
	if d == Sent {
		return c.MsgsSent > 0
	}
	return c.MsgsRecv > 0
}

// Get returns msgtype's figures (zero when never counted).
func (t *Traffic) Get(msgtype string) TypeCounts {
	if e := t.types[msgtype]; e != nil {
		return e.counts
	}
	return TypeCounts{}
}

// Cost returns the handling cost of msgtype (zero when never recorded).
func (t *Traffic) Cost(msgtype string) Cost {
	if e := t.types[msgtype]; e != nil {
		return e.cost
	}
	return Cost{}
}

// TotalCost returns the handling cost over every type, and the CPU time
// as the sum of the per-type CPU figures, each scaled on its own.
func (t *Traffic) TotalCost() (total Cost, cpu time.Duration) {
	for _, e := range t.types {
		total.add(e.cost)
		cpu += e.cost.CPU()
	}
	return total, cpu
}

// measureCPU decides whether the next received message whose type's entry
// is e (nil for a type never recorded) has its CPU time measured. Types
// never recorded share one counter, so that a stream of distinct unknown
// commands is sampled too.
func (t *Traffic) measureCPU(e *typeEntry) bool {
	if t.CPUEvery <= 1 {
		return true
	}
	if e == nil {
		t.unseen++
		return t.unseen%t.CPUEvery == 1
	}
	return e.cost.Handled%t.CPUEvery == 0
}

// Types returns every counted message type, sorted.
func (t *Traffic) Types() []string {
	return slices.Sorted(maps.Keys(t.types))
}

// Len returns the number of message types counted.
func (t *Traffic) Len() int { return len(t.types) }

// Total returns the messages and bytes of every type in direction d.
func (t *Traffic) Total(d Direction) (msgs, bytes uint64) {
	for _, e := range t.types {
		if d == Sent {
			msgs += e.counts.MsgsSent
			bytes += e.counts.BytesSent
		} else {
			msgs += e.counts.MsgsRecv
			bytes += e.counts.BytesRecv
		}
	}
	return msgs, bytes
}

// BytesPerMsg returns a fresh map of wire bytes per message type in
// direction d (getpeerinfo's bytessent_per_msg and bytesrecv_per_msg),
// holding only the types with a message in that direction.
func (t *Traffic) BytesPerMsg(d Direction) map[string]uint64 {
	out := make(map[string]uint64, len(t.types))
	for k, e := range t.types {
		if d == Sent && e.counts.MsgsSent > 0 {
			out[k] = e.counts.BytesSent
		} else if d == Recv && e.counts.MsgsRecv > 0 {
			out[k] = e.counts.BytesRecv
		}
	}
	return out
}
