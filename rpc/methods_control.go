package rpc

import (
	"github.com/actornode/actornode/actors/actorspb"
)

// StopReply is stop's result, the counterpart of Core's "Bitcoin Core
// stopping".
const StopReply = "actornode stopping"

// controlMethods returns help, stop and uptime.
func controlMethods() []Method {
	return []Method{
		{
			Name:     "help",
			Category: CategoryControl,
			Args:     []Arg{{Name: "command", Optional: true}},
			Help: `help ( "command" )

Lists all commands, or shows the full help of one command.

Arguments:
1. command    (string, optional) The command to describe.

Result:
"text"    (string) The list of commands grouped by category, or the help of the command.`,
			Handler: func(call *Call, params Params) (any, error) {
				command, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				return call.table.helpText(command), nil
			},
		},
		{
			Name:     "stop",
			Category: CategoryControl,
			Help: `stop

Asks the node to shut down. The reply is sent before the node has stopped.

Result:
"actornode stopping"    (string)`,
			Handler: func(call *Call, _ Params) (any, error) {
				if _, err := Ask[*actorspb.StopAccepted](call, call.Node(), &actorspb.StopNode{Reason: "stop requested over RPC"}); err != nil {
					return nil, err
				}
				return StopReply, nil
			},
		},
		{
			Name:     "uptime",
			Category: CategoryControl,
			Help: `uptime

Returns how long the node has been running.

Result:
n    (numeric) The number of seconds since the node started.`,
			Handler: func(call *Call, _ Params) (any, error) {
				up, err := Ask[*actorspb.Uptime](call, call.Node(), &actorspb.GetUptime{})
				if err != nil {
					return nil, err
				}
				return up.GetSeconds(), nil
			},
		},
	}
}
