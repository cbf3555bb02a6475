package jaegertest

import (
	"encoding/json"
	"fmt"
	"time"
)

// TraceID is a trace's ID as the query API writes it: lowercase hex, 32
// digits for a 128-bit ID (leading zeros kept), as an OTel trace ID's
// String() gives it.
type TraceID string

// SpanID is a span's ID as the query API writes it: 16 lowercase hex digits.
type SpanID string

// ProcessID names one entry of Trace.Processes ("p1", "p2", ...); it is only
// meaningful within its trace.
type ProcessID string

// RefType is the kind of a span's reference to another span.
type RefType string

// The reference kinds of the query API. An OTel parent becomes ChildOf; OTel
// links are not references.
const (
	// ChildOf points at the span's parent.
	ChildOf RefType = "CHILD_OF"
	// FollowsFrom points at a span this one causally follows.
	FollowsFrom RefType = "FOLLOWS_FROM"
)

// ValueType is the type of a KeyValue's value.
type ValueType string

// The value types of the query API.
const (
	// StringType is a string value.
	StringType ValueType = "string"
	// BoolType is a boolean value.
	BoolType ValueType = "bool"
	// Int64Type is a 64-bit signed integer value (a json.Number in Value).
	Int64Type ValueType = "int64"
	// Float64Type is a 64-bit float value (a json.Number in Value).
	Float64Type ValueType = "float64"
	// BinaryType is a byte string value (base64 text in Value).
	BinaryType ValueType = "binary"
)

// Trace is one trace as the query API returns it: its spans and the
// processes (services) that emitted them.
type Trace struct {
	// TraceID is the trace's ID.
	TraceID TraceID `json:"traceID"`
	// Spans are the trace's spans in the order the store returned them.
	Spans []Span `json:"spans"`
	// Processes maps each span's ProcessID to the emitting process.
	Processes map[ProcessID]Process `json:"processes"`
	// Warnings are the store's remarks about the trace, if any.
	Warnings []string `json:"warnings"`
}

// Span is one span of a Trace. OTel span attributes, the span kind
// ("span.kind"), the status ("otel.status_code", "otel.status_description")
// and the instrumentation scope ("otel.scope.name") all appear as Tags; OTel
// events appear as Logs.
type Span struct {
	// TraceID is the ID of the span's trace.
	TraceID TraceID `json:"traceID"`
	// SpanID is the span's ID.
	SpanID SpanID `json:"spanID"`
	// Flags are the span's trace flags (1: sampled).
	Flags uint32 `json:"flags"`
	// OperationName is the OTel span name.
	OperationName string `json:"operationName"`
	// References holds the parent (ChildOf) and any other references.
	References []Reference `json:"references"`
	// StartTime is the start in microseconds since the Unix epoch.
	StartTime uint64 `json:"startTime"`
	// Duration is the span's length in microseconds.
	Duration uint64 `json:"duration"`
	// Tags are the span's attributes and OTel metadata.
	Tags []KeyValue `json:"tags"`
	// Logs are the span's events.
	Logs []Log `json:"logs"`
	// ProcessID names the emitting process in Trace.Processes.
	ProcessID ProcessID `json:"processID"`
	// Warnings are the store's remarks about the span, if any.
	Warnings []string `json:"warnings"`
}

// Reference is a span's link to another span.
type Reference struct {
	// RefType is the kind of reference.
	RefType RefType `json:"refType"`
	// TraceID is the trace of the referenced span.
	TraceID TraceID `json:"traceID"`
	// SpanID is the referenced span.
	SpanID SpanID `json:"spanID"`
}

// Process is the emitter of spans: the OTel resource.
type Process struct {
	// ServiceName is the resource's service.name.
	ServiceName string `json:"serviceName"`
	// Tags are the resource's other attributes.
	Tags []KeyValue `json:"tags"`
}

// Log is one span event.
type Log struct {
	// Timestamp is the event time in microseconds since the Unix epoch.
	Timestamp uint64 `json:"timestamp"`
	// Fields are the event's attributes; the event name is the "event" field.
	Fields []KeyValue `json:"fields"`
}

// KeyValue is one typed tag, field or resource attribute.
type KeyValue struct {
	// Key is the attribute name.
	Key string `json:"key"`
	// Type is the type of Value.
	Type ValueType `json:"type"`
	// Value is a string, bool or json.Number (numbers are decoded without
	// loss of int64 precision).
	Value any `json:"value"`
}

// Text renders the value as text: a string as itself, a number as its JSON
// digits (int64 without loss), a bool as "true" or "false".
func (kv KeyValue) Text() string {
	switch v := kv.Value.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Start returns the span's start time.
func (s Span) Start() time.Time { return time.UnixMicro(int64(s.StartTime)) }

// Elapsed returns the span's duration.
func (s Span) Elapsed() time.Duration { return time.Duration(s.Duration) * time.Microsecond }

// Tag returns the span's tag named key.
func (s Span) Tag(key string) (KeyValue, bool) {
	for _, kv := range s.Tags {
		if kv.Key == key {
			return kv, true
		}
	}
	return KeyValue{}, false
}

// ParentSpanID returns the span referenced as ChildOf, or false for a root
// span.
func (s Span) ParentSpanID() (SpanID, bool) {
	for _, r := range s.References {
		if r.RefType == ChildOf {
			return r.SpanID, true
		}
	}
	return "", false
}

// ServiceOf returns the service name of the process that emitted s, or ""
// when s does not belong to the trace.
func (t Trace) ServiceOf(s Span) string {
	return t.Processes[s.ProcessID].ServiceName
}

// SpanByID returns the trace's span with the given ID.
func (t Trace) SpanByID(id SpanID) (Span, bool) {
	for _, s := range t.Spans {
		if s.SpanID == id {
			return s, true
		}
	}
	return Span{}, false
}
