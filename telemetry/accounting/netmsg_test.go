package accounting

import (
	"testing"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// TestNetMsgTable: two peers of one cell add up, another network stays
// apart, merging adds, and entries come sorted.
func TestNetMsgTable(t *testing.T) {
	var live, gone NetMsgTable
	live.AddPeer("ipv4", "inbound", []*peermanpb.MsgTypeStats{
		{Msgtype: "ping", MsgsRecv: 2, BytesRecv: 64, MsgsSent: 1, BytesSent: 32},
	})
	gone.AddPeer("ipv4", "inbound", []*peermanpb.MsgTypeStats{{Msgtype: "ping", MsgsRecv: 1, BytesRecv: 32}})
	gone.AddPeer("ipv6", "manual", []*peermanpb.MsgTypeStats{{Msgtype: "*other*", MsgsRecv: 1, BytesRecv: 30}})
	live.Merge(&gone)
	if got := live.Get(NetMsgKey{"recv", "ipv4", "inbound", "ping"}); got != (NetMsgCell{Count: 3, Bytes: 96}) {
		t.Fatalf("recv ping cell %+v", got)
	}
	e := live.Entries()
	if len(e) != 3 {
		t.Fatalf("entries %v", e)
	}
	order := []string{"recv ipv4 ping", "recv ipv6 *other*", "sent ipv4 ping"}
	for i, want := range order {
		if got := e[i].GetDirection() + " " + e[i].GetNetwork() + " " + e[i].GetMsgtype(); got != want {
			t.Fatalf("entry %d is %q, want %q", i, got, want)
		}
	}
	if e[2].GetCount() != 1 || e[2].GetBytes() != 32 || e[2].GetConnectionType() != "inbound" {
		t.Fatalf("sent entry %v", e[2])
	}
}
