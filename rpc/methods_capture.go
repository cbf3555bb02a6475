package rpc

import (
	"github.com/actornode/actornode/telemetry/capture/capturepb"
)

// CaptureSessionInfo is one element of listcaptures' "sessions".
type CaptureSessionInfo struct {
	ID             uint64 `json:"id"`
	Addr           string `json:"addr"`
	Dir            string `json:"dir"`
	Start          int64  `json:"start"`
	Recording      bool   `json:"recording"`
	RecvRecords    uint64 `json:"recv_records"`
	SentRecords    uint64 `json:"sent_records"`
	Bytes          uint64 `json:"bytes"`
	DroppedRecords uint64 `json:"dropped_records"`
	Truncated      bool   `json:"truncated_by_limit"`
	Error          string `json:"error"`
}

// CaptureInfo is the result of listcaptures, startcapture and stopcapture.
type CaptureInfo struct {
	Enabled             bool                 `json:"enabled"`
	Filter              string               `json:"filter"`
	Dir                 string               `json:"dir"`
	Sessions            []CaptureSessionInfo `json:"sessions"`
	SessionsOpened      uint64               `json:"sessions_opened"`
	SessionsClosed      uint64               `json:"sessions_closed"`
	Records             uint64               `json:"records"`
	Bytes               uint64               `json:"bytes"`
	DroppedRecords      uint64               `json:"dropped_records"`
	DroppedUnattributed uint64               `json:"dropped_unattributed"`
	QueueBytes          uint64               `json:"queue_bytes"`
	QueueLimit          uint64               `json:"queue_limit"`
	Failed              bool                 `json:"failed"`
	LastError           string               `json:"last_error"`
}

// captureInfo converts the recorder's CaptureList.
func captureInfo(l *capturepb.CaptureList) CaptureInfo {
	out := CaptureInfo{
		Enabled: l.GetEnabled(), Filter: l.GetFilter(), Dir: l.GetRoot(),
		Sessions:       make([]CaptureSessionInfo, 0, len(l.GetSessions())),
		SessionsOpened: l.GetSessionsOpened(), SessionsClosed: l.GetSessionsClosed(),
		Records: l.GetRecords(), Bytes: l.GetBytes(),
		DroppedRecords: l.GetDroppedRecords(), DroppedUnattributed: l.GetDroppedUnattributed(),
		QueueBytes: l.GetQueueBytes(), QueueLimit: l.GetQueueLimit(),
		Failed: l.GetFailed(), LastError: l.GetLastError(),
	}
	for _, s := range l.GetSessions() {
		out.Sessions = append(out.Sessions, CaptureSessionInfo{
			ID: s.GetPeerId(), Addr: s.GetAddr(), Dir: s.GetDir(), Start: s.GetStartUnixNano() / 1e9,
			Recording: s.GetRecording(), RecvRecords: s.GetRecvRecords(), SentRecords: s.GetSentRecords(),
			Bytes: s.GetBytes(), DroppedRecords: s.GetDroppedRecords(), Truncated: s.GetTruncated(),
			Error: s.GetError(),
		})
	}
	return out
}

// captureResultHelp is the result description shared by the three methods.
const captureResultHelp = `Result:
{
  "enabled" : true|false,       (boolean) the selection selects any peer
  "filter" : "str",             (string) the selection as a peer filter, "" for none
  "dir" : "str",                (string) the capture directory
  "sessions" : [                (json array) sessions of connected peers, by peer id
    {
      "id" : n,                 (numeric) the peer id
      "addr" : "str",           (string) the peer's address
      "dir" : "str",            (string) the session directory
      "start" : n,              (numeric) unix time the session started
      "recording" : true|false, (boolean) false once the session stopped (limit or error)
      "recv_records" : n,       (numeric) records in msgs_recv.dat
      "sent_records" : n,       (numeric) records in msgs_sent.dat
      "bytes" : n,              (numeric) bytes in both data files
      "dropped_records" : n,    (numeric) records lost to a full capture queue
      "truncated_by_limit" : true|false, (boolean) capture.maxsessionbytes reached
      "error" : "str"           (string) the write error that stopped it, "" if none
    },
    ...
  ],
  "sessions_opened" : n,        (numeric) sessions opened since start
  "sessions_closed" : n,        (numeric) sessions closed since start
  "records" : n,                (numeric) records written since start
  "bytes" : n,                  (numeric) bytes written since start
  "dropped_records" : n,        (numeric) records dropped at the full queue since start
  "dropped_unattributed" : n,   (numeric) of those, records of connections without a session
  "queue_bytes" : n,            (numeric) bytes waiting in the capture queue
  "queue_limit" : n,            (numeric) capture.queuebytes
  "failed" : true|false,        (boolean) capture stopped after an error on the capture directory
  "last_error" : "str"          (string) the most recent capture error, "" if none
}`

// changeCapture sends a StartCapture or StopCapture and converts the reply;
// a filter the recorder refuses is error -8 naming the parse error.
func changeCapture(call *Call, msg any) (any, error) {
	reply, err := Ask[*capturepb.CaptureReply](call, call.Capture(), msg)
	if err != nil {
		return nil, err
	}
	if e := reply.GetError(); e != "" {
		return nil, NewError(CodeInvalidParameter, "%s", e)
	}
	return captureInfo(reply.GetList()), nil
}

// captureMethods returns startcapture, stopcapture and listcaptures.
func captureMethods() []Method {
	return []Method{
		{
			Name:     "startcapture",
			Category: CategoryControl,
			Args:     []Arg{{Name: "filter"}},
			Help: `startcapture "filter"

Adds the peers a peer filter selects to the message capture selection (the
selection becomes "current or filter"). Connected peers it selects start a
new session at once; peers connecting later are captured from their first
message. Files are written in Bitcoin Core's -capturemessages format, one
directory per session under <datadir>/<network>/message_capture/.

Arguments:
1. filter    (string, required) a peer filter, e.g. "all", "addr=10.0.0.0/8"
             or "dir=inbound and ua=*Satoshi*" (docs/tracing.md). A filter
             that does not parse is error -8 naming the column.

` + captureResultHelp,
			Handler: func(call *Call, params Params) (any, error) {
				if !params.Has(0) {
					return nil, call.HelpError()
				}
				filter, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				return changeCapture(call, &capturepb.StartCapture{Filter: filter})
			},
		},
		{
			Name:     "stopcapture",
			Category: CategoryControl,
			Args:     []Arg{{Name: "filter", Optional: true}},
			Help: `stopcapture ( "filter" )

Removes the peers a peer filter selects from the message capture selection
(the selection becomes "current and not filter"); without a filter, stops all
capture. Sessions of connected peers no longer selected are closed at once.

Arguments:
1. filter    (string, optional, default="") a peer filter (docs/tracing.md);
             empty stops all capture.

` + captureResultHelp,
			Handler: func(call *Call, params Params) (any, error) {
				filter, err := params.String(0, "")
				if err != nil {
					return nil, err
				}
				return changeCapture(call, &capturepb.StopCapture{Filter: filter})
			},
		},
		{
			Name:     "listcaptures",
			Category: CategoryControl,
			Help: `listcaptures

Returns the message capture selection, the sessions of connected peers and
the capture's counters and errors.

` + captureResultHelp,
			Handler: func(call *Call, _ Params) (any, error) {
				l, err := Ask[*capturepb.CaptureList](call, call.Capture(), &capturepb.ListCaptures{})
				if err != nil {
					return nil, err
				}
				return captureInfo(l), nil
			},
		},
	}
}
