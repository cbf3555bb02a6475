package config

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestMisspeltKeyNamesFileLineAndSuggestion(t *testing.T) {
	path := writeConfig(t, "network: regtest\n\np2p:\n  listen: []\n  # a comment\n\n  maxconections: 5\n")
	_, err := LoadFile(path)
	e := onlyProblem(t, err)
	if e.Layer != LayerFile || e.File != path || e.Line != 7 || e.Key != "p2p.maxconections" {
		t.Fatalf("problem %+v", e)
	}
	if want := path + ":7: p2p.maxconections: unknown key (did you mean p2p.maxconnections?)"; e.Error() != want {
		t.Fatalf("message\n %q\nwant\n %q", e.Error(), want)
	}
	var target *Error
	if !errors.As(err, &target) || target != e {
		t.Fatal("errors.As does not find the *Error")
	}
}

func TestSuggestions(t *testing.T) {
	cases := map[string]string{
		"P2P.maxconnections":          "p2p.maxconnections",
		"actors.peer.mailbox.sise":    "actors.peer.mailbox.size",
		"rpc.dnsseed":                 "p2p.dnsseed",
		"log.level.rpc":               "log.levels.rpc",
		"shutdown.tiemout":            "shutdown.timeout",
		"completely.unrelated.thing":  "",
		"rpc.maxbody":                 "rpc.maxbodybytes",
		"actors.peer.mailbox":         "",
		"actors.peer.mailbox.kindred": "actors.peer.mailbox.kind",
	}
	s := configSchema()
	for in, want := range cases {
		if got := s.suggest(in); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrongTypeNamesExpectedType(t *testing.T) {
	cases := []struct {
		key, value, want string
	}{
		{"p2p.maxconnections", `"lots"`, `p2p.maxconnections: expected a whole number >= 1, got "lots"`},
		{"p2p.maxconnections", `true`, `p2p.maxconnections: expected a whole number >= 1, got true`},
		{"p2p.dnsseed", `"yes please"`, `p2p.dnsseed: expected true or false, got "yes please"`},
		{"p2p.dialtimeout", `5`, `p2p.dialtimeout: expected a duration greater than zero such as 5s, 1m or 1h30m, got 5`},
		{"p2p.listen", `"1.2.3.4"`, `p2p.listen: expected a list of host or host:port addresses, got "1.2.3.4" (write ["1.2.3.4"])`},
		{"p2p.connect", ``, `p2p.connect: expected a list of host or host:port addresses, got null (write [] for an empty list)`},
		{"rpc.password", `12345`, `rpc.password: expected a string, got 12345 (put it in quotes: "12345")`},
		{"network", `[regtest]`, `network: expected one of mainnet, testnet3, testnet4, signet, regtest, got a list [regtest]`},
		{"shutdown", `5s`, `shutdown: expected a section of settings, got "5s"`},
		{"p2p.maxsendqueue", `{big: 1}`, `p2p.maxsendqueue: expected a whole number >= 4000024, got a mapping`},
	}
	for _, tc := range cases {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			path := writeConfig(t, nestedYAML(tc.key, tc.value))
			_, err := LoadFile(path)
			e := onlyProblem(t, err)
			line := strings.Count(tc.key, ".") + 1
			if want := path + ":" + strconv.Itoa(line) + ": " + tc.want; e.Error() != want {
				t.Fatalf("message\n %q\nwant\n %q", e.Error(), want)
			}
		})
	}
}

