package rpc

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestAmountJSON(t *testing.T) {
	cases := map[Amount]string{
		0:             "0.00000000",
		1:             "0.00000001",
		1000:          "0.00001000",
		100_000_000:   "1.00000000",
		2_100_000_000: "21.00000000",
		-150:          "-0.00000150",
	}
	for a, want := range cases {
		got, err := json.Marshal(a)
		if err != nil || string(got) != want {
			t.Errorf("Marshal(%d) = %s, %v; want %s", int64(a), got, err, want)
		}
	}
}

func TestServiceNames(t *testing.T) {
	got := ServiceNames(1 | 4 | 8 | 64 | 1024 | 2048 | 1<<24)
	want := []string{"NETWORK", "BLOOM", "WITNESS", "COMPACT_FILTERS", "NETWORK_LIMITED", "P2P_V2", "UNKNOWN[2^24]"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ServiceNames = %v, want %v", got, want)
	}
	if b, _ := json.Marshal(ServiceNames(0)); string(b) != "[]" {
		t.Fatalf("no services encode as %s, want []", b)
	}
}

func TestVersionNumber(t *testing.T) {
	if got := VersionNumber(0, 1, 0); got != 100 {
		t.Fatalf("0.1.0 -> %d", got)
	}
	if got := VersionNumber(27, 1, 2); got != 270102 {
		t.Fatalf("27.1.2 -> %d", got)
	}
}

func TestWithDefaultPort(t *testing.T) {
	cases := []struct{ in, network, want string }{
		{"127.0.0.1", "regtest", "127.0.0.1:18443"},
		{"127.0.0.1:9", "regtest", "127.0.0.1:9"},
		{"::1", "mainnet", "[::1]:8332"},
		{"[::1]", "signet", "[::1]:38332"},
		{"localhost", "testnet4", "localhost:48332"},
		{"localhost", "testnet3", "localhost:18332"},
		{"localhost", "unknownnet", "localhost"},
	}
	for _, tc := range cases {
		if got := withDefaultPort(tc.in, tc.network); got != tc.want {
			t.Errorf("withDefaultPort(%q, %q) = %q, want %q", tc.in, tc.network, got, tc.want)
		}
	}
}

func TestBindParams(t *testing.T) {
	m := Method{Name: "m", Help: "m a ( b c )", Args: []Arg{{Name: "a"}, {Name: "b", Optional: true}, {Name: "c", Optional: true}}}
	t.Run("named fill positions", func(t *testing.T) {
		p, err := bindParams(m, json.RawMessage(`{"c":3,"a":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		if p.Len() != 3 || p.Has(1) || string(p.Raw(2)) != "3" {
			t.Fatalf("params %+v", p)
		}
		if a, err := p.String(0, ""); err != nil || a != "x" {
			t.Fatalf("a = %q, %v", a, err)
		}
		if b, err := p.Int64(1, 42); err != nil || b != 42 {
			t.Fatalf("absent b = %d, %v; want default", b, err)
		}
	})
	t.Run("missing required", func(t *testing.T) {
		_, err := bindParams(m, json.RawMessage(`[null, 1]`))
		if err == nil || err.Code != CodeMisc || err.Message != m.Help {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("too many", func(t *testing.T) {
		_, err := bindParams(m, json.RawMessage(`[1,2,3,4]`))
		if err == nil || err.Code != CodeMisc {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("types", func(t *testing.T) {
		p, err := bindParams(m, json.RawMessage(`["s", 1.5, true]`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Int64(1, 0); err == nil {
			t.Fatal("1.5 accepted as integer")
		}
		if _, err := p.Bool(0, false); err == nil {
			t.Fatal("string accepted as boolean")
		}
		if v, err := p.Bool(2, false); err != nil || !v {
			t.Fatalf("bool = %v, %v", v, err)
		}
	})
}

func TestHelpTextGroupsByCategory(t *testing.T) {
	h := func(*Call, Params) (any, error) { return nil, nil }
	table, err := newMethodTable([]Method{
		{Name: "zeta", Category: "network", Help: "zeta ( x )\n\nlong text", Handler: h},
		{Name: "alpha", Category: "network", Help: "alpha", Handler: h},
		{Name: "beta", Category: "control", Help: "beta", Handler: h},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "== Control ==\nbeta\n\n== Network ==\nalpha\nzeta ( x )"
	if got := table.helpText(""); got != want {
		t.Fatalf("help =\n%s\nwant\n%s", got, want)
	}
	if got := table.helpText("zeta"); got != "zeta ( x )\n\nlong text" {
		t.Fatalf("help zeta = %q", got)
	}
}
