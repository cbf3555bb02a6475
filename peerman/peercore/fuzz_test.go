package peercore

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// fuzzCommands are the commands the fuzzer picks from for random payloads:
// every one the core treats specially, a few handed-on ones and unknown
// ones.
var fuzzCommands = []string{
	"version", "verack", "wtxidrelay", "sendaddrv2", "ping", "pong",
	"feefilter", "sendheaders", "sendcmpct", "getaddr", "addr", "addrv2",
	"inv", "getdata", "headers", "getheaders", "getblocks", "tx", "block",
	"notfound", "mempool", "cmpctblock", "", "\x00garbage",
}

// fuzzProgram turns fuzz bytes into a sequence of inputs.
type fuzzProgram struct{ data []byte }

func (p *fuzzProgram) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

func (p *fuzzProgram) bytes(n int) []byte {
	n = min(n, len(p.data))
	b := p.data[:n]
	p.data = p.data[n:]
	return b
}

func FuzzStep(f *testing.F) {
	// Seeds: a full outbound handshake then pings; an inbound one; garbage.
	f.Add([]byte{1, 2, 0x10, 3, 4, 0, 5, 0, 30, 5, 7, 6, 0, 1, 4, 3})
	f.Add([]byte{0, 2, 0x20, 4, 1, 3, 7, 5, 0, 200, 1, 10, 8, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{4, 1, 0, 40, 0xfd, 0xff, 0xff, 1, 0, 255, 0, 255, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &fuzzProgram{data: data}
		ct := ConnType(p.byte()%6) + ConnInbound
		cfg := testConfig(ct)
		now := t0
		s, out, err := New(cfg, now)
		if err != nil {
			t.Fatal(err)
		}
		checkOutputs(t, cfg, false, out)
		var lastPing uint64
		handshakes := 0
		for steps := 0; len(p.data) > 0 && steps < 200; steps++ {
			var in Input
			switch p.byte() % 8 {
			case 0:
				now = now.Add(time.Duration(p.byte()) * 10 * time.Second)
				in = Tick{}
			case 1:
				cmd := fuzzCommands[int(p.byte())%len(fuzzCommands)]
				in = Received{Command: cmd, Payload: p.bytes(int(p.byte()))}
			case 2:
				protos := []int32{70016, 70015, 70012, 60000, 31800, 209}
				v := version(withProtocol(protos[int(p.byte())%len(protos)]),
					withServices(wire.ServiceFlag(p.byte())), withNonce(uint64(p.byte()%2)*selfNonce))
				in = Received{Command: "version", Payload: encode(t, v, 70016)}
			case 3:
				in = Received{Command: "verack"}
			case 4:
				in = Received{Command: []string{"wtxidrelay", "sendaddrv2"}[p.byte()%2]}
			case 5:
				nonce := lastPing
				if p.byte()%4 == 0 {
					nonce = uint64(p.byte())
				}
				now = now.Add(time.Duration(p.byte()) * time.Millisecond)
				in = Received{Command: "pong", Payload: encode(t, wire.NewMsgPong(nonce), 70016)}
			case 6:
				addrs := []book.Address{{Addr: book.AddrFromAddrPort(netip.AddrPortFrom(
					netip.AddrFrom4([4]byte{45, p.byte(), p.byte(), 1}), 8333)), Services: fullServices, Time: now.Unix()}}
				in = []Input{SendPing{}, SetFeeFilter{MinFeeRate: int64(p.byte()) * 100}, EnableSendHeaders{},
					SendAddrs{Addrs: addrs}}[p.byte()%4]
			case 7:
				in = Received{Command: "ping", Payload: encode(t, wire.NewMsgPing(uint64(p.byte())), 70016)}
			}
			wasDisconnected, _ := s.Disconnected()
			wasEstablished := s.Established()
			s, out = Step(s, in, now)
			checkOutputs(t, cfg, wasEstablished, out)
			if wasDisconnected && len(out) != 0 {
				t.Fatalf("outputs after disconnect: %s", describe(out))
			}
			for _, o := range out {
				switch o := o.(type) {
				case HandshakeDone:
					handshakes++
				case Send:
					if ping, ok := o.Msg.(*wire.MsgPing); ok {
						lastPing = ping.Nonce
					}
				}
			}
			if handshakes > 1 {
				t.Fatal("handshake completed twice")
			}
			info := s.Snapshot(now)
			if info.PongsReceived > 0 && info.MinPing > info.LastPing {
				t.Fatalf("min ping %v above last ping %v", info.MinPing, info.LastPing)
			}
			if info.PongsReceived+info.BadPongs > 0 && info.Handshake != Established {
				t.Fatal("pongs counted before the handshake")
			}
			if info.PingNonce != 0 && info.PingsSent == 0 {
				t.Fatal("outstanding ping never sent")
			}
		}
	})
}

// checkOutputs asserts the invariants of one output list.
func checkOutputs(t *testing.T, cfg Config, established bool, out []Output) {
	t.Helper()
	disconnected := false
	for i, o := range out {
		if _, ok := o.(Changed); ok && i != len(out)-1 {
			t.Fatalf("Changed is not last: %s", describe(out))
		}
		if disconnected {
			switch o.(type) {
			case Changed:
			default:
				t.Fatalf("output after Disconnect: %s", describe(out))
			}
		}
		switch o := o.(type) {
		case Send:
			var buf bytes.Buffer
			if err := o.Msg.BtcEncode(&buf, o.ProtocolVersion, wire.WitnessEncoding); err != nil {
				t.Fatalf("our %s does not encode at %d: %v", o.Msg.Command(), o.ProtocolVersion, err)
			}
		case Disconnect:
			disconnected = true
		case Misbehaving:
			if cfg.ConnType == ConnManual {
				t.Fatal("misbehaving reported for a manual peer")
			}
			if i+1 >= len(out) {
				t.Fatalf("Misbehaving is last: %s", describe(out))
			}
			if next, ok := out[i+1].(Disconnect); !ok || next.Reason != o.Reason {
				t.Fatalf("Misbehaving not followed by its Disconnect: %s", describe(out))
			}
		case Other, GetAddrRequest:
			if !established {
				t.Fatalf("%T before the handshake: %s", o, describe(out))
			}
		case AddrReceived:
			if !established || len(o.Addrs) == 0 || cfg.ConnType == ConnBlockRelayOnly {
				t.Fatalf("AddrReceived of %d addresses (established %v, %s)", len(o.Addrs), established, cfg.ConnType)
			}
		case RelayAddrs:
			if !established || len(o.Addrs) == 0 || len(o.Addrs) > MaxAddrToRelay {
				t.Fatalf("RelayAddrs of %d addresses (established %v)", len(o.Addrs), established)
			}
		}
	}
}