func TestInvalidValues(t *testing.T) {
	cases := []struct {
		key, value, want string
	}{
		{"network", "mainnet2", `expected one of mainnet, testnet3, testnet4, signet, regtest, got "mainnet2"`},
		{"network", `""`, `expected one of mainnet, testnet3, testnet4, signet, regtest, got ""`},
		{"datadir", `""`, `expected a non-empty string, got ""`},
		{"log.level", "verbose", `expected one of debug, info, warn, error, got "verbose"`},
		{"log.level", `""`, `expected one of debug, info, warn, error, got ""`},
		{"log.format", "xml", `expected one of text, json, got "xml"`},
		{"log.levels.sockman", "trace", `expected one of debug, info, warn, error or "" (inherit), got "trace"`},
		{"log.levels.node", "INFO", `expected one of debug, info, warn, error or "" (inherit), got "INFO"`},
		{"p2p.listen", `["1.2.3.4:99999"]`, `got "1.2.3.4:99999" (port must be a number from 1 to 65535)`},
		{"p2p.listen", `["a b"]`, `got "a b" (not a valid IP address or host name)`},
		{"p2p.listen", `["::1:8333:x"]`, `got "::1:8333:x" (not a valid IPv6 address; write [ipv6]:port to add a port)`},
		{"p2p.connect", `["192.0.2.1:0"]`, `got "192.0.2.1:0" (port must be a number from 1 to 65535)`},
		{"p2p.connect", `[":8333"]`, `got ":8333" (missing host)`},
		{"p2p.addnode", `["host:"]`, `got "host:" (port must be a number from 1 to 65535)`},
		{"p2p.addnode", `[""]`, `got "" (empty address)`},
		{"p2p.maxconnections", "0", `expected a whole number >= 1, got 0`},
		{"p2p.dialtimeout", "0s", `expected a duration greater than zero such as 5s, 1m or 1h30m, got 0s`},
		{"p2p.dialtimeout", "-1s", `expected a duration greater than zero such as 5s, 1m or 1h30m, got -1s`},
		{"p2p.maxsendqueue", "4000023", `expected a whole number >= 4000024, got 4000023`},
		{"rpc.listen", `["[1.2.3.4]:80"]`, `got "[1.2.3.4]:80" (brackets must hold an IPv6 address)`},
		{"rpc.maxbodybytes", "1023", `expected a whole number >= 1024, got 1023`},
		{"actors.sockman.mailbox.kind", "bounded", `expected one of unbounded, dropping, got "bounded"`},
		{"actors.connman.mailbox.size", "-1", `expected a whole number >= 0, got -1`},
		{"actors.peerman.throughput", "0", `expected a whole number >= 1, got 0`},
		{"actors.addrman.restarts.max", "-1", `expected a whole number >= 0, got -1`},
		{"actors.rpc.restarts.within", "0s", `expected a duration greater than zero such as 5s, 1m or 1h30m, got 0s`},
		{"actors.peer.throughput", "1.5", `expected a whole number >= 1, got 1.5`},
		{"shutdown.timeout", "soon", `expected a duration greater than zero such as 5s, 1m or 1h30m, got "soon"`},
	}
	for _, tc := range cases {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			path := writeConfig(t, nestedYAML(tc.key, tc.value))
			_, err := LoadFile(path)
			e := onlyProblem(t, err)
			if e.Key != tc.key || e.File != path || e.Line != strings.Count(tc.key, ".")+1 {
				t.Fatalf("problem %+v, want key %s at line %d", e, tc.key, strings.Count(tc.key, ".")+1)
			}
			if !strings.Contains(e.Problem, tc.want) {
				t.Fatalf("problem %q does not contain %q", e.Problem, tc.want)
			}
		})
	}
}

func TestCombinationProblems(t *testing.T) {
	path := writeConfig(t, "actors:\n  peer:\n    mailbox:\n      kind: dropping\nrpc:\n  user: alice\n")
	_, err := LoadFile(path)
	es := problems(t, err)
	if len(es) != 2 {
		t.Fatalf("want 2 problems, got:\n%v", err)
	}
	if want := path + ":4: actors.peer.mailbox.size: expected a whole number >= 1 when actors.peer.mailbox.kind is dropping, got 0"; es[0].Error() != want {
		t.Fatalf("message\n %q\nwant\n %q", es[0].Error(), want)
	}
	if want := path + ":6: rpc.user: set without rpc.password; set both or neither"; es[1].Error() != want {
		t.Fatalf("message\n %q\nwant\n %q", es[1].Error(), want)
	}
	_, err = Load([]string{"--rpc.password=x"}, testEnv())
	if e := onlyProblem(t, err); e.Error() != "flag --rpc.password: set without rpc.user; set both or neither" {
		t.Fatalf("message %q", e.Error())
	}
}

