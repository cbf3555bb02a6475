package connman

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/connman/connmanpb"
)

// banned returns the listbanned addresses.
func (h *harness) banned() []string {
	h.t.Helper()
	var out []string
	for _, e := range h.ask(&connmanpb.ListBanned{}).(*connmanpb.BanList).GetEntries() {
		out = append(out, e.GetAddress())
	}
	return out
}

func TestSetBanDisconnectsConnectedPeers(t *testing.T) {
	h := newHarness(t, options{})
	a, _ := h.accepted()
	b, _ := h.accepted()
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.0/8", Command: "add", Bantime: 3600})
	closed(t, a)
	closed(t, b)
	eventually(t, "both Closed", func() bool { return h.counts().GetTotal() == 0 })
	if n := len(h.logs.lines("connection closed", `detail="banned: setban 127.0.0.0/8"`)); n != 2 {
		t.Fatalf("%d close lines with the ban detail", n)
	}
	list := h.ask(&connmanpb.ListBanned{}).(*connmanpb.BanList).GetEntries()
	if len(list) != 1 || list[0].GetAddress() != "127.0.0.0/8" || list[0].GetBanDuration() != 3600 || list[0].GetTimeRemaining() != 3600 {
		t.Fatalf("listbanned %v", list)
	}
}

func TestSetBanCommands(t *testing.T) {
	h := newHarness(t, options{})
	h.mustOK(&connmanpb.SetBan{Subnet: "10.0.0.0/8", Command: "add"})
	h.mustFail(&connmanpb.SetBan{Subnet: "10.0.0.0/8", Command: "add"}, -23, "IP/Subnet already banned")
	h.mustFail(&connmanpb.SetBan{Subnet: "10.1.2.3", Command: "add"}, -23, "IP/Subnet already banned")
	h.mustFail(&connmanpb.SetBan{Subnet: "10.0.0.0/33", Command: "add"}, -30, "Invalid IP/Subnet")
	h.mustFail(&connmanpb.SetBan{Subnet: "not an address", Command: "remove"}, -30, "Invalid IP/Subnet")
	h.mustFail(&connmanpb.SetBan{Subnet: "10.0.0.0/16", Command: "remove"}, -30, "Unban failed")
	h.mustFail(&connmanpb.SetBan{Subnet: "10.0.0.0/16", Command: "bogus"}, -8, "add or remove")
	// Absolute expiry, and the default of 24 h.
	until := h.clock.Now().Add(time.Hour).Unix()
	h.mustOK(&connmanpb.SetBan{Subnet: "192.0.2.1", Command: "add", Bantime: until, Absolute: true})
	for _, e := range h.ask(&connmanpb.ListBanned{}).(*connmanpb.BanList).GetEntries() {
		switch e.GetAddress() {
		case "10.0.0.0/8":
			if e.GetBanDuration() != int64(DefaultBanTime/time.Second) {
				t.Fatalf("default ban lasts %d s", e.GetBanDuration())
			}
		case "192.0.2.1/32":
			if e.GetBannedUntil() != until {
				t.Fatalf("absolute ban until %d want %d", e.GetBannedUntil(), until)
			}
		default:
			t.Fatalf("unexpected ban %v", e)
		}
	}
	// Expired bans are pruned from the list and the file.
	h.clock.Advance(2 * time.Hour)
	if got := h.banned(); len(got) != 1 || got[0] != "10.0.0.0/8" {
		t.Fatalf("after 2 h: %v", got)
	}
	data, err := os.ReadFile(h.cfg.BanFile)
	if err != nil || strings.Contains(string(data), "192.0.2.1") || !strings.Contains(string(data), "10.0.0.0/8") {
		t.Fatalf("ban file after pruning (%v):\n%s", err, data)
	}
	h.mustOK(&connmanpb.SetBan{Subnet: "10.0.0.0/8", Command: "remove"})
	h.mustOK(&connmanpb.SetBan{Subnet: "10.0.0.0/8", Command: "add"})
	h.mustOK(&connmanpb.ClearBanned{})
	if got := h.banned(); len(got) != 0 {
		t.Fatalf("after clearbanned: %v", got)
	}
}

func TestBansPersistAcrossANewConnman(t *testing.T) {
	h := newHarness(t, options{})
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.1", Command: "add"})
	h.mustOK(&connmanpb.SetBan{Subnet: "2001:db8::/32", Command: "add", Bantime: 60})
	h.stopConnman()
	h.clock.Advance(2 * time.Minute) // the second ban expires while connman is down

	h.spawnConnman() // a new actor instance, same file
	if got := h.banned(); len(got) != 1 || got[0] != "127.0.0.1/32" {
		t.Fatalf("bans after restart: %v", got)
	}
	closed(t, h.dial())
	h.noAttach()
	if n := h.counts(); n.GetRefusedBanned() != 1 {
		t.Fatalf("counts %v", n)
	}
}

func TestSupervisorRestartKeepsBansAndListeners(t *testing.T) {
	h := newHarness(t, options{})
	h.mustOK(&connmanpb.SetBan{Subnet: "10.9.0.0/16", Command: "add"})
	before := h.addr
	old, _ := h.accepted()
	h.sys.Root.Send(h.parent, &restartConnman{})
	eventually(t, "the restarted connman to forget its view", func() bool { return h.counts().GetTotal() == 0 })
	if got := h.banned(); len(got) != 1 || got[0] != "10.9.0.0/16" {
		t.Fatalf("bans after restart: %v", got)
	}
	if b := h.ask(&connmanpb.GetListenAddrs{}).(*connmanpb.ListenAddrs).GetBound(); len(b) != 1 || b[0] != before {
		t.Fatalf("listeners after restart: %v (was %s)", b, before)
	}
	select {
	case f := <-h.fatals:
		t.Fatalf("restart reported a fatal error: %v", f)
	default:
	}
	// The listener still delivers to the same PID: new peers are accepted.
	c, _ := h.accepted()
	stillOpen(t, c)
	stillOpen(t, old)
	if n := h.counts(); n.GetTotal() != 1 {
		t.Fatalf("counts after restart %v (the old connection is not in the new view)", n)
	}
}

func TestCorruptBanFileIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "banlist.json")
	if err := os.WriteFile(path, []byte(`{"banned_nets": [{"version": 1, "address": "nonsense"`), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, options{cfg: func(c *Config) { c.BanFile = path }})
	if got := h.banned(); len(got) != 0 {
		t.Fatalf("bans from a corrupt file: %v", got)
	}
	moved, _ := filepath.Glob(path + ".corrupt-*")
	if len(moved) != 1 {
		t.Fatalf("moved aside: %v", moved)
	}
	if len(h.logs.lines("ban file is corrupt", "path="+path, "moved_to="+moved[0])) != 1 {
		t.Fatal("no log line naming the corrupt file")
	}
	h.mustOK(&connmanpb.SetBan{Subnet: "10.0.0.1", Command: "add"})
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), "10.0.0.1/32") {
		t.Fatalf("fresh ban file (%v): %s", err, data)
	}
	c, _ := h.accepted()
	stillOpen(t, c)
}
