package config

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestDefaultsLoadAndValidate(t *testing.T) {
	c, err := Load(nil, testEnv())
	if err != nil {
		t.Fatalf("defaults do not load: %v", err)
	}
	want := Config{
		Network: "mainnet",
		DataDir: "/home/tester/.actornode",
		Log:     Log{Level: "info", Format: "text"},
		P2P: P2P{
			Listen: []string{"0.0.0.0"}, Connect: []string{}, AddNode: []string{},
			MaxConnections: 200, DNSSeed: true, DialTimeout: 5 * time.Second, MaxSendQueue: 10_000_000, MaxRecvBuffer: 5_000_000,
			MaxOutbound: 8, MaxBlockRelay: 2, HandshakeTimeout: time.Minute, InactivityTimeout: 20 * time.Minute,
			PingInterval: 2 * time.Minute, PingTimeout: 20 * time.Minute, BanTime: 24 * time.Hour,
		},
		RPC:      RPC{Listen: []string{"127.0.0.1"}, MaxBodyBytes: 10_485_760},
		Shutdown: Shutdown{Timeout: 5 * time.Second},
		Telemetry: Telemetry{
			Traces:     Traces{Sampler: "off", Ratio: 0.001, Endpoint: "127.0.0.1:4317", Protocol: "grpc", QueueSize: 4096},
			Accounting: Accounting{Enabled: true},
			Dump:       Dump{Enabled: true, Interval: time.Minute, MaxBytes: 16 << 20, MaxFiles: 4},
		},
		Capture: Capture{Filter: "all", MaxSessionBytes: 100 << 20, MaxTotalBytes: 1 << 30, QueueBytes: 64 << 20},
		Chain:   Chain{FlushInterval: time.Second, ProgressInterval: 10 * time.Second},
	}
	actor := Actor{Mailbox: Mailbox{Kind: "unbounded"}, Throughput: 300, Restarts: Restarts{Max: 5, Within: time.Minute}}
	want.Actors = Actors{Sockman: actor, Connman: actor, Peerman: actor, Addrman: actor, RPC: actor, Telemetry: actor, Chainman: actor, Peer: actor}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestDefaultsYAMLRoundTrips(t *testing.T) {
	path := writeConfig(t, string(DefaultsYAML()))
	fromFile, err := LoadFile(path)
	if err != nil {
		t.Fatalf("printed defaults do not load: %v", err)
	}
	builtIn := Default()
	if !reflect.DeepEqual(fromFile, builtIn) {
		t.Fatalf("printed defaults differ from built-in:\n file %+v\n built %+v", fromFile, builtIn)
	}
}

func TestDefaultsYAMLIsACopy(t *testing.T) {
	a := DefaultsYAML()
	a[0] = 'X'
	if b := DefaultsYAML(); bytes.Equal(a, b) {
		t.Fatal("DefaultsYAML returned the embedded bytes, not a copy")
	}
}

func TestDefaultsSetEveryKeyAndNoOther(t *testing.T) {
	var got []string
	for k := range defaultValues() {
		got = append(got, k)
	}
	slices.Sort(got)
	if want := Keys(); !slices.Equal(got, want) {
		t.Fatalf("defaults.yaml keys differ from Config keys:\n got %v\nwant %v", got, want)
	}
}

func TestKeysAreSortedEnvSafeAndDescribed(t *testing.T) {
	keys := Keys()
	if !slices.IsSorted(keys) {
		t.Fatal("Keys() is not sorted")
	}
	if len(keys) != 92 {
		t.Fatalf("Keys() has %d keys, want 92", len(keys))
	}
	for _, k := range keys {
		for _, r := range k {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.') {
				t.Errorf("key %q has character %q; keys must be lower-case letters, digits and dots", k, r)
			}
		}
		if specFor(k).usage == "" {
			t.Errorf("key %q has no description", k)
		}
	}
}

func TestEnvVar(t *testing.T) {
	if got := EnvVar("p2p.maxconnections"); got != "ACTORNODE_P2P_MAXCONNECTIONS" {
		t.Fatalf("EnvVar = %q", got)
	}
}
