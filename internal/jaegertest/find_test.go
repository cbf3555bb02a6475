package jaegertest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// sampleTraces is a trimmed /api/traces data array in the query API's shape.
const sampleTraces = `[{"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spans":[
 {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"00f067aa0ba902b7","operationName":"connect",
  "references":[],"startTime":1700000000000000,"duration":1500,
  "tags":[{"key":"peer.id","type":"string","value":"p1"},{"key":"height","type":"int64","value":9007199254740993},
          {"key":"inbound","type":"bool","value":false}],"logs":[],"processID":"p1","warnings":null},
 {"traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"b7ad6b7169203331","operationName":"connect",
  "references":[{"refType":"CHILD_OF","traceID":"4bf92f3577b34da6a3ce929d0e0e4736","spanID":"00f067aa0ba902b7"}],
  "startTime":1700000000000100,"duration":10,
  "tags":[{"key":"peer.id","type":"string","value":"p2"}],"logs":[],"processID":"p2","warnings":null}],
 "processes":{"p1":{"serviceName":"node-a","tags":[]},"p2":{"serviceName":"node-b","tags":[]}},"warnings":null}]`

func decodeSample(t *testing.T) []Trace {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(sampleTraces)))
	dec.UseNumber()
	var traces []Trace
	if err := dec.Decode(&traces); err != nil {
		t.Fatal(err)
	}
	return traces
}

func TestMatchByOperationAndTags(t *testing.T) {
	traces := decodeSample(t)
	if got := FindSpans(traces, Match{Operation: "connect"}); len(got) != 2 {
		t.Fatalf("by operation: %d spans, want 2", len(got))
	}
	got := FindSpans(traces, Match{Operation: "connect", Tags: map[string]string{"peer.id": "p2"}})
	if len(got) != 1 || got[0].SpanID != "b7ad6b7169203331" {
		t.Fatalf("by operation and tag: %+v, want span b7ad6b7169203331", got)
	}
	// An int64 above 2^53 must compare exactly, not through a float64.
	if got := FindSpans(traces, Match{Tags: map[string]string{"height": "9007199254740993"}}); len(got) != 1 {
		t.Fatalf("by int64 tag: %d spans, want 1", len(got))
	}
	if got := FindSpans(traces, Match{Tags: map[string]string{"inbound": "false"}}); len(got) != 1 {
		t.Fatalf("by bool tag: %d spans, want 1", len(got))
	}
	if got := FindSpans(traces, Match{Operation: "connect", Tags: map[string]string{"absent": ""}}); len(got) != 0 {
		t.Fatalf("a missing tag matched %d spans", len(got))
	}
	if got := traces[0].SpansByOperation("other"); len(got) != 0 {
		t.Fatalf("SpansByOperation(other) = %d spans, want 0", len(got))
	}
}

func TestSpanAccessors(t *testing.T) {
	tr := decodeSample(t)[0]
	root, child := tr.Spans[0], tr.Spans[1]
	if _, ok := root.ParentSpanID(); ok {
		t.Error("root span reports a parent")
	}
	if pid, ok := child.ParentSpanID(); !ok || pid != root.SpanID {
		t.Errorf("child's parent = %q, %v; want %q", pid, ok, root.SpanID)
	}
	if got, ok := tr.SpanByID(child.SpanID); !ok || got.OperationName != "connect" {
		t.Errorf("SpanByID(child) = %+v, %v", got, ok)
	}
	if tr.ServiceOf(root) != "node-a" || tr.ServiceOf(child) != "node-b" {
		t.Errorf("services %q, %q; want node-a, node-b", tr.ServiceOf(root), tr.ServiceOf(child))
	}
	if got := root.Start().UnixMicro(); got != 1700000000000000 {
		t.Errorf("Start = %d µs, want 1700000000000000", got)
	}
	if got := root.Elapsed().Microseconds(); got != 1500 {
		t.Errorf("Elapsed = %d µs, want 1500", got)
	}
}