func TestAllProblemsReported(t *testing.T) {
	path := writeConfig(t, `network: moonnet
log:
  level: loud
p2p:
  maxconnections: -3
  dnsseed: perhaps
  bogus: 1
actors:
  peer:
    throughput: 0
`)
	_, err := Load([]string{"--config", path, "--shutdown.timeout=never"},
		testEnv("ACTORNODE_RPC_MAXBODYBYTES=small", "ACTORNODE_RPC_MAXBODY=1"))
	es := problems(t, err)
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := []string{
		path + `:1: network: expected one of mainnet, testnet3, testnet4, signet, regtest, got "moonnet"`,
		path + `:3: log.level: expected one of debug, info, warn, error, got "loud"`,
		path + `:5: p2p.maxconnections: expected a whole number >= 1, got -3`,
		path + `:6: p2p.dnsseed: expected true or false, got "perhaps"`,
		path + `:7: p2p.bogus: unknown key`,
		path + `:10: actors.peer.throughput: expected a whole number >= 1, got 0`,
		`environment ACTORNODE_RPC_MAXBODY: rpc.maxbody: unknown key (did you mean ACTORNODE_RPC_MAXBODYBYTES?)`,
		`environment ACTORNODE_RPC_MAXBODYBYTES: rpc.maxbodybytes: expected a whole number >= 1024, got "small"`,
		`flag --shutdown.timeout: expected a duration greater than zero such as 5s, 1m or 1h30m, got "never"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEnvAndFlagErrorsNameTheirSource(t *testing.T) {
	_, err := Load(nil, testEnv("ACTORNODE_P2P_MAXCONNECTIONS=lots"))
	e := onlyProblem(t, err)
	if e.Layer != LayerEnv || e.Env != "ACTORNODE_P2P_MAXCONNECTIONS" || e.File != "" {
		t.Fatalf("problem %+v", e)
	}
	if want := `environment ACTORNODE_P2P_MAXCONNECTIONS: p2p.maxconnections: expected a whole number >= 1, got "lots"`; e.Error() != want {
		t.Fatalf("message %q", e.Error())
	}
	_, err = Load([]string{"--p2p.maxconnections=lots"}, testEnv())
	e = onlyProblem(t, err)
	if e.Layer != LayerFlag || e.Flag != "p2p.maxconnections" {
		t.Fatalf("problem %+v", e)
	}
	if want := `flag --p2p.maxconnections: expected a whole number >= 1, got "lots"`; e.Error() != want {
		t.Fatalf("message %q", e.Error())
	}
}

func TestFileStringsAreNotWeaklyTyped(t *testing.T) {
	// A quoted number in a file is a string, not a number; the same text
	// from a flag or variable is a number.
	_, err := LoadFile(writeConfig(t, "p2p:\n  maxconnections: \"12\"\n"))
	if e := onlyProblem(t, err); !strings.Contains(e.Problem, `expected a whole number >= 1, got "12"`) {
		t.Fatalf("problem %q", e.Problem)
	}
}

func TestYAMLSyntaxError(t *testing.T) {
	path := writeConfig(t, "network: regtest\np2p:\n  listen: [\"a\"\n  maxconnections: 3\n")
	_, err := LoadFile(path)
	e := onlyProblem(t, err)
	if e.File != path || e.Line == 0 || !strings.HasPrefix(e.Problem, "invalid YAML: ") {
		t.Fatalf("problem %+v", e)
	}
}

func TestDuplicateKey(t *testing.T) {
	path := writeConfig(t, "network: regtest\nnetwork: signet\n")
	_, err := LoadFile(path)
	e := onlyProblem(t, err)
	if e.File != path || e.Line != 2 || !strings.Contains(e.Problem, "already defined") {
		t.Fatalf("problem %+v (%v)", e, e)
	}
}

func TestTopLevelMustBeAMapping(t *testing.T) {
	path := writeConfig(t, "- network\n- regtest\n")
	_, err := LoadFile(path)
	e := onlyProblem(t, err)
	if e.Error() != path+":1: expected a mapping of settings at the top level" {
		t.Fatalf("message %q", e.Error())
	}
}

func TestEmptyFileAndEmptySections(t *testing.T) {
	for _, content := range []string{"", "# nothing\n", "p2p: {}\nlog:\n"} {
		c, err := LoadFile(writeConfig(t, content))
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		if c.P2P.MaxConnections != 200 || c.Log.Level != "info" {
			t.Fatalf("%q: defaults lost: %+v", content, c)
		}
	}
}

func TestMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := Load([]string{"--config", path}, testEnv())
	e := onlyProblem(t, err)
	if e.Error() != path+": cannot read: no such file or directory" {
		t.Fatalf("message %q", e.Error())
	}
}
