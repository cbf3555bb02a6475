package loadgen

import (
	"crypto/rand"
	"fmt"
	"net"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Kind is what each connection does after its handshake.
type Kind string

// The kinds of traffic a connection can generate.
const (
	// KindIdle sends nothing; it only answers the node's pings.
	KindIdle Kind = "idle"
	// KindPing sends pings; the node answers each with a pong.
	KindPing Kind = "ping"
	// KindInv sends inv messages announcing one transaction each.
	KindInv Kind = "inv"
	// KindAddr sends addr messages carrying one address each.
	KindAddr Kind = "addr"
	// KindTx sends small, well-formed transactions spending made-up
	// outputs.
	KindTx Kind = "tx"
)

// Kinds lists every Kind, in the order the command line documents them.
var Kinds = []Kind{KindIdle, KindPing, KindInv, KindAddr, KindTx}

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("loadgen: unknown kind %q (want idle, ping, inv, addr or tx)", s)
}

// ringSize is how many distinct frames a batch cycles through.
const ringSize = 64

// batch returns ringSize frames of kind k back to back, encoded once for
// all the writes of one connection.
func batch(bn wire.BitcoinNet, k Kind) ([]byte, error) {
	var out []byte
	for range ringSize {
		msg, err := sample(k)
		if err != nil {
			return nil, err
		}
		if msg == nil {
			return nil, nil
		}
		f, err := encodeMessage(bn, msg)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	return out, nil
}

// sample builds one message of kind k with random content; nil for
// KindIdle.
func sample(k Kind) (wire.Message, error) {
	switch k {
	case KindIdle:
		return nil, nil
	case KindPing:
		return wire.NewMsgPing(randomNonce()), nil
	case KindInv:
		inv := wire.NewMsgInv()
		if err := inv.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, ptr(randomHash()))); err != nil {
			return nil, err
		}
		return inv, nil
	case KindAddr:
		addr := wire.NewMsgAddr()
		h := randomHash()
		ip := net.IPv4(h[0]|1, h[1], h[2], h[3]|1)
		na := wire.NewNetAddressIPPort(ip, 8333, wire.SFNodeNetwork|wire.SFNodeWitness)
		na.Timestamp = time.Unix(time.Now().Unix(), 0)
		if err := addr.AddAddress(na); err != nil {
			return nil, err
		}
		return addr, nil
	case KindTx:
		tx := wire.NewMsgTx(2)
		tx.AddTxIn(wire.NewTxIn(wire.NewOutPoint(ptr(randomHash()), 0), nil, nil))
		tx.AddTxOut(wire.NewTxOut(1000, []byte{0x51}))
		return tx, nil
	}
	return nil, fmt.Errorf("loadgen: unknown kind %q", k)
}

// randomHash returns 32 random bytes as a hash.
func randomHash() chainhash.Hash {
	var h chainhash.Hash
	_, _ = rand.Read(h[:])
	return h
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
