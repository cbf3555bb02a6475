package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/rpc"
)

func TestCLIConvertArgs(t *testing.T) {
	cases := []struct{ arg, want string }{
		{"5", `5`},
		{"-1.5", `-1.5`},
		{"1e3", `1e3`},
		{" 7 ", `7`},
		{"true", `true`},
		{"false", `false`},
		{"null", `null`},
		{`{"a": 1, "b": [true]}`, `{"a":1,"b":[true]}`},
		{`["network", "message_type"]`, `["network","message_type"]`},
		{`"5"`, `"5"`},
		{"dir=inbound", `"dir=inbound"`},
		{"203.0.113.7:8333", `"203.0.113.7:8333"`},
		{"[2001:db8::1]:8333", `"[2001:db8::1]:8333"`},
		{"", `""`},
		{"True", `"True"`},
		{"0x10", `"0x10"`},
		{"1 2", `"1 2"`},
		{"[1,", `"[1,"`},
		{`say "hi"`, `"say \"hi\""`},
	}
	for _, c := range cases {
		if got := string(convertArg(c.arg)); got != c.want {
			t.Errorf("convertArg(%q) = %s, want %s", c.arg, got, c.want)
		}
	}
}

func TestCLISendsConvertedArgsToTheServer(t *testing.T) {
	n := startTestNode(t, nil)
	r := runCLITest(t, fixedEnv(), n.regtestArgs("echo", "42", "id=3", `{"x":[1,null]}`)...)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	want := "[\n  42,\n  \"id=3\",\n  {\n    \"x\": [\n      1,\n      null\n    ]\n  }\n]\n"
	if r.stdout != want {
		t.Fatalf("stdout\n%s\nwant\n%s", r.stdout, want)
	}
}

