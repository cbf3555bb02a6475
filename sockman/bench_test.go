package sockman

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// benchPayloads are the payload sizes the framing benchmarks use: a ping
// (8 bytes) and 1 MB.
var benchPayloads = []struct {
	name string
	size int
}{{"ping", 8}, {"1MB", 1 << 20}}

func BenchmarkFrameEncode(b *testing.B) {
	for _, p := range benchPayloads {
		b.Run(p.name, func(b *testing.B) {
			payload := make([]byte, p.size)
			var hdr [HeaderSize]byte
			b.ReportAllocs()
			b.SetBytes(int64(HeaderSize + p.size))
			for b.Loop() {
				if err := PutHeader(hdr[:], testNet, "ping", payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// repeatReader serves the same bytes forever.
type repeatReader struct {
	data []byte
	off  int
}

// Read copies from data, wrapping around at its end.
func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.data[r.off:])
	r.off = (r.off + n) % len(r.data)
	return n, nil
}

func BenchmarkFrameDecode(b *testing.B) {
	for _, p := range benchPayloads {
		b.Run(p.name, func(b *testing.B) {
			frame, err := AppendFrame(nil, testNet, "ping", make([]byte, p.size))
			if err != nil {
				b.Fatal(err)
			}
			dec := NewDecoder(&repeatReader{data: frame}, testNet, 0)
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				if _, err := dec.Next(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// echoRoundTrips writes a ping frame to nc and reads the echo, b.N times.
func echoRoundTrips(b *testing.B, nc net.Conn) {
	frame := btcdFrame(b, wire.NewMsgPing(7))
	reply := make([]byte, len(frame))
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	for range b.N {
		if _, err := nc.Write(frame); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(nc, reply); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if !bytes.Equal(reply, frame) {
		b.Fatal("echo differs from the ping sent")
	}
}

func BenchmarkEchoRawTCP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		srv, err := ln.Accept()
		if err != nil {
			return
		}
		defer srv.Close()
		// The same decoding and encoding as sockman, without actors.
		dec := NewDecoder(bufio.NewReaderSize(srv, ioBufferSize), testNet, 0)
		var out []byte
		for {
			f, err := dec.Next()
			if err != nil {
				return
			}
			out, _ = AppendFrame(out[:0], testNet, f.Command, f.Payload)
			if _, err := srv.Write(out); err != nil {
				return
			}
		}
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	echoRoundTrips(b, nc)
}

// echoer is an actor that manages connections and sends each Frame back.
type echoer struct {
	conns map[uint64]*actor.PID
}

// Receive starts every opened connection with itself as owner and echoes.
func (e *echoer) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *sockmanpb.Opened:
		e.conns[m.GetConnId()] = m.GetConn()
		ctx.Send(m.GetConn(), &sockmanpb.Start{ConnId: m.GetConnId(), Owner: ctx.Self()})
	case *sockmanpb.Frame:
		ctx.Send(e.conns[m.GetConnId()], &sockmanpb.Send{ConnId: m.GetConnId(), Command: m.GetCommand(), Payload: m.GetPayload()})
	case *sockmanpb.Closed:
		delete(e.conns, m.GetConnId())
	}
}

func BenchmarkEchoSockman(b *testing.B) {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	sm := sys.Root.Spawn(actor.PropsFromProducer(NewActor(Config{Net: testNet})))
	defer func() { _ = sys.Root.StopFuture(sm).Wait() }()
	echo := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &echoer{conns: map[uint64]*actor.PID{}} }))
	res, err := sys.Root.RequestFuture(sm, &sockmanpb.Listen{Address: "127.0.0.1:0", Manager: echo}, waitLong).Result()
	if err != nil {
		b.Fatal(err)
	}
	nc, err := net.Dial("tcp", res.(*sockmanpb.Listening).GetBoundAddress())
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	echoRoundTrips(b, nc)
}
