package rpc

// TelemetryInfo is gettelemetryinfo's result: how tracing and metrics are
// configured and what became of the spans so far.
type TelemetryInfo struct {
	// Traces describes tracing.
	Traces TraceInfo `json:"traces"`
	// Metrics describes the Prometheus endpoint.
	Metrics MetricsInfo `json:"metrics"`
}

// TraceInfo is the "traces" object of gettelemetryinfo. The counters cover
// every finished sampled span since the node started: each is Queued or
// Dropped, and each queued span ends up Exported or Failed (or is still
// waiting). Lost is Dropped plus Failed.
type TraceInfo struct {
	// Sampler is off, ratio or always.
	Sampler string `json:"sampler"`
	// Ratio is the fraction of root messages traced with sampler ratio.
	Ratio float64 `json:"ratio"`
	// Peers is the peer filter selecting peers traced in full, "" for none.
	Peers string `json:"peers"`
	// Endpoint is the collector spans are exported to.
	Endpoint string `json:"endpoint"`
	// Protocol is grpc or http.
	Protocol string `json:"protocol"`
	// Queued counts spans accepted into the export queue.
	Queued uint64 `json:"queued"`
	// Exported counts spans the collector accepted.
	Exported uint64 `json:"exported"`
	// Dropped counts spans refused because the export queue was full.
	Dropped uint64 `json:"dropped"`
	// Failed counts spans lost in failed or timed-out exports.
	Failed uint64 `json:"failed"`
	// Lost is Dropped plus Failed: spans that never reached the collector.
	// gettelemetryinfo computes it.
	Lost uint64 `json:"lost"`
}

// MetricsInfo is the "metrics" object of gettelemetryinfo.
type MetricsInfo struct {
	// Listen is the address serving /metrics, "" when metrics are off.
	Listen string `json:"listen"`
}

// telemetryMethods returns gettelemetryinfo.
func telemetryMethods() []Method {
	return []Method{{
		Name:     "gettelemetryinfo",
		Category: CategoryControl,
		Help: `gettelemetryinfo

Returns how tracing and metrics are configured and what became of the
finished spans: a span that is sampled is queued for export or, when the
queue is full (the collector is slow or down), dropped; a queued span is
exported or lost in a failed export. The node never waits for the collector.

Result:
{
  "traces" : {
    "sampler" : "str",     (string) off, ratio or always
    "ratio" : n,           (numeric) fraction of root messages traced with sampler ratio
    "peers" : "str",       (string) peer filter of the peers traced in full, "" for none
    "endpoint" : "str",    (string) the OTLP collector
    "protocol" : "str",    (string) grpc or http
    "queued" : n,          (numeric) spans accepted into the export queue
    "exported" : n,        (numeric) spans the collector accepted
    "dropped" : n,         (numeric) spans dropped because the export queue was full
    "failed" : n,          (numeric) spans lost in failed exports
    "lost" : n             (numeric) dropped plus failed
  },
  "metrics" : {
    "listen" : "str"       (string) host:port serving /metrics, "" when off
  }
}`,
		Handler: func(call *Call, _ Params) (any, error) {
			if call.cfg.TelemetryStats == nil {
				return TelemetryInfo{Traces: TraceInfo{Sampler: "off"}}, nil
			}
			info := call.cfg.TelemetryStats()
			info.Traces.Lost = info.Traces.Dropped + info.Traces.Failed
			return info, nil
		},
	}}
}