func TestCLIFindsTheNodeThroughItsConfiguration(t *testing.T) {
	n := startTestNode(t, nil)
	// Cookie from <datadir>/regtest/.cookie, address from rpc.listen.
	r := runCLITest(t, fixedEnv(), n.regtestArgs("getconnectioncount")...)
	if r.code != 0 || r.stdout != "3\n" || r.stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// The same through a configuration file.
	file := filepath.Join(t.TempDir(), "node.yaml")
	yaml := "network: regtest\ndatadir: " + n.datadir + "\nrpc:\n  listen: [\"127.0.0.1:" + n.port + "\"]\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLITest(t, fixedEnv(), "--config", file, "getconnectioncount")
	if r.code != 0 || r.stdout != "3\n" {
		t.Fatalf("with --config: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Another datadir has no cookie: the CLI says where it looked.
	other := t.TempDir()
	r = runCLITest(t, fixedEnv(), "--network", "regtest", "--datadir", other, "--rpc.listen", "127.0.0.1:"+n.port, "uptime")
	wantPath := filepath.Join(other, "regtest", ".cookie")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "error: could not locate RPC credentials") ||
		!strings.Contains(r.stderr, wantPath) {
		t.Fatalf("no cookie: exit %d, stderr %q (want it to name %s)", r.code, r.stderr, wantPath)
	}
}

func TestCLIAuthentication(t *testing.T) {
	n := startTestNode(t, nil)
	connect := []string{"--network", "regtest", "--datadir", t.TempDir(), "--rpcconnect", n.addr}
	ok := func(what string, args ...string) {
		t.Helper()
		r := runCLITest(t, fixedEnv(), append(append([]string{}, connect...), append(args, "getconnectioncount")...)...)
		if r.code != 0 || r.stdout != "3\n" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", what, r.code, r.stdout, r.stderr)
		}
	}
	ok("user and password", "--rpcuser", "alice", "--rpcpassword", "secret")
	ok("cookie file", "--rpccookiefile", n.cookie)
	ok("config user and password", "--rpc.user", "alice", "--rpc.password", "secret")

	r := runCLITest(t, fixedEnv(), append(connect, "--rpcuser", "alice", "--rpcpassword", "wrong", "uptime")...)
	if r.code != 1 || r.stdout != "" ||
		r.stderr != "error: authorization failed: incorrect rpcuser or rpcpassword (from --rpcuser/--rpcpassword)\n" {
		t.Errorf("wrong password: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runCLITest(t, fixedEnv(), append(connect, "--rpcuser", "alice", "uptime")...)
	if r.code != 1 || !strings.Contains(r.stderr, "give both --rpcuser and --rpcpassword") {
		t.Errorf("user without password: exit %d, stderr %q", r.code, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "cookie")
	if err := os.WriteFile(bad, []byte("no colon here\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLITest(t, fixedEnv(), append(connect, "--rpccookiefile", bad, "uptime")...)
	if r.code != 1 || !strings.Contains(r.stderr, "does not hold user:password") {
		t.Errorf("malformed cookie: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCLIErrorFormatAndExitCode(t *testing.T) {
	n := startTestNode(t, nil)
	cases := []struct {
		args       []string
		wantStderr string
	}{
		{[]string{"getnetmsgstats", `["network","bogus"]`},
			"error code: -8\nerror message:\nInvalid aggregate_by value \"bogus\" at index 1; " +
				"valid values are direction, network, connection_type, message_type\n"},
		{[]string{"nosuchmethod"}, "error code: -32601\nerror message:\nMethod not found\n"},
		{[]string{"getpeerstats", "5"},
			"error code: -3\nerror message:\nparameter filter (#1) must be of type string, got number\n"},
	}
	for _, c := range cases {
		r := runCLITest(t, fixedEnv(), n.regtestArgs(c.args...)...)
		if r.code != 1 || r.stdout != "" || r.stderr != c.wantStderr {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%q\nwant\n%q", c.args, r.code, r.stdout, r.stderr, c.wantStderr)
		}
	}
	// A multi-line message (the help, for a wrong number of params) is
	// printed whole after "error message:".
	r := runCLITest(t, fixedEnv(), n.regtestArgs("getconnectioncount", "1")...)
	if r.code != 1 || !strings.HasPrefix(r.stderr, "error code: -1\nerror message:\ngetconnectioncount\n\nReturns") {
		t.Errorf("help error: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCLIShowsTheServersRefusalOfAHugeRequest(t *testing.T) {
	n := startTestNode(t, func(cfg *rpc.Config) { cfg.MaxBodyBytes = 1024 })
	r := runCLITest(t, fixedEnv(), n.regtestArgs("echo", strings.Repeat("x", 4096))...)
	want := "error: server returned HTTP error 413: request body exceeds the limit of 1024 bytes\n"
	if r.code != 1 || r.stdout != "" || r.stderr != want {
		t.Fatalf("exit %d, stdout %q, stderr %q, want %q", r.code, r.stdout, r.stderr, want)
	}
}

func TestCLIWithoutAServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := runCLITest(t, fixedEnv(), "--network", "regtest", "--datadir", t.TempDir(), "--rpcconnect", addr,
		"--rpcuser", "a", "--rpcpassword", "b", "uptime")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "error: could not connect to the server "+addr) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCLIPrintsResultsLikeBitcoinCLI(t *testing.T) {
	n := startTestNode(t, nil)
	// A string is printed raw (here the help, which has newlines).
	r := runCLITest(t, fixedEnv(), n.regtestArgs("help", "ping")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ping\n\nAsks every connected peer") || strings.Contains(r.stdout, `\n`) {
		t.Errorf("string result: exit %d, stdout %q", r.code, r.stdout)
	}
	// null prints nothing.
	r = runCLITest(t, fixedEnv(), n.regtestArgs("ping")...)
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("null result: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Objects keep the server's key order and number forms.
	r = runCLITest(t, fixedEnv(), n.regtestArgs("getnetworkinfo")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "{\n  \"version\": 100,\n  \"subversion\": \"/actornode:0.1.0/\",\n") ||
		!strings.Contains(r.stdout, "\n  \"relayfee\": 0.00001000,\n") {
		t.Errorf("object result: exit %d, stdout\n%s", r.code, r.stdout)
	}
}

func TestCLIUsage(t *testing.T) {
	r := runCLITest(t, fixedEnv())
	if r.code != 1 || !strings.HasPrefix(r.stderr, "error: too few parameters") {
		t.Errorf("no method: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLITest(t, fixedEnv(), "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "actornode cli [OPTIONS] METHOD [ARGS...]") {
		t.Errorf("--help: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runCLITest(t, fixedEnv(), "--rpcconect", "x", "uptime")
	if r.code != 1 || !strings.Contains(r.stderr, "rpcconect") {
		t.Errorf("misspelt flag: exit %d, stderr %q", r.code, r.stderr)
	}
	// main dispatches to the CLI.
	var out, errb strings.Builder
	if code := run([]string{"cli", "--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "peers [--watch") {
		t.Errorf("actornode cli --help: exit %d, stdout %q", code, out.String())
	}
}

func TestCLIDefaultAddress(t *testing.T) {
	cfg := func(network string, listen ...string) config.Config {
		c := config.Default()
		c.Network = network
		c.RPC.Listen = listen
		return c
	}
	cases := []struct {
		cfg     config.Config
		connect string
		want    string
		wantErr string
	}{
		{cfg: cfg("regtest", "127.0.0.1"), want: "127.0.0.1:18443"},
		{cfg: cfg("mainnet", "0.0.0.0"), want: "127.0.0.1:8332"},
		{cfg: cfg("signet", "[::]:9000"), want: "[::1]:9000"},
		{cfg: cfg("testnet4", ":7000"), want: "127.0.0.1:7000"},
		{cfg: cfg("regtest", "10.1.2.3:1234", "127.0.0.1"), want: "10.1.2.3:1234"},
		{cfg: cfg("regtest", "127.0.0.1"), connect: "node.example", want: "node.example:18443"},
		{cfg: cfg("regtest", "127.0.0.1"), connect: "[::1]", want: "[::1]:18443"},
		{cfg: cfg("regtest", "127.0.0.1"), connect: "::1", want: "[::1]:18443"},
		{cfg: cfg("regtest", "127.0.0.1"), connect: "10.0.0.1:99", want: "10.0.0.1:99"},
		{cfg: cfg("regtest"), wantErr: "rpc.listen is empty"},
		{cfg: cfg("regtest", "127.0.0.1:0"), wantErr: "port 0"},
	}
	for _, c := range cases {
		got, err := rpcAddress(c.cfg, c.connect)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s %v connect %q: %q, %v; want error with %q", c.cfg.Network, c.cfg.RPC.Listen, c.connect, got, err, c.wantErr)
			}
		case err != nil || got != c.want:
			t.Errorf("%s %v connect %q: %q, %v; want %q", c.cfg.Network, c.cfg.RPC.Listen, c.connect, got, err, c.want)
		}
	}
}
