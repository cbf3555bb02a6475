package rpc

import (
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
)

// uploadTimeframe is the length of Core's upload-target cycle, reported by
// getnettotals even though the node sets no target.
const uploadTimeframe = 24 * time.Hour

// NetTotals is getnettotals' result, with Core's field names and order.
type NetTotals struct {
	TotalBytesRecv uint64       `json:"totalbytesrecv"`
	TotalBytesSent uint64       `json:"totalbytessent"`
	TimeMillis     int64        `json:"timemillis"`
	UploadTarget   UploadTarget `json:"uploadtarget"`
}

// UploadTarget is getnettotals' "uploadtarget". The node has no upload
// target, so it reports what Core reports without -maxuploadtarget.
type UploadTarget struct {
	Timeframe             int64  `json:"timeframe"`
	Target                uint64 `json:"target"`
	TargetReached         bool   `json:"target_reached"`
	ServeHistoricalBlocks bool   `json:"serve_historical_blocks"`
	BytesLeftInCycle      uint64 `json:"bytes_left_in_cycle"`
	TimeLeftInCycle       int64  `json:"time_left_in_cycle"`
}

// noUploadTarget is the uploadtarget of a node without a target.
func noUploadTarget() UploadTarget {
	return UploadTarget{Timeframe: int64(uploadTimeframe / time.Second), ServeHistoricalBlocks: true}
}

// trafficMethods returns getnettotals.
func trafficMethods() []Method {
	return []Method{{
		Name:     "getnettotals",
		Category: CategoryNetwork,
		Help: `getnettotals

Returns the bytes received and sent over every connection since the node
started, as the socket manager counts them, and the time of that count.

Result:
{
  "totalbytesrecv" : n,              (numeric) total bytes received
  "totalbytessent" : n,              (numeric) total bytes sent
  "timemillis" : n,                  (numeric) unix time of the count in milliseconds
  "uploadtarget" : {
    "timeframe" : 86400,             (numeric) length of the measuring cycle in seconds
    "target" : 0,                    (numeric) upload target in bytes (none)
    "target_reached" : false,        (boolean) whether the target is reached
    "serve_historical_blocks" : true,(boolean) whether historical blocks are served
    "bytes_left_in_cycle" : 0,       (numeric) bytes left in this cycle
    "time_left_in_cycle" : 0         (numeric) seconds left in this cycle
  }
}`,
		Handler: func(call *Call, _ Params) (any, error) {
			totals, err := Ask[*sockmanpb.NetTotals](call, call.Sockman(), &sockmanpb.GetNetTotals{})
			if err != nil {
				return nil, err
			}
			return NetTotals{
				TotalBytesRecv: totals.GetTotalBytesRecv(),
				TotalBytesSent: totals.GetTotalBytesSent(),
				TimeMillis:     time.Unix(0, totals.GetTimeUnixNano()).UnixMilli(),
				UploadTarget:   noUploadTarget(),
			}, nil
		},
	}}
}
