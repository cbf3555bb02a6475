package jaegertest

import (
	"regexp"
	"strings"
	"testing"
)

// TestConfigListensOnlyOnGivenLoopbackPorts checks that every endpoint in
// the generated configuration is one of the harness's loopback ports and
// that none of the default all-in-one listeners remains.
func TestConfigListensOnlyOnGivenLoopbackPorts(t *testing.T) {
	p := ports{otlpGRPC: 40001, otlpHTTP: 40002, queryHTTP: 40003, queryGRPC: 40004}
	cfg := configYAML(p)
	want := map[string]bool{
		"127.0.0.1:40001": false, "127.0.0.1:40002": false,
		"127.0.0.1:40003": false, "127.0.0.1:40004": false,
	}
	endpoints := regexp.MustCompile(`endpoint: "([^"]*)"`).FindAllStringSubmatch(cfg, -1)
	for _, m := range endpoints {
		seen, ok := want[m[1]]
		if !ok {
			t.Errorf("unexpected endpoint %q", m[1])
		}
		if seen {
			t.Errorf("endpoint %q appears twice", m[1])
		}
		want[m[1]] = true
	}
	for a, seen := range want {
		if !seen {
			t.Errorf("endpoint %s missing", a)
		}
	}
	if n := strings.Count(cfg, "endpoint:"); n != len(endpoints) {
		t.Errorf("%d endpoint keys but %d quoted endpoints", n, len(endpoints))
	}
	for _, gone := range []string{"0.0.0.0", "localhost", "zipkin", "jaeger:", "healthcheck", "zpages", "expvar", "remote_sampling", "8888"} {
		if strings.Contains(cfg, gone) {
			t.Errorf("config still mentions %q", gone)
		}
	}
}
