package wiretest

import (
	"errors"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// ioTimeout is the generous per-operation timeout of these tests.
const ioTimeout = 30 * time.Second

// pair returns two clients connected over loopback TCP: a dialed one and the
// accepted one.
func pair(t *testing.T) (dialed, accepted *Client) {
	t.Helper()
	l, err := Listen(wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dialed, err = Dial(l.Addr(), wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dialed.Close() })
	accepted, err = l.Accept(ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { accepted.Close() })
	return dialed, accepted
}

// frameProblem returns err's FrameProblem, or "" when it is no *FrameError.
func frameProblem(err error) FrameProblem {
	var fe *FrameError
	if errors.As(err, &fe) {
		return fe.Problem
	}
	return ""
}

func TestHandshakeBetweenTwoClients(t *testing.T) {
	out, in := pair(t)
	type result struct {
		v   *wire.MsgVersion
		err error
	}
	done := make(chan result, 1)
	go func() {
		opts := DefaultHandshake()
		opts.UserAgent = "/inbound:1/"
		v, err := in.Handshake(opts)
		done <- result{v, err}
	}()
	opts := DefaultHandshake()
	opts.UserAgent = "/outbound:1/"
	opts.StartHeight = 42
	v, err := out.Handshake(opts)
	if err != nil {
		t.Fatalf("outbound handshake: %v", err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("inbound handshake: %v", r.err)
	}
	if v.UserAgent != "/inbound:1/" || r.v.UserAgent != "/outbound:1/" || r.v.LastBlock != 42 {
		t.Fatalf("versions: outbound saw %q, inbound saw %q height %d", v.UserAgent, r.v.UserAgent, r.v.LastBlock)
	}
	if !out.Features().WtxidRelay || !out.Features().SendAddrV2 || !in.Features().WtxidRelay {
		t.Fatalf("features: outbound %+v, inbound %+v", out.Features(), in.Features())
	}
}

func TestBadChecksumKeepsStreamUsable(t *testing.T) {
	out, in := pair(t)
	payload := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	bad := RawFrame(wire.TestNet, wire.CmdPing, uint32(len(payload)), [4]byte{0, 0, 0, 0}, payload)
	if err := out.WriteRaw(bad); err != nil {
		t.Fatal(err)
	}
	if err := out.WriteMessage(wire.NewMsgPong(7)); err != nil {
		t.Fatal(err)
	}
	_, cmd, err := in.ReadMessage(ioTimeout)
	if frameProblem(err) != ProblemBadChecksum || cmd != wire.CmdPing {
		t.Fatalf("got %q, %v; want bad checksum on ping", cmd, err)
	}
	msg, err := in.Expect(wire.CmdPong, ioTimeout)
	if err != nil || msg.(*wire.MsgPong).Nonce != 7 {
		t.Fatalf("after bad frame: %v, %v", msg, err)
	}
}

func TestUnknownCommandIsKeptRaw(t *testing.T) {
	out, in := pair(t)
	if err := out.WriteRaw(Frame(wire.TestNet, "madeup", []byte("hello"))); err != nil {
		t.Fatal(err)
	}
	msg, cmd, err := in.ReadMessage(ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := msg.(*Unknown)
	if !ok || cmd != "madeup" || string(u.Payload) != "hello" {
		t.Fatalf("got %T %q %+v", msg, cmd, msg)
	}
}

func TestWrongMagicAndOversizedAreReported(t *testing.T) {
	out, in := pair(t)
	if err := out.WriteRaw(Frame(wire.MainNet, wire.CmdVerAck, nil)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in.ReadMessage(ioTimeout); frameProblem(err) != ProblemWrongMagic {
		t.Fatalf("got %v, want wrong magic", err)
	}
	out2, in2 := pair(t)
	if err := out2.WriteRaw(RawFrame(wire.TestNet, wire.CmdBlock, 1<<30, [4]byte{}, nil)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in2.ReadMessage(ioTimeout); frameProblem(err) != ProblemOversized {
		t.Fatalf("got %v, want oversized", err)
	}
}

func TestTimeoutKeepsPartialFrame(t *testing.T) {
	out, in := pair(t)
	frame, err := MessageFrame(wire.TestNet, wire.NewMsgPing(99))
	if err != nil {
		t.Fatal(err)
	}
	if err := out.WriteRaw(frame[:HeaderSize+3]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in.ReadMessage(100 * time.Millisecond); !IsTimeout(err) {
		t.Fatalf("got %v, want timeout", err)
	}
	if err := out.WriteRaw(frame[HeaderSize+3:]); err != nil {
		t.Fatal(err)
	}
	msg, _, err := in.ReadMessage(ioTimeout)
	if err != nil || msg.(*wire.MsgPing).Nonce != 99 {
		t.Fatalf("got %v, %v", msg, err)
	}
}

func TestPingAndAnswerPings(t *testing.T) {
	out, in := pair(t)
	done := make(chan error, 1)
	go func() {
		n, err := in.AnswerPings(2 * time.Second)
		if err == nil && n != 1 {
			err = errors.New("answered a wrong number of pings")
		}
		done <- err
	}()
	rtt, err := out.Ping(1234, ioTimeout)
	if err != nil || rtt <= 0 {
		t.Fatalf("ping: %v, %v", rtt, err)
	}
	if err := <-done; err != nil {
		t.Fatalf("answer pings: %v", err)
	}
}

func TestWaitClosed(t *testing.T) {
	out, in := pair(t)
	if err := in.WaitClosed(100 * time.Millisecond); err == nil {
		t.Fatal("WaitClosed returned nil on an open connection")
	}
	out.Close()
	if err := in.WaitClosed(ioTimeout); err != nil {
		t.Fatalf("WaitClosed after close: %v", err)
	}
}
