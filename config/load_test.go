package config

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

const layeredFile = `network: regtest
p2p:
  maxconnections: 10
  listen: ["127.0.0.1:1000", "127.0.0.2"]
  dialtimeout: 2s
rpc:
  user: alice
  password: secret
`

func TestFileOverridesDefaults(t *testing.T) {
	c, err := LoadFile(writeConfig(t, layeredFile))
	if err != nil {
		t.Fatal(err)
	}
	if c.Network != "regtest" || c.P2P.MaxConnections != 10 || c.P2P.DialTimeout != 2*time.Second {
		t.Fatalf("file values not applied: %+v", c)
	}
	if c.P2P.MaxSendQueue != 10_000_000 || !c.P2P.DNSSeed {
		t.Fatalf("defaults lost for keys the file does not set: %+v", c.P2P)
	}
}

func TestEnvOverridesFile(t *testing.T) {
	path := writeConfig(t, layeredFile)
	c, err := Load([]string{"--config", path}, testEnv(
		"ACTORNODE_P2P_MAXCONNECTIONS=20",
		"ACTORNODE_P2P_LISTEN=10.0.0.1, 10.0.0.2:9",
		"ACTORNODE_P2P_DNSSEED=false",
		"UNRELATED_P2P_MAXCONNECTIONS=30",
	))
	if err != nil {
		t.Fatal(err)
	}
	if c.P2P.MaxConnections != 20 {
		t.Fatalf("maxconnections = %d, want 20 from the environment", c.P2P.MaxConnections)
	}
	if !slices.Equal(c.P2P.Listen, []string{"10.0.0.1", "10.0.0.2:9"}) {
		t.Fatalf("listen = %q, want the environment's comma-separated list", c.P2P.Listen)
	}
	if c.P2P.DNSSeed {
		t.Fatal("dnsseed not turned off by the environment")
	}
	if c.P2P.DialTimeout != 2*time.Second || c.Network != "regtest" {
		t.Fatalf("file values lost: %+v", c)
	}
}

func TestFlagOverridesEnv(t *testing.T) {
	path := writeConfig(t, layeredFile)
	c, err := Load([]string{"--config=" + path, "--p2p.maxconnections", "30", "--rpc.user=bob"},
		testEnv("ACTORNODE_P2P_MAXCONNECTIONS=20", "ACTORNODE_RPC_USER=carol"))
	if err != nil {
		t.Fatal(err)
	}
	if c.P2P.MaxConnections != 30 || c.RPC.User != "bob" {
		t.Fatalf("flags did not win: maxconnections %d user %q", c.P2P.MaxConnections, c.RPC.User)
	}
	if c.RPC.Password != "secret" {
		t.Fatalf("password = %q, want the file's", c.RPC.Password)
	}
}

