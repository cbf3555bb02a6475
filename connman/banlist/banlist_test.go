package banlist

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Unix(1_700_000_000, 0)

func mustSubnet(t *testing.T, s string) netip.Prefix {
	t.Helper()
	p, err := ParseSubnet(s)
	if err != nil {
		t.Fatalf("ParseSubnet(%q): %v", s, err)
	}
	return p
}

func TestParseSubnet(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3.4": "1.2.3.4/32", "1.2.3.4/24": "1.2.3.0/24", "::ffff:1.2.3.4": "1.2.3.4/32",
		"2001:db8::1": "2001:db8::1/128", "2001:db8::/32": "2001:db8::/32", "::ffff:10.0.0.0/104": "10.0.0.0/8",
	} {
		if got := mustSubnet(t, in); got.String() != want {
			t.Errorf("ParseSubnet(%q)=%s want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "1.2.3", "1.2.3.4/33", "example.org", "fe80::1%eth0", "::ffff:1.2.3.4/90"} {
		if _, err := ParseSubnet(bad); !errors.Is(err, ErrInvalidSubnet) {
			t.Errorf("ParseSubnet(%q) err %v, want ErrInvalidSubnet", bad, err)
		}
	}
}

func TestBanScenario(t *testing.T) {
	l := New()
	day := 24 * time.Hour
	if !l.Add(Entry{Subnet: mustSubnet(t, "10.1.0.0/16"), Created: t0, Until: t0.Add(day)}, t0) {
		t.Fatal("first ban refused")
	}
	if l.Add(Entry{Subnet: mustSubnet(t, "10.1.0.0/16"), Created: t0, Until: t0.Add(day)}, t0) {
		t.Fatal("same subnet banned twice")
	}
	if l.Add(Entry{Subnet: mustSubnet(t, "10.1.2.3"), Created: t0, Until: t0.Add(day)}, t0) {
		t.Fatal("address inside a banned subnet banned again")
	}
	if !l.Add(Entry{Subnet: mustSubnet(t, "10.1.0.0/24"), Created: t0, Until: t0.Add(time.Hour)}, t0) {
		t.Fatal("narrower subnet refused")
	}
	if !l.Banned(netip.MustParseAddr("10.1.200.1"), t0) || !l.Banned(netip.MustParseAddr("::ffff:10.1.0.1"), t0) {
		t.Fatal("address in banned subnet not banned")
	}
	if l.Banned(netip.MustParseAddr("10.2.0.1"), t0) {
		t.Fatal("address outside banned")
	}
	// After an hour the /24 expired; after a day everything.
	if n := l.Prune(t0.Add(time.Hour)); n != 1 || l.Len() != 1 {
		t.Fatalf("prune after 1h removed %d, %d left", n, l.Len())
	}
	if l.Banned(netip.MustParseAddr("10.1.0.1"), t0.Add(day)) {
		t.Fatal("expired ban still enforced")
	}
	// An expired ban can be replaced before it is pruned.
	if !l.Add(Entry{Subnet: mustSubnet(t, "10.1.0.0/16"), Created: t0.Add(day), Until: t0.Add(2 * day)}, t0.Add(day)) {
		t.Fatal("expired ban blocks a new one")
	}
	if !l.Remove(mustSubnet(t, "10.1.0.0/16")) || l.Remove(mustSubnet(t, "10.1.0.0/16")) {
		t.Fatal("Remove reports wrongly")
	}
}

func TestFileRoundTripAndAtomicSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "banlist.json")
	l := New()
	l.Add(Entry{Subnet: mustSubnet(t, "1.2.3.4"), Created: t0, Until: t0.Add(time.Hour)}, t0)
	l.Add(Entry{Subnet: mustSubnet(t, "2001:db8::/32"), Created: t0, Until: t0.Add(48 * time.Hour)}, t0)
	if err := Save(path, l); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want, have := l.Entries(), got.Entries()
	if len(have) != 2 {
		t.Fatalf("loaded %d entries", len(have))
	}
	for i := range want {
		if want[i].Subnet != have[i].Subnet || !want[i].Created.Equal(have[i].Created) || !want[i].Until.Equal(have[i].Until) {
			t.Fatalf("entry %d: %+v want %+v", i, have[i], want[i])
		}
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"banned_nets"`) || !strings.Contains(string(data), `"address": "1.2.3.4/32"`) {
		t.Fatalf("unexpected file form:\n%s", data)
	}
	files, _ := os.ReadDir(filepath.Dir(path))
	if len(files) != 1 {
		t.Fatalf("temporary files left: %v", files)
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	l, err := Load(filepath.Join(t.TempDir(), "none.json"))
	if err != nil || l.Len() != 0 {
		t.Fatalf("Load of a missing file: %v, %d entries", err, l.Len())
	}
}

func TestCorruptFileIsReportedAndQuarantined(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "banlist.json")
	for _, body := range []string{"{not json", `{"banned_nets":[{"version":1,"address":"nonsense"}]}`,
		`{"banned_nets":[{"version":9,"address":"1.2.3.4/32"}]}`, `{}`} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		var ce *CorruptError
		if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), path) {
			t.Fatalf("Load(%q) err %v, want CorruptError naming the path", body, err)
		}
		to, err := Quarantine(path, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(to, path+".corrupt-") {
			t.Fatalf("quarantined to %s", to)
		}
		if moved, _ := os.ReadFile(to); string(moved) != body {
			t.Fatalf("quarantined file holds %q", moved)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatalf("original still there: %v", err)
		}
		_ = os.Remove(to)
	}
}

func TestDiscouragedExpiresAndIsBounded(t *testing.T) {
	d := NewDiscouraged(3, time.Hour)
	a := func(s string) netip.Addr { return netip.MustParseAddr(s) }
	d.Add(a("1.1.1.1"), t0)
	if !d.Has(a("::ffff:1.1.1.1"), t0.Add(59*time.Minute)) || d.Has(a("1.1.1.1"), t0.Add(time.Hour)) {
		t.Fatal("expiry wrong")
	}
	d.Add(a("2.2.2.2"), t0.Add(time.Second))
	d.Add(a("3.3.3.3"), t0.Add(2*time.Second))
	d.Add(a("1.1.1.1"), t0.Add(3*time.Second)) // refreshed: now the newest
	d.Add(a("4.4.4.4"), t0.Add(4*time.Second)) // pushes out 2.2.2.2
	now := t0.Add(5 * time.Second)
	if d.Len() != 3 || d.Has(a("2.2.2.2"), now) || !d.Has(a("1.1.1.1"), now) || !d.Has(a("4.4.4.4"), now) {
		t.Fatalf("bounded set wrong: len %d", d.Len())
	}
	for i := 0; i < 100; i++ {
		d.Add(a("5.5.5.5"), now.Add(time.Duration(i)*time.Second))
	}
	if len(d.order) > 2*3+1 || d.Len() != 3 {
		t.Fatalf("order grew to %d, len %d", len(d.order), d.Len())
	}
}
