package jaegertest

import (
	"fmt"
	"net"
)

// ports are the loopback TCP ports one Jaeger process listens on.
type ports struct {
	// otlpGRPC receives OTLP over gRPC (Jaeger's default 4317).
	otlpGRPC int
	// otlpHTTP receives OTLP over HTTP (default 4318).
	otlpHTTP int
	// queryHTTP serves the JSON API and the UI (default 16686).
	queryHTTP int
	// queryGRPC serves the query gRPC API (default 16685).
	queryGRPC int
}

// pickPorts returns four distinct free loopback ports. Another process may
// take one before Jaeger binds it; Start retries with new ports then.
func pickPorts() (ports, error) {
	var got []int
	seen := make(map[int]bool)
	for len(got) < 4 {
		p, err := freePort()
		if err != nil {
			return ports{}, err
		}
		if !seen[p] {
			seen[p] = true
			got = append(got, p)
		}
	}
	return ports{otlpGRPC: got[0], otlpHTTP: got[1], queryHTTP: got[2], queryGRPC: got[3]}, nil
}

// freePort asks the kernel for an unused loopback TCP port by listening on
// port 0 and closing the listener.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
