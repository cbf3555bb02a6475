package rpc_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/actornode/actornode/rpc"
)

// TestGetTelemetryInfo: the answer is what TelemetryStats reports at the
// time of the call, in the documented field order, with lost computed.
func TestGetTelemetryInfo(t *testing.T) {
	var dropped atomic.Uint64
	h := startHarness(t, func(c *rpc.Config) {
		c.TelemetryStats = func() rpc.TelemetryInfo {
			return rpc.TelemetryInfo{
				Traces: rpc.TraceInfo{Sampler: "ratio", Ratio: 0.001, Peers: "dir=inbound", Endpoint: "127.0.0.1:4317",
					Protocol: "grpc", Queued: 10, Exported: 7, Dropped: dropped.Load(), Failed: 3},
				Metrics: rpc.MetricsInfo{Listen: "127.0.0.1:9100"},
			}
		}
	})
	dropped.Store(5)
	_, raw := h.post(t, `{"method":"gettelemetryinfo","params":[],"id":1}`)
	want := `{"result":{"traces":{"sampler":"ratio","ratio":0.001,"peers":"dir=inbound","endpoint":"127.0.0.1:4317",` +
		`"protocol":"grpc","queued":10,"exported":7,"dropped":5,"failed":3,"lost":8},"metrics":{"listen":"127.0.0.1:9100"}},` +
		`"error":null,"id":1}`
	if got := strings.TrimSpace(string(raw)); got != want {
		t.Fatalf("gettelemetryinfo =\n%s\nwant\n%s", got, want)
	}
	dropped.Store(6)
	res := h.call(t, "gettelemetryinfo").(map[string]any)
	if lost := res["traces"].(map[string]any)["lost"]; lost != float64(9) {
		t.Fatalf("lost after one more drop = %v, want 9", lost)
	}
}

func TestGetTelemetryInfoWithoutTelemetry(t *testing.T) {
	h := startHarness(t, nil)
	res := h.call(t, "gettelemetryinfo").(map[string]any)
	traces := res["traces"].(map[string]any)
	if traces["sampler"] != "off" || traces["lost"] != float64(0) || res["metrics"].(map[string]any)["listen"] != "" {
		t.Fatalf("gettelemetryinfo without telemetry = %v", res)
	}
}
