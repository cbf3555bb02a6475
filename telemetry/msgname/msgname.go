package msgname

import (
	"reflect"
	"strings"
	"sync"

	"google.golang.org/protobuf/proto"
)

// Name is the short and full name of one message type.
type Name struct {
	// Short is the bare name: GetPeerInfo, Frame, peerTick.
	Short string
	// Full is qualified: actornode.peerman.v1.GetPeerInfo, peerman.peerTick.
	Full string
}

// Cache remembers the names of the message types it has seen. The zero
// value is ready; it is safe for concurrent use and never allocates for a
// type it has seen.
type Cache struct{ m sync.Map } // reflect.Type -> Name

// Of returns the names of msg's type.
func (c *Cache) Of(msg any) Name {
	rt := reflect.TypeOf(msg)
	if v, ok := c.m.Load(rt); ok {
		return v.(Name)
	}
	n := Of(msg)
	c.m.Store(rt, n)
	return n
}

// Of computes the names of msg's type without a cache.
func Of(msg any) Name {
	if pm, ok := msg.(proto.Message); ok {
		d := pm.ProtoReflect().Descriptor()
		return Name{Short: string(d.Name()), Full: string(d.FullName())}
	}
	rt := reflect.TypeOf(msg)
	if rt == nil {
		return Name{Short: "nil", Full: "nil"}
	}
	full := strings.TrimLeft(rt.String(), "*")
	short := full
	if i := strings.LastIndexByte(short, '.'); i >= 0 {
		short = short[i+1:]
	}
	return Name{Short: short, Full: full}
}
