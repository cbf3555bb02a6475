package connman

import (
	"net/netip"
	"strconv"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// The JSON-RPC error codes connman answers with (Core's values).
const (
	errInvalidParameter  int32 = -8
	errNodeAlreadyAdded  int32 = -23
	errNodeNotAdded      int32 = -24
	errNodeNotConnected  int32 = -29
	errInvalidIPOrSubnet int32 = -30
)

// success is a successful Result.
func success() *connmanpb.Result { return &connmanpb.Result{Ok: true} }

// failure is a Result carrying an RPC error.
func failure(code int32, msg string) *connmanpb.Result {
	return &connmanpb.Result{ErrorCode: code, Error: msg}
}

// quote quotes s for an error message.
func quote(s string) string { return strconv.Quote(s) }

// addNode is the addnode RPC.
func (a *connmanActor) addNode(ctx actor.Context, m *connmanpb.AddNode) *connmanpb.Result {
	addr := a.cfg.withPort(m.GetAddress())
	if m.GetAddress() == "" {
		return failure(errInvalidParameter, "Error: addnode needs an address")
	}
	switch m.GetCommand() {
	case "add":
		if !a.addTarget(ctx, addr, kindAddNode) {
			return failure(errNodeAlreadyAdded, "Error: Node already added")
		}
		a.log.Info("manual peer added", "address", addr)
		return success()
	case "remove":
		if !a.removeTarget(addr) {
			return failure(errNodeNotAdded, "Error: Node could not be removed. It has not been added previously.")
		}
		a.log.Info("manual peer removed", "address", addr)
		return success()
	case "onetry":
		if why := a.dial(ctx, addr, peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL, nil); why != "" {
			a.log.Warn("addnode onetry refused", "address", addr, "error", why)
		}
		return success()
	}
	return failure(errInvalidParameter, "Error: addnode command must be add, remove or onetry, not "+quote(m.GetCommand()))
}

// disconnectNode is the disconnectnode RPC: by peer id, or by address (the
// remote address, or the address a manual connection was dialled with).
func (a *connmanActor) disconnectNode(ctx actor.Context, m *connmanpb.DisconnectNode) *connmanpb.Result {
	var found *record
	if m.GetByPeerId() {
		for _, r := range a.view.conns {
			if r.peer != nil && r.peerID == actors.PeerID(m.GetPeerId()) {
				found = r
				break
			}
		}
	} else {
		found = a.findByAddress(a.cfg.withPort(m.GetAddress()))
	}
	if found == nil {
		return failure(errNodeNotConnected, "Node not found in connected nodes")
	}
	a.closeConn(ctx, found, peermanpb.DisconnectReason_DISCONNECT_REASON_RPC, "disconnectnode")
	return success()
}

// findByAddress returns the connection whose remote address, or manual
// target address, is addr (compared as IP and port when both parse).
func (a *connmanActor) findByAddress(addr string) *record {
	want, err := netip.ParseAddrPort(addr)
	same := func(s string) bool {
		if s == addr {
			return true
		}
		got, gerr := netip.ParseAddrPort(s)
		return err == nil && gerr == nil && got.Addr().Unmap() == want.Addr().Unmap() && got.Port() == want.Port()
	}
	var best *record
	for _, r := range a.view.conns {
		if same(r.remote) || (r.target != nil && same(r.target.addr)) {
			if best == nil || r.id < best.id {
				best = r
			}
		}
	}
	return best
}
