package connman

import (
	"errors"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/connman/banlist"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// loadBans reads the ban file. A corrupt file is moved aside and the node
// starts with no bans; expired bans are pruned.
func (a *connmanActor) loadBans() {
	a.bans = banlist.New()
	if a.cfg.BanFile == "" {
		return
	}
	now := a.cfg.Clock.Now()
	l, err := banlist.Load(a.cfg.BanFile)
	var corrupt *banlist.CorruptError
	switch {
	case errors.As(err, &corrupt):
		to, qerr := banlist.Quarantine(a.cfg.BanFile, now)
		if qerr != nil {
			a.log.Error("ban file is corrupt and cannot be moved aside; starting with no bans",
				"path", a.cfg.BanFile, "error", err, "move_error", qerr)
		} else {
			a.log.Error("ban file is corrupt; moved aside, starting with no bans",
				"path", a.cfg.BanFile, "error", err, "moved_to", to)
		}
		return
	case err != nil:
		a.log.Error("cannot read ban file; starting with no bans", "path", a.cfg.BanFile, "error", err)
		return
	}
	a.bans = l
	if a.bans.Prune(now) > 0 {
		a.saveBans()
	}
	a.log.Info("bans loaded", "path", a.cfg.BanFile, "bans", a.bans.Len())
}

// saveBans writes the ban file, logging a failure.
func (a *connmanActor) saveBans() {
	if a.cfg.BanFile == "" {
		return
	}
	if err := banlist.Save(a.cfg.BanFile, a.bans); err != nil {
		a.log.Error("cannot write ban file", "path", a.cfg.BanFile, "error", err)
	}
}

// setBan is the setban RPC.
func (a *connmanActor) setBan(ctx actor.Context, m *connmanpb.SetBan) *connmanpb.Result {
	subnet, err := banlist.ParseSubnet(m.GetSubnet())
	if err != nil {
		return failure(errInvalidIPOrSubnet, "Error: Invalid IP/Subnet")
	}
	now := a.cfg.Clock.Now()
	switch m.GetCommand() {
	case "add":
		until := now.Add(a.cfg.DefaultBanTime)
		switch {
		case m.GetAbsolute():
			until = time.Unix(m.GetBantime(), 0)
		case m.GetBantime() != 0:
			until = now.Add(time.Duration(m.GetBantime()) * time.Second)
		}
		if !a.bans.Add(banlist.Entry{Subnet: subnet, Created: now, Until: until}, now) {
			return failure(errNodeAlreadyAdded, "Error: IP/Subnet already banned")
		}
		a.saveBans()
		a.log.Info("banned", "subnet", subnet.String(), "until", until.UTC().Format(time.RFC3339))
		for _, r := range a.view.conns {
			if r.addr.IsValid() && subnet.Contains(r.addr) {
				a.closeConn(ctx, r, peermanpb.DisconnectReason_DISCONNECT_REASON_BANNED, "setban "+subnet.String())
			}
		}
		return success()
	case "remove":
		if !a.bans.Remove(subnet) {
			return failure(errInvalidIPOrSubnet, "Error: Unban failed. Requested address/subnet was not previously manually banned.")
		}
		a.saveBans()
		a.log.Info("unbanned", "subnet", subnet.String())
		return success()
	}
	return failure(errInvalidParameter, "Error: setban command must be add or remove, not "+quote(m.GetCommand()))
}

// listBanned is the listbanned RPC; it prunes expired bans first.
func (a *connmanActor) listBanned() *connmanpb.BanList {
	now := a.cfg.Clock.Now()
	if a.bans.Prune(now) > 0 {
		a.saveBans()
	}
	out := &connmanpb.BanList{}
	for _, e := range a.bans.Entries() {
		out.Entries = append(out.Entries, &connmanpb.BanEntry{
			Address:       e.Subnet.String(),
			BanCreated:    e.Created.Unix(),
			BannedUntil:   e.Until.Unix(),
			BanDuration:   e.Until.Unix() - e.Created.Unix(),
			TimeRemaining: e.Until.Unix() - now.Unix(),
		})
	}
	return out
}

// clearBanned is the clearbanned RPC.
func (a *connmanActor) clearBanned() *connmanpb.Result {
	a.bans.Clear()
	a.saveBans()
	a.log.Info("all bans cleared")
	return success()
}
