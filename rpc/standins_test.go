package rpc_test

import (
	"net"
	"slices"
	"strconv"
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
// ping on pings; GetPeerStats with testPeerStats selected by a small filter
// language (see selectStats), handing each filter to the test on filters;
// and GetNetMsgStats with testNetMsgEntries.
type testPeerman struct {
	pings   chan<- struct{}
	filters chan<- string
}

func (p *testPeerman) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *peermanpb.GetPeerInfo:
		ctx.Respond(&peermanpb.PeerInfoList{Peers: testSnapshots()})
	case *peermanpb.PingPeers:
		p.pings <- struct{}{}
		ctx.Respond(&peermanpb.PingPeersDone{Peers: uint32(len(testSnapshots()))})
	case *peermanpb.GetPeerStats:
		p.filters <- msg.GetFilter()
		ctx.Respond(selectStats(msg.GetFilter()))
	case *peermanpb.GetNetMsgStats:
		ctx.Respond(&peermanpb.NetMsgStats{Entries: testNetMsgEntries()})
	}
}

// testFilterError is the stand-in's answer to a filter it cannot parse, in
// the form peerman's filter errors take: the position, then the problem.
const testFilterError = `peer filter: column 5: expected a value for dir, found "("`

// selectStats answers a GetPeerStats filter: "" selects every peer,
// "id=N" the peer N, anything else is a parse error.
func selectStats(filter string) *peermanpb.PeerStatsList {
	all := testPeerStats()
	if filter == "" {
		return &peermanpb.PeerStatsList{Peers: all}
	}
	if rest, ok := strings.CutPrefix(filter, "id="); ok {
		out := &peermanpb.PeerStatsList{}
		for _, s := range all {
			if rest == strconv.FormatUint(s.GetPeer().GetPeerId(), 10) {
				out.Peers = append(out.Peers, s)
			}
		}
		return out
	}
	return &peermanpb.PeerStatsList{Error: testFilterError}
}

// testPeerStats wraps testSnapshots: peer 1 has traffic of three message
// types (ping listed twice, to be summed), latencies and memory figures;
// peers 2 and 3 have nothing but their snapshot (no latency summaries).
func testPeerStats() []*peermanpb.PeerStats {
	snaps := testSnapshots()
	return []*peermanpb.PeerStats{
		{
			Peer: snaps[0],
			ByType: []*peermanpb.MsgTypeStats{
				{Msgtype: "version", MsgsRecv: 1, BytesRecv: 126, MsgsSent: 1, BytesSent: 126,
					HandleWallNs: 45_678, HandleCpuNs: 12_345},
				{Msgtype: "ping", MsgsRecv: 2, BytesRecv: 64, HandleWallNs: 1_999, HandleCpuNs: 999},
				{Msgtype: "ping", MsgsRecv: 1, BytesRecv: 32, HandleWallNs: 2_001, HandleCpuNs: 1_001},
				{Msgtype: "tx", MsgsRecv: 5, BytesRecv: 1250, MsgsSent: 2, BytesSent: 500},
			},
			TxAnnouncedByPeer: 10, TxAnnouncedToPeer: 11, TxRequestedFromPeer: 6, TxRequestedByPeer: 2,
			TxReceived: 5, TxSent: 2, BlocksReceived: 3, BlocksSent: 4, HeadersReceived: 7, HeadersSent: 8,
			CmpctReceived: 1, CmpctSent: 9,
			TxLatency:         &peermanpb.LatencyStats{Count: 5, Lost: 1, Unsolicited: 2, MeanUs: 1500, P50Us: 1200, P90Us: 4000},
			BlockLatency:      &peermanpb.LatencyStats{Count: 3, MeanUs: 250_000, P50Us: 200_000, P90Us: 600_000},
			MemSendQueueBytes: 4096, MemRecvUnackedBytes: 512, MemMailboxDepth: 3, MemTrackingBytes: 2048,
			AddrmanEntriesContributed: 42, HandleWallNs: 3_500_999, HandleCpuNs: 1_200_001,
			TimeUnixNano: 1_700_000_123_456_789_000,
		},
		{Peer: snaps[1], TimeUnixNano: 1_700_000_200_000_000_000},
		{Peer: snaps[2], TimeUnixNano: 1_700_000_300_000_001_000},
	}
}

// testNetMsgEntries is node-wide traffic in a few cells; one cell has no
// traffic and must not show.
func testNetMsgEntries() []*peermanpb.NetMsgStatsEntry {
	return []*peermanpb.NetMsgStatsEntry{
		{Direction: "sent", Network: "ipv4", ConnectionType: "outbound-full-relay", Msgtype: "version", Count: 2, Bytes: 252},
		{Direction: "sent", Network: "ipv4", ConnectionType: "inbound", Msgtype: "version", Count: 1, Bytes: 126},
		{Direction: "sent", Network: "ipv6", ConnectionType: "inbound", Msgtype: "ping", Count: 3, Bytes: 96},
		{Direction: "recv", Network: "ipv4", ConnectionType: "outbound-full-relay", Msgtype: "version", Count: 2, Bytes: 252},
		{Direction: "recv", Network: "ipv4", ConnectionType: "outbound-full-relay", Msgtype: "*other*", Count: 1, Bytes: 40},
		{Direction: "recv", Network: "ipv6", ConnectionType: "inbound", Msgtype: "pong", Count: 3, Bytes: 96},
		{Direction: "recv", Network: "onion", ConnectionType: "manual", Msgtype: "pong", Count: 0, Bytes: 0},
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
