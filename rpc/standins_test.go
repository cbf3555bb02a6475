package rpc_test

import (
	"net"
	"slices"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// Answers of the stand-ins for connman and sockman.
const (
	testConnTotal     = 7
	testConnIn        = 3
	testConnOut       = 4
	testTotalRecv     = 123456
	testTotalSent     = 654321
	testTotalsUnixNs  = 1_700_000_000_123_456_789
	testTotalsUnixMs  = 1_700_000_000_123
	testConnectedAddr = "10.0.0.1:8333"
	testConnectedID   = 5
)

// testConnman stands in for connman. Besides GetConnectionCounts it keeps a
// small model of Core's bookkeeping (the addnode list, the ban list, one
// connected peer) and refuses commands with Core's codes and messages, so
// the tests see each refusal the way the real connman sends it. Every
// command is also handed to the test on cmds.
type testConnman struct {
	cmds      chan<- any
	added     map[string]bool
	banned    map[string]*connmanpb.BanEntry
	connected map[uint64]string
}

func newTestConnman(cmds chan<- any) *testConnman {
	return &testConnman{
		cmds:      cmds,
		added:     map[string]bool{},
		banned:    map[string]*connmanpb.BanEntry{},
		connected: map[uint64]string{testConnectedID: testConnectedAddr},
	}
}

// refuse is a failed connmanpb.Result.
func refuse(code int32, msg string) *connmanpb.Result {
	return &connmanpb.Result{ErrorCode: code, Error: msg}
}

var okResult = &connmanpb.Result{Ok: true}

func (c *testConnman) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *connmanpb.GetConnectionCounts:
		ctx.Respond(&connmanpb.ConnectionCounts{Total: testConnTotal, Inbound: testConnIn, Outbound: testConnOut})
	case *connmanpb.AddNode:
		c.cmds <- msg
		ctx.Respond(c.addNode(msg))
	case *connmanpb.DisconnectNode:
		c.cmds <- msg
		ctx.Respond(c.disconnect(msg))
	case *connmanpb.SetBan:
		c.cmds <- msg
		ctx.Respond(c.setBan(msg))
	case *connmanpb.ClearBanned:
		c.cmds <- msg
		clear(c.banned)
		ctx.Respond(okResult)
	case *connmanpb.ListBanned:
		keys := make([]string, 0, len(c.banned))
		for k := range c.banned {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		list := &connmanpb.BanList{}
		for _, k := range keys {
			list.Entries = append(list.Entries, c.banned[k])
		}
		ctx.Respond(list)
	}
}

func (c *testConnman) addNode(msg *connmanpb.AddNode) *connmanpb.Result {
	switch msg.GetCommand() {
	case "add":
		if c.added[msg.GetAddress()] {
			return refuse(-23, "Error: Node already added")
		}
		c.added[msg.GetAddress()] = true
	case "remove":
		if !c.added[msg.GetAddress()] {
			return refuse(-24, "Error: Node could not be removed. It has not been added previously.")
		}
		delete(c.added, msg.GetAddress())
	}
	return okResult
}

func (c *testConnman) disconnect(msg *connmanpb.DisconnectNode) *connmanpb.Result {
	for id, addr := range c.connected {
		if (msg.GetByPeerId() && id == msg.GetPeerId()) || (!msg.GetByPeerId() && addr == msg.GetAddress()) {
			delete(c.connected, id)
			return okResult
		}
	}
	return refuse(-29, "Node not found in connected nodes")
}

