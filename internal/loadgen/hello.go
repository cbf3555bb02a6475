package loadgen

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"net"

	"github.com/btcsuite/btcd/wire/v2"
)

// UserAgent is the user agent the client announces.
const UserAgent = "/loadgen:0.1.0/"

// clientServices are the services the client claims, as a modern full
// node would (btcd refuses outbound peers without NODE_NETWORK; claiming
// it keeps the client acceptable to any node).
const clientServices = wire.SFNodeNetwork | wire.SFNodeWitness | wire.SFNodeNetworkLimited

// helloFrames returns the client's side of the handshake in one buffer:
// version, wtxidrelay, sendaddrv2 and verack.
func helloFrames(bn wire.BitcoinNet, nc net.Conn) ([]byte, error) {
	you := netAddress(nc.RemoteAddr())
	me := netAddress(nc.LocalAddr())
	v := wire.NewMsgVersion(me, you, randomNonce(), 0)
	v.ProtocolVersion = protocolVersion
	v.Services = clientServices
	v.UserAgent = UserAgent
	v.DisableRelayTx = false
	out, err := encodeMessage(bn, v)
	if err != nil {
		return nil, err
	}
	out = appendFrame(out, bn, wire.CmdWTxIdRelay, nil)
	out = appendFrame(out, bn, wire.CmdSendAddrV2, nil)
	return appendFrame(out, bn, wire.CmdVerAck, nil), nil
}

// netAddress converts a TCP address into the version message's form.
func netAddress(a net.Addr) *wire.NetAddress {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return wire.NewNetAddressIPPort(net.IPv4zero, 0, 0)
	}
	return wire.NewNetAddressIPPort(tcp.IP, uint16(tcp.Port), 0)
}

// randomNonce returns a random non-zero 64-bit number.
func randomNonce() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		if n := binary.LittleEndian.Uint64(b[:]); n != 0 {
			return n
		}
	}
}

// bytesReader wraps b for a decoder.
func bytesReader(b []byte) *bytes.Buffer { return bytes.NewBuffer(b) }