func TestFlagNotGivenLeavesFileValue(t *testing.T) {
	path := writeConfig(t, layeredFile)
	// Every key has a flag whose default is the built-in default; none of
	// them may override the file unless given.
	c, err := Load([]string{"--config", path, "--log.level=debug"}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if c.P2P.MaxConnections != 10 || c.Network != "regtest" || c.P2P.DialTimeout != 2*time.Second {
		t.Fatalf("an unset flag overrode the file: %+v", c)
	}
	if !slices.Equal(c.P2P.Listen, []string{"127.0.0.1:1000", "127.0.0.2"}) {
		t.Fatalf("listen = %q, want the file's list", c.P2P.Listen)
	}
	if c.Log.Level != "debug" {
		t.Fatalf("log.level = %q, want debug", c.Log.Level)
	}
}

func TestRepeatedListFlagReplacesFileList(t *testing.T) {
	path := writeConfig(t, layeredFile)
	c, err := Load([]string{"--config", path,
		"--p2p.listen", "192.0.2.1", "--p2p.listen", "[::1]:8333",
		"--p2p.connect=192.0.2.7:18444", "--p2p.connect", "node.example.org"}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.P2P.Listen, []string{"192.0.2.1", "[::1]:8333"}) {
		t.Fatalf("listen = %q, want only the flags' addresses", c.P2P.Listen)
	}
	if !slices.Equal(c.P2P.Connect, []string{"192.0.2.7:18444", "node.example.org"}) {
		t.Fatalf("connect = %q", c.P2P.Connect)
	}
}

func TestEmptyListIsExpressible(t *testing.T) {
	cases := []struct {
		name string
		file string
		args []string
		env  []string
	}{
		{name: "yaml", file: "p2p:\n  listen: []\nrpc:\n  listen: []\n"},
		{name: "flag", args: []string{"--p2p.listen=", "--rpc.listen="}},
		{name: "env", env: []string{"ACTORNODE_P2P_LISTEN=", "ACTORNODE_RPC_LISTEN="}},
		{name: "flag over file", file: "p2p:\n  listen: [1.2.3.4]\n", args: []string{"--p2p.listen=", "--rpc.listen", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = append([]string{"--config", writeConfig(t, tc.file)}, args...)
			}
			c, err := Load(args, testEnv(tc.env...))
			if err != nil {
				t.Fatal(err)
			}
			if len(c.P2P.Listen) != 0 || len(c.RPC.Listen) != 0 {
				t.Fatalf("listen lists not empty: p2p %q rpc %q", c.P2P.Listen, c.RPC.Listen)
			}
			if len(c.P2PListenAddrs()) != 0 || len(c.RPCListenAddrs()) != 0 {
				t.Fatal("listen addresses not empty")
			}
		})
	}
}

