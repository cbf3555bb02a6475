package peerman

import (
	"bytes"

	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// chainCommand reports whether a message the core passed on (Other) is
// one the chain actor handles: headers, block, getheaders, getblocks,
// getdata, notfound, sendheaders, and inv when it announces a block.
func chainCommand(msg wire.Message) bool {
	switch m := msg.(type) {
	case *wire.MsgHeaders, *wire.MsgBlock, *wire.MsgGetHeaders, *wire.MsgGetBlocks,
		*wire.MsgGetData, *wire.MsgNotFound, *wire.MsgSendHeaders:
		return true
	case *wire.MsgInv:
		for _, iv := range m.InvList {
			if iv.Type == wire.InvTypeBlock || iv.Type == wire.InvTypeWitnessBlock {
				return true
			}
		}
	}
	return false
}

// forwardChain hands a chain message to Config.Chainman as a PeerMessage
// carrying the raw payload of the frame being handled (never re-encoded).
// Without a chain actor, or outside a frame, nothing is sent.
func (p *peer) forwardChain(ctx actor.Context, msg wire.Message) {
	if p.cfg.Chainman == nil || p.frame == nil || !chainCommand(msg) {
		return
	}
	ctx.Send(p.cfg.Chainman, &chainpb.PeerMessage{
		PeerId:           uint64(p.spec.id),
		Command:          p.frame.GetCommand(),
		Payload:          p.frame.GetPayload(),
		RecvTimeUnixNano: p.frame.GetRecvTimeUnixNano(),
		WireSize:         p.frame.GetWireSize(),
	})
}

// sendRaw queues a message the chain actor encoded on the connection,
// counting its wire size like the Peer's own sends. With accounting on,
// small messages (not blocks) are decoded so that what they announce or
// request is counted too; a block sent counts as one.
func (p *peer) sendRaw(ctx actor.Context, m *peermanpb.SendMessage) {
	if p.closed != nil || p.disconnecting {
		return
	}
	cmd := m.GetCommand()
	p.acct.Count(accounting.Sent, cmd, uint64(wireHeaderSize+len(m.GetPayload())))
	if p.accounting() {
		if msg := decodeSent(cmd, m.GetPayload()); msg != nil {
			p.acct.Sent(msg, p.cfg.Clock.Now())
		}
	}
	ctx.Send(p.spec.conn, &sockmanpb.Send{ConnId: uint64(p.spec.connID), Command: cmd, Payload: m.GetPayload()})
}

// decodeSent decodes what the accounting of a sent message needs: getdata
// and inv entries, the header count of headers; a block counts as one sent
// without decoding it. Anything else, or a payload that does not decode,
// gives nil.
func decodeSent(cmd string, payload []byte) wire.Message {
	var msg wire.Message
	switch cmd {
	case wire.CmdBlock:
		return &wire.MsgBlock{}
	case wire.CmdGetData:
		msg = &wire.MsgGetData{}
	case wire.CmdInv:
		msg = &wire.MsgInv{}
	case wire.CmdHeaders:
		msg = &wire.MsgHeaders{}
	default:
		return nil
	}
	if err := msg.BtcDecode(bytes.NewReader(payload), wire.ProtocolVersion, wire.WitnessEncoding); err != nil {
		return nil
	}
	return msg
}
