package dump

// departedCapacity is how many departed peer ids are remembered.
const departedCapacity = 4096

// departed remembers the ids of the most recently departed peers, so that
// a second final record, or periodic stats gathered before the peer left
// but arriving after its final record, are left out. It forgets the
// oldest id once full.
type departed struct {
	set  map[uint64]struct{}
	ring []uint64
	next int
}

// newDeparted returns an empty set holding up to capacity ids.
func newDeparted(capacity int) *departed {
	return &departed{set: make(map[uint64]struct{}, capacity), ring: make([]uint64, 0, capacity)}
}

// has reports whether id departed recently.
func (d *departed) has(id uint64) bool {
	_, ok := d.set[id]
	return ok
}

// add remembers id, forgetting the oldest id when full.
func (d *departed) add(id uint64) {
	if d.has(id) {
		return
	}
	if len(d.ring) < cap(d.ring) {
		d.ring = append(d.ring, id)
	} else {
		delete(d.set, d.ring[d.next])
		d.ring[d.next] = id
		d.next = (d.next + 1) % len(d.ring)
	}
	d.set[id] = struct{}{}
}
