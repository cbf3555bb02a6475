package config

import (
	"strings"
	"testing"
)

func TestFlagSetHasEveryKey(t *testing.T) {
	fs := NewFlagSet("actornode")
	if fs.Lookup(ConfigFlag) == nil {
		t.Fatal("no --config flag")
	}
	defaults := defaultValues()
	for _, key := range Keys() {
		f := fs.Lookup(key)
		if f == nil {
			t.Errorf("no flag --%s", key)
			continue
		}
		if f.Usage == "" {
			t.Errorf("--%s has no usage text", key)
		}
		want := ""
		switch d := defaults[key].(type) {
		case []string:
			want = "[" + strings.Join(d, ",") + "]"
		default:
			want = strings.TrimSpace(strings.Trim(docDefault(d), "`"))
			if want == `""` {
				want = ""
			}
		}
		if f.DefValue != want {
			t.Errorf("--%s shows default %q, want %q", key, f.DefValue, want)
		}
		if isBool := configSchema()[key] == kindBool; isBool != (f.NoOptDefVal == "true") {
			t.Errorf("--%s: boolean %v but NoOptDefVal %q", key, isBool, f.NoOptDefVal)
		}
	}
	usage := fs.FlagUsages()
	for _, want := range []string{"--p2p.maxconnections int", "(default 200)", "--p2p.listen strings", "(default [0.0.0.0])", "--shutdown.timeout duration"} {
		if !strings.Contains(usage, want) {
			t.Errorf("--help output lacks %q", want)
		}
	}
}

func TestDefaultWithoutHome(t *testing.T) {
	t.Setenv("HOME", "")
	c := Default()
	if c.DataDir != "~/.actornode" || c.Network != "mainnet" {
		t.Fatalf("Default without a home directory: datadir %q network %q", c.DataDir, c.Network)
	}
	if _, err := Load(nil, nil); err == nil || !strings.Contains(err.Error(), "datadir: cannot expand ~") {
		t.Fatalf("Load without a home directory gave %v, want a datadir problem", err)
	}
}
