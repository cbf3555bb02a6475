package rpc

import (
	"github.com/actornode/actornode/connman/connmanpb"
)

// The commands setban accepts.
const (
	setBanAdd    = "add"
	setBanRemove = "remove"
)

// BanInfo is one element of listbanned's result, with Core's field names
// and order. Times are unix seconds, durations seconds.
type BanInfo struct {
	Address       string `json:"address"`
	BanCreated    int64  `json:"ban_created"`
	BannedUntil   int64  `json:"banned_until"`
	BanDuration   int64  `json:"ban_duration"`
	TimeRemaining int64  `json:"time_remaining"`
}

// banMethods returns setban, listbanned and clearbanned.
func banMethods() []Method {
	return []Method{
		{
			Name:     "setban",
			Category: CategoryNetwork,
			Args:     []Arg{{Name: "subnet"}, {Name: "command"}, {Name: "bantime", Optional: true}, {Name: "absolute", Optional: true}},
			Help: `setban "subnet" "command" ( bantime absolute )

Adds an IP address or subnet to the ban list, or removes one from it. Adding
a ban also disconnects the peers it covers.

Arguments:
1. subnet      (string, required) An IP address, or a subnet with a netmask ("192.168.0.0/24").
2. command     (string, required) "add" to ban, "remove" to lift a ban.
3. bantime     (numeric, optional, default=0) How long the ban lasts in seconds (0: 24 hours),
               or until when if absolute is true.
4. absolute    (boolean, optional, default=false) bantime is a unix time.

Result:
null    (json null)

Errors:
-23 "Error: IP/Subnet already banned"
-30 "Error: Invalid IP/Subnet"
-30 "Error: Unban failed. Requested address/subnet was not previously manually banned."`,
			Handler: func(call *Call, params Params) (any, error) {
				command, err := params.String(1, "")
				if err != nil {
					return nil, err
				}
				if command != setBanAdd && command != setBanRemove {
					return nil, call.HelpError()
				}
				subnet, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				bantime, err := params.Int64(2, 0)
				if err != nil {
					return nil, err
				}
				absolute, err := params.Bool(3, false)
				if err != nil {
					return nil, err
				}
				msg := &connmanpb.SetBan{Subnet: subnet, Command: command, Bantime: bantime, Absolute: absolute}
				return nil, askConnman(call, msg, NewError(CodeMisc, "setban %s %s refused", command, subnet))
			},
		},
		{
			Name:     "listbanned",
			Category: CategoryNetwork,
			Help: `listbanned

Lists every banned IP address and subnet.

Result:
[
  {
    "address" : "str",        (string) the banned address or subnet
    "ban_created" : n,        (numeric) unix time the ban was created
    "banned_until" : n,       (numeric) unix time the ban ends
    "ban_duration" : n,       (numeric) the ban's length in seconds
    "time_remaining" : n      (numeric) seconds until the ban ends
  },
  ...
]`,
			Handler: func(call *Call, _ Params) (any, error) {
				list, err := Ask[*connmanpb.BanList](call, call.Connman(), &connmanpb.ListBanned{})
				if err != nil {
					return nil, err
				}
				out := make([]BanInfo, 0, len(list.GetEntries()))
				for _, e := range list.GetEntries() {
					out = append(out, BanInfo{
						Address:       e.GetAddress(),
						BanCreated:    e.GetBanCreated(),
						BannedUntil:   e.GetBannedUntil(),
						BanDuration:   e.GetBanDuration(),
						TimeRemaining: e.GetTimeRemaining(),
					})
				}
				return out, nil
			},
		},
		{
			Name:     "clearbanned",
			Category: CategoryNetwork,
			Help: `clearbanned

Removes every ban.

Result:
null    (json null)`,
			Handler: func(call *Call, _ Params) (any, error) {
				return nil, askConnman(call, &connmanpb.ClearBanned{}, NewError(CodeMisc, "clearbanned refused"))
			},
		},
	}
}