func (c *testConnman) setBan(msg *connmanpb.SetBan) *connmanpb.Result {
	subnet := msg.GetSubnet()
	if strings.Contains(subnet, "/") {
		_, n, err := net.ParseCIDR(subnet)
		if err != nil {
			return refuse(-30, "Error: Invalid IP/Subnet")
		}
		subnet = n.String()
	} else if net.ParseIP(subnet) == nil {
		return refuse(-30, "Error: Invalid IP/Subnet")
	} else {
		subnet += "/32"
	}
	switch msg.GetCommand() {
	case "add":
		if c.banned[subnet] != nil {
			return refuse(-23, "Error: IP/Subnet already banned")
		}
		const created = 1_700_000_000
		until := created + msg.GetBantime()
		if msg.GetAbsolute() {
			until = msg.GetBantime()
		}
		c.banned[subnet] = &connmanpb.BanEntry{Address: subnet, BanCreated: created, BannedUntil: until,
			BanDuration: until - created, TimeRemaining: until - created - 10}
	case "remove":
		if c.banned[subnet] == nil {
			return refuse(-30, "Error: Unban failed. Requested address/subnet was not previously manually banned.")
		}
		delete(c.banned, subnet)
	}
	return okResult
}

// testPeerman stands in for peerman: it answers GetPeerInfo with
// testSnapshots and PingPeers with their number, telling the test of each
// ping on pings.
type testPeerman struct{ pings chan<- struct{} }

func (p *testPeerman) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *peermanpb.GetPeerInfo:
		ctx.Respond(&peermanpb.PeerInfoList{Peers: testSnapshots()})
	case *peermanpb.PingPeers:
		p.pings <- struct{}{}
		ctx.Respond(&peermanpb.PingPeersDone{Peers: uint32(len(testSnapshots()))})
	}
}

// testSnapshots are three peers: an outbound noban peer with every optional
// figure; an inbound peer without ping figures (-1), addrlocal or services;
// a block-relay-only peer whose ping figures are 0 (a figure, not "none").
func testSnapshots() []*peermanpb.PeerSnapshot {
	return []*peermanpb.PeerSnapshot{
		{
			PeerId: 1, ConnId: 11, Addr: "203.0.113.7:8333", Addrbind: "192.0.2.1:50000",
			Addrlocal: "198.51.100.9:8333", Network: "ipv4", Services: 1 | 8 | 1024,
			Relaytxes: true, LastsendUnix: 1_700_000_100, LastrecvUnix: 1_700_000_101,
			LastTransactionUnix: 1_700_000_050, LastBlockUnix: 0, Bytessent: 2000, Bytesrecv: 3000,
			ConntimeUnix: 1_700_000_000, Timeoffset: -2, PingtimeUs: 1500, MinpingUs: 1_000_000,
			PingwaitUs: 250_000, Version: 70016, Subver: "/Satoshi:27.0.0/", Startingheight: 800_000,
			ConnectionType:        peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
			TransportProtocolType: "v1", Noban: true, Minfeefilter: 1000, HandshakeDone: true,
			AddrRelayEnabled: true, AddrProcessed: 12, AddrRateLimited: 3,
			BytessentPerMsg: map[string]uint64{"version": 126, "verack": 24, "ping": 0, "getaddr": 24},
			BytesrecvPerMsg: map[string]uint64{"version": 126, "*other*": 40, "wtxidrelay": 24, "pong": 0},
		},
		{
			PeerId: 2, ConnId: 12, Addr: "[2001:db8::2]:40000", Addrbind: "[2001:db8::1]:8333",
			Network: "ipv6", Services: 0, LastsendUnix: -1, ConntimeUnix: 1_700_000_200,
			PingtimeUs: -1, MinpingUs: -1, PingwaitUs: -1, Version: 70015, Subver: "/btcd:0.26.2/",
			Inbound: true, ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND,
			AddrRelayEnabled: true,
		},
		{
			PeerId: 3, ConnId: 13, Addr: "198.51.100.20:8333", Addrbind: "192.0.2.1:50001",
			Network: "ipv4", PingtimeUs: 0, MinpingUs: 0, PingwaitUs: -1,
			ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY,
		},
	}
}

// testSockman stands in for sockman: it answers GetNetTotals.
type testSockman struct{}

func (testSockman) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*sockmanpb.GetNetTotals); ok {
		ctx.Respond(&sockmanpb.NetTotals{TotalBytesRecv: testTotalRecv, TotalBytesSent: testTotalSent,
			TimeUnixNano: testTotalsUnixNs})
	}
}
