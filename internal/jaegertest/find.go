package jaegertest

// Match selects spans by operation name and tag values.
type Match struct {
	// Operation is the required operation (OTel span) name; empty matches
	// any.
	Operation string
	// Tags maps tag keys to the values they must have, compared as text
	// (KeyValue.Text): "42" matches an int64 tag 42, "true" a bool tag.
	Tags map[string]string
}

// Matches reports whether s has the operation name and every tag of m.
func (m Match) Matches(s Span) bool {
	if m.Operation != "" && s.OperationName != m.Operation {
		return false
	}
	for k, want := range m.Tags {
		kv, ok := s.Tag(k)
		if !ok || kv.Text() != want {
			return false
		}
	}
	return true
}

// Find returns the trace's spans that m matches, in trace order.
func (t Trace) Find(m Match) []Span {
	var out []Span
	for _, s := range t.Spans {
		if m.Matches(s) {
			out = append(out, s)
		}
	}
	return out
}

// SpansByOperation returns the trace's spans with the given operation name.
func (t Trace) SpansByOperation(name string) []Span {
	return t.Find(Match{Operation: name})
}

// FindSpans returns the spans of all traces that m matches, trace by trace.
func FindSpans(traces []Trace, m Match) []Span {
	var out []Span
	for _, t := range traces {
		out = append(out, t.Find(m)...)
	}
	return out
}
