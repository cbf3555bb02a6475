package config

import (
	"strings"
	"testing"
)

func TestTraceRatioIsANumberInRange(t *testing.T) {
	c, err := Load([]string{"--telemetry.traces.ratio", "0.25"}, testEnv())
	if err != nil || c.Telemetry.Traces.Ratio != 0.25 {
		t.Fatalf("flag 0.25: ratio %v, err %v", c.Telemetry.Traces.Ratio, err)
	}
	c, err = Load(nil, testEnv("ACTORNODE_TELEMETRY_TRACES_RATIO=1e-2"))
	if err != nil || c.Telemetry.Traces.Ratio != 0.01 {
		t.Fatalf("env 1e-2: ratio %v, err %v", c.Telemetry.Traces.Ratio, err)
	}
	// YAML reads 1 as an integer; it is a number too.
	c, err = LoadFile(writeConfig(t, nestedYAML("telemetry.traces.ratio", "1")))
	if err != nil || c.Telemetry.Traces.Ratio != 1 {
		t.Fatalf("file 1: ratio %v, err %v", c.Telemetry.Traces.Ratio, err)
	}
	for _, tc := range []struct{ value, want string }{
		{"1.5", "expected a number from 0 to 1, got 1.5"},
		{"-0.1", "expected a number from 0 to 1, got -0.1"},
		{`"0.5"`, "expected a number from 0 to 1, got"},
		{".nan", "expected a number from 0 to 1, got"},
	} {
		_, err := LoadFile(writeConfig(t, nestedYAML("telemetry.traces.ratio", tc.value)))
		if err == nil || !strings.Contains(err.Error(), "telemetry.traces.ratio") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ratio %s: error %v, want one naming the key and %q", tc.value, err, tc.want)
		}
		if err != nil && !strings.Contains(err.Error(), "node.yaml:3") {
			t.Errorf("ratio %s: error %v does not name file and line", tc.value, err)
		}
	}
	if _, err := Load([]string{"--telemetry.traces.ratio", "NaN"}, testEnv()); err == nil {
		t.Error("flag NaN accepted")
	}
	if _, err := Load([]string{"--telemetry.traces.ratio", "lots"}, testEnv()); err == nil ||
		!strings.Contains(err.Error(), "flag --telemetry.traces.ratio") {
		t.Errorf("flag lots: %v", err)
	}
}

func TestTracePeerFilterIsCheckedAtLoad(t *testing.T) {
	c, err := Load([]string{"--telemetry.traces.peers", "addr=10.0.0.0/8 or dir=inbound"}, testEnv())
	if err != nil || c.Telemetry.Traces.Peers != "addr=10.0.0.0/8 or dir=inbound" {
		t.Fatalf("good filter: %+v %v", c.Telemetry.Traces, err)
	}
	_, err = LoadFile(writeConfig(t, nestedYAML("telemetry.traces.peers", `"addr=nowhere"`)))
	if err == nil || !strings.Contains(err.Error(), "node.yaml:3") || !strings.Contains(err.Error(), "telemetry.traces.peers") ||
		!strings.Contains(err.Error(), "column 6") {
		t.Fatalf("bad filter: %v, want file, line, key and column", err)
	}
}

func TestTraceSamplerProtocolAndQueue(t *testing.T) {
	for _, args := range [][]string{
		{"--telemetry.traces.sampler", "sometimes"},
		{"--telemetry.traces.protocol", "udp"},
		{"--telemetry.traces.queuesize", "0"},
		{"--telemetry.metrics.listen", "127.0.0.1"},
		{"--telemetry.metrics.listen", "127.0.0.1:http"},
	} {
		_, err := Load(args, testEnv())
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: error %v, want one naming the flag", args, err)
		}
	}
	c, err := Load([]string{"--telemetry.traces.sampler", "always", "--telemetry.metrics.listen", "127.0.0.1:0"}, testEnv())
	if err != nil || c.Telemetry.Traces.Sampler != SamplerAlways || c.Telemetry.Metrics.Listen != "127.0.0.1:0" {
		t.Fatalf("%+v %v", c.Telemetry, err)
	}
}

func TestHTTPProtocolMovesTheDefaultEndpoint(t *testing.T) {
	c, err := Load([]string{"--telemetry.traces.protocol", "http"}, testEnv())
	if err != nil || c.Telemetry.Traces.Endpoint != DefaultTraceHTTPEndpoint {
		t.Fatalf("http with the default endpoint: %+v %v", c.Telemetry.Traces, err)
	}
	c, err = Load([]string{"--telemetry.traces.protocol", "http", "--telemetry.traces.endpoint", "127.0.0.1:4317"}, testEnv())
	if err != nil || c.Telemetry.Traces.Endpoint != "127.0.0.1:4317" {
		t.Fatalf("an endpoint given explicitly is kept: %+v %v", c.Telemetry.Traces, err)
	}
	c, err = Load(nil, testEnv())
	if err != nil || c.Telemetry.Traces.Endpoint != DefaultTraceGRPCEndpoint {
		t.Fatalf("grpc default: %+v %v", c.Telemetry.Traces, err)
	}
}