func TestBoolFlagWithoutValue(t *testing.T) {
	c, err := Load([]string{"--p2p.dnsseed"}, testEnv("ACTORNODE_P2P_DNSSEED=false"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.P2P.DNSSeed {
		t.Fatal("--p2p.dnsseed did not turn DNS seeding on")
	}
	c, err = Load([]string{"--p2p.dnsseed=false"}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if c.P2P.DNSSeed {
		t.Fatal("--p2p.dnsseed=false did not turn DNS seeding off")
	}
}

func TestUnknownFlag(t *testing.T) {
	_, err := Load([]string{"--p2p.maxconections=5"}, testEnv())
	e := onlyProblem(t, err)
	if e.Layer != LayerFlag || e.Flag != "p2p.maxconections" {
		t.Fatalf("problem %+v does not name the flag", e)
	}
	if want := "flag --p2p.maxconections: unknown flag (did you mean --p2p.maxconnections?)"; e.Error() != want {
		t.Fatalf("message %q, want %q", e.Error(), want)
	}
}

func TestPositionalArgumentIsAnError(t *testing.T) {
	_, err := Load([]string{"--network=regtest", "extra"}, testEnv())
	if e := onlyProblem(t, err); e.Error() != `command line: unexpected argument "extra"` {
		t.Fatalf("message %q", e.Error())
	}
}

func TestFlagNeedsValue(t *testing.T) {
	_, err := Load([]string{"--network"}, testEnv())
	if e := onlyProblem(t, err); e.Flag != "network" || e.Error() != "flag --network: needs a value" {
		t.Fatalf("problem %+v: %v", e, e)
	}
}

func TestHelpFlag(t *testing.T) {
	if _, err := Load([]string{"--help"}, testEnv()); !errors.Is(err, pflag.ErrHelp) {
		t.Fatalf("--help gave %v, want pflag.ErrHelp", err)
	}
}

func TestConfigFileFromEnvironment(t *testing.T) {
	path := writeConfig(t, "network: signet\n")
	c, err := Load(nil, testEnv(EnvConfigFile+"="+path))
	if err != nil {
		t.Fatal(err)
	}
	if c.Network != "signet" {
		t.Fatalf("network = %q, want signet from %s", c.Network, EnvConfigFile)
	}
	other := writeConfig(t, "network: testnet4\n")
	c, err = Load([]string{"--config", other}, testEnv(EnvConfigFile+"="+path))
	if err != nil {
		t.Fatal(err)
	}
	if c.Network != "testnet4" {
		t.Fatalf("network = %q, want testnet4: --config beats %s", c.Network, EnvConfigFile)
	}
}

func TestLoadFlagSetIgnoresCallerFlags(t *testing.T) {
	fs := NewFlagSet("test")
	verbose := fs.Bool("verbose", false, "caller's own flag")
	if err := fs.Parse([]string{"--verbose", "--network=regtest"}); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFlagSet(fs, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if !*verbose || c.Network != "regtest" {
		t.Fatalf("verbose %v network %q", *verbose, c.Network)
	}
	if _, err := LoadFlagSet(NewFlagSet("unparsed"), nil); err == nil {
		t.Fatal("an unparsed flag set was accepted")
	}
}

func TestLoadFileIgnoresEnvironmentAndNeedsPath(t *testing.T) {
	t.Setenv("ACTORNODE_NETWORK", "signet")
	c, err := LoadFile(writeConfig(t, "p2p:\n  maxconnections: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Network != "mainnet" || c.P2P.MaxConnections != 3 {
		t.Fatalf("network %q maxconnections %d", c.Network, c.P2P.MaxConnections)
	}
	if _, err := LoadFile(""); err == nil {
		t.Fatal("LoadFile accepted an empty path")
	}
}

func TestTildeExpansion(t *testing.T) {
	path := writeConfig(t, "datadir: ~/nodes/a\nrpc:\n  cookiefile: ~/cookie\n")
	c, err := Load([]string{"--config", path}, []string{"HOME=/srv/home"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != filepath.Join("/srv/home", "nodes", "a") {
		t.Fatalf("datadir = %q", c.DataDir)
	}
	if c.RPC.CookieFile != filepath.Join("/srv/home", "cookie") {
		t.Fatalf("cookiefile = %q", c.RPC.CookieFile)
	}
	c, err = Load([]string{"--datadir=~"}, []string{"HOME=/srv/home"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/srv/home" {
		t.Fatalf("datadir = %q, want the home directory", c.DataDir)
	}
	c, err = Load([]string{"--datadir=/var/lib/~node"}, []string{"HOME=/srv/home"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/var/lib/~node" {
		t.Fatalf("datadir = %q, a ~ inside a path must stay", c.DataDir)
	}
}

func TestLoadedValuesHaveTheirTypes(t *testing.T) {
	args := []string{
		"--actors.peer.mailbox.kind=dropping", "--actors.peer.mailbox.size=64",
		"--actors.rpc.throughput=7", "--actors.rpc.restarts.max=0", "--actors.rpc.restarts.within=90s",
		"--rpc.maxbodybytes=2048", "--shutdown.timeout=1m30s", "--log.levels.peerman=debug", "--log.format=json",
	}
	c, err := Load(args, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	if c.Actors.Peer.Mailbox != (Mailbox{Kind: "dropping", Size: 64}) {
		t.Fatalf("peer mailbox %+v", c.Actors.Peer.Mailbox)
	}
	if c.Actors.RPC.Throughput != 7 || c.Actors.RPC.Restarts != (Restarts{Max: 0, Within: 90 * time.Second}) {
		t.Fatalf("rpc actor %+v", c.Actors.RPC)
	}
	if c.RPC.MaxBodyBytes != 2048 || c.Shutdown.Timeout != 90*time.Second {
		t.Fatalf("rpc %+v shutdown %+v", c.RPC, c.Shutdown)
	}
	if c.Log.Levels.Peerman != "debug" || c.Log.Format != "json" || c.Log.Levels.Sockman != "" {
		t.Fatalf("log %+v", c.Log)
	}
}
