package trace

import (
	"fmt"
	"time"

	"github.com/actornode/actornode/telemetry/peerfilter"
)

// Sampler modes accepted in Config.Sampler (telemetry.traces.sampler).
const (
	// SamplerOff starts no trace by itself; only peers selected by the peer
	// filter are traced.
	SamplerOff = "off"
	// SamplerRatio starts a trace for a fraction (Config.Ratio) of the root
	// messages.
	SamplerRatio = "ratio"
	// SamplerAlways starts a trace for every root message.
	SamplerAlways = "always"
)

// Export protocols accepted in Config.Protocol (telemetry.traces.protocol).
const (
	// ProtocolGRPC is OTLP over gRPC (port 4317 by convention).
	ProtocolGRPC = "grpc"
	// ProtocolHTTP is OTLP over HTTP with protobuf bodies (port 4318).
	ProtocolHTTP = "http"
)

// Defaults used when a Config field is zero.
const (
	DefaultGRPCEndpoint  = "127.0.0.1:4317"
	DefaultHTTPEndpoint  = "127.0.0.1:4318"
	DefaultQueueSize     = 4096
	DefaultBatchSize     = 512
	DefaultBatchTimeout  = time.Second
	DefaultExportTimeout = 10 * time.Second
)

// Config is the tracing section of the node's configuration
// (telemetry.traces.*). The zero value traces nothing.
type Config struct {
	// Sampler is SamplerOff (or empty), SamplerRatio or SamplerAlways.
	Sampler string
	// Ratio is the fraction of root messages traced with SamplerRatio,
	// between 0 and 1.
	Ratio float64
	// Peers is a peer filter (package peerfilter); the selected peers are
	// traced in full whatever the sampler. Empty selects none.
	Peers string
	// Endpoint is the collector's host:port, or a URL
	// (http://host:4318/v1/traces); empty is the protocol's default on
	// 127.0.0.1.
	Endpoint string
	// Protocol is ProtocolGRPC (or empty) or ProtocolHTTP.
	Protocol string
	// QueueSize bounds the spans waiting for export; when it is full new
	// spans are dropped and counted. Zero is DefaultQueueSize.
	QueueSize int
	// BatchSize is the most spans sent in one export. Zero is
	// DefaultBatchSize.
	BatchSize int
	// BatchTimeout is the longest a finished span waits for its batch to
	// fill. Zero is DefaultBatchTimeout.
	BatchTimeout time.Duration
	// ExportTimeout bounds one export call. Zero is DefaultExportTimeout.
	ExportTimeout time.Duration
}

// settings is a checked Config with defaults filled in.
type settings struct {
	Config
	filter *peerfilter.Filter
}

// check validates cfg, parses its peer filter and fills in defaults. Errors
// name the config key.
func (cfg Config) check() (settings, error) {
	s := settings{Config: cfg}
	switch cfg.Sampler {
	case "":
		s.Sampler = SamplerOff
	case SamplerOff, SamplerRatio, SamplerAlways:
	default:
		return s, fmt.Errorf("telemetry.traces.sampler: expected off, ratio or always, got %q", cfg.Sampler)
	}
	if cfg.Ratio < 0 || cfg.Ratio > 1 || cfg.Ratio != cfg.Ratio {
		return s, fmt.Errorf("telemetry.traces.ratio: expected a number between 0 and 1, got %v", cfg.Ratio)
	}
	if cfg.Peers != "" {
		f, err := peerfilter.Parse(cfg.Peers)
		if err != nil {
			return s, fmt.Errorf("telemetry.traces.peers: %w", err)
		}
		s.filter = f
	}
	switch cfg.Protocol {
	case "", ProtocolGRPC:
		s.Protocol = ProtocolGRPC
		if s.Endpoint == "" {
			s.Endpoint = DefaultGRPCEndpoint
		}
	case ProtocolHTTP:
		if s.Endpoint == "" {
			s.Endpoint = DefaultHTTPEndpoint
		}
	default:
		return s, fmt.Errorf("telemetry.traces.protocol: expected grpc or http, got %q", cfg.Protocol)
	}
	if cfg.QueueSize < 0 || cfg.BatchSize < 0 || cfg.BatchTimeout < 0 || cfg.ExportTimeout < 0 {
		return s, fmt.Errorf("telemetry.traces: queue size, batch size and timeouts must not be negative")
	}
	if s.QueueSize == 0 {
		s.QueueSize = DefaultQueueSize
	}
	if s.BatchSize == 0 {
		s.BatchSize = DefaultBatchSize
	}
	if s.BatchSize > s.QueueSize {
		s.BatchSize = s.QueueSize
	}
	if s.BatchTimeout == 0 {
		s.BatchTimeout = DefaultBatchTimeout
	}
	if s.ExportTimeout == 0 {
		s.ExportTimeout = DefaultExportTimeout
	}
	return s, nil
}

// enabled reports whether any message can ever be traced.
func (s settings) enabled() bool {
	return s.Sampler == SamplerAlways || (s.Sampler == SamplerRatio && s.Ratio > 0) || s.filter != nil
}
