package rpc

import (
	"github.com/actornode/actornode/connman/connmanpb"
)

// The commands addnode accepts.
const (
	addNodeAdd    = "add"
	addNodeRemove = "remove"
	addNodeOneTry = "onetry"
)

// Messages of the node commands, Core's wording.
const (
	msgOnlyOneOfAddressAndID = "Only one of address and nodeid should be provided."
	msgNodeNotConnected      = "Node not found in connected nodes"
	msgV2TransportRefused    = "Error: v2transport requested but not supported by this node"
)

// nodeMethods returns addnode and disconnectnode.
func nodeMethods() []Method {
	return []Method{
		{
			Name:     "addnode",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "node"}, {Name: "command"}, {Name: "v2transport", Optional: true}},
			Help: `addnode "node" "command" ( v2transport )

Adds a node to the list of manual connections, removes one from it, or tries
one connection to a node. Manual peers are never punished for misbehaviour.

Arguments:
1. node           (string, required) The node's address, "host:port".
2. command        (string, required) "add" to add it to the list, "remove" to remove it,
                  "onetry" to try one connection now.
3. v2transport    (boolean, optional, default=false) Ask for the encrypted transport;
                  refused, as the node speaks only v1.

Result:
null    (json null)

Errors:
-23 "Error: Node already added"
-24 "Error: Node could not be removed. It has not been added previously."`,
			Handler: func(call *Call, params Params) (any, error) {
				command, err := params.String(1, "")
				if err != nil {
					return nil, err
				}
				switch command {
				case addNodeAdd, addNodeRemove, addNodeOneTry:
				default:
					return nil, call.HelpError()
				}
				node, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				v2, err := params.Bool(2, false)
				if err != nil {
					return nil, err
				}
				if v2 {
					return nil, NewError(CodeInvalidParameter, "%s", msgV2TransportRefused)
				}
				return nil, askConnman(call, &connmanpb.AddNode{Address: node, Command: command},
					NewError(CodeMisc, "addnode %s %s refused", command, node))
			},
		},
		{
			Name:     "disconnectnode",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "address", Optional: true}, {Name: "nodeid", Optional: true}},
			Help: `disconnectnode ( "address" nodeid )

Disconnects a peer at once. Exactly one of address and nodeid names the peer;
to use nodeid, leave address out (named parameters) or pass "".

Arguments:
1. address    (string, optional) The peer's address, "host:port", as getpeerinfo shows it.
2. nodeid     (numeric, optional) The peer's id (see getpeerinfo).

Result:
null    (json null)

Errors:
-32602 "Only one of address and nodeid should be provided."
-29 "Node not found in connected nodes"`,
			Handler: func(call *Call, params Params) (any, error) {
				msg, err := disconnectTarget(params)
				if err != nil {
					return nil, err
				}
				notFound := NewError(CodeClientNodeNotConnected, "%s", msgNodeNotConnected)
				if msg == nil {
					return nil, notFound
				}
				return nil, askConnman(call, msg, notFound)
			},
		},
	}
}

// disconnectTarget applies Core's rule for disconnectnode's arguments: an
// address alone, or a nodeid with the address absent or "". Anything else is
// CodeInvalidParams. A negative nodeid names no peer: it yields a nil
// message and no error.
func disconnectTarget(params Params) (*connmanpb.DisconnectNode, error) {
	hasAddr, hasID := params.Has(0), params.Has(1)
	if hasAddr && !hasID {
		addr, err := params.String(0, "")
		if err != nil {
			return nil, err
		}
		return &connmanpb.DisconnectNode{Address: addr}, nil
	}
	if hasID && (!hasAddr || isEmptyString(params, 0)) {
		id, err := params.Int64(1, 0)
		if err != nil {
			return nil, err
		}
		if id < 0 {
			return nil, nil
		}
		return &connmanpb.DisconnectNode{PeerId: uint64(id), ByPeerId: true}, nil
	}
	return nil, NewError(CodeInvalidParams, "%s", msgOnlyOneOfAddressAndID)
}

// isEmptyString reports whether parameter i is the JSON string "".
func isEmptyString(params Params, i int) bool {
	if jsonKind(params.Raw(i)) != kindString {
		return false
	}
	s, err := params.String(i, "")
	return err == nil && s == ""
}
