package jaegertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// ErrTraceNotFound is returned by TraceByID for a trace the store does not
// hold.
var ErrTraceNotFound = errors.New("jaegertest: trace not found")

// apiResponse is the envelope of every JSON API answer.
type apiResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []apiError      `json:"errors"`
}

// apiError is one entry of an envelope's errors.
type apiError struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
}

// statusError is a query API answer with an HTTP status other than 200.
type statusError struct {
	url  string
	code int
	body string
}

// Error describes the request and the answer.
func (e *statusError) Error() string {
	return fmt.Sprintf("jaegertest: GET %s: %d %s: %s", e.url, e.code, http.StatusText(e.code), e.body)
}

// Services returns the service names the store holds spans of, sorted.
func (j *Jaeger) Services() ([]string, error) {
	var svcs []string
	if err := j.getJSON("/api/services", nil, &svcs); err != nil {
		return nil, err
	}
	slices.Sort(svcs)
	return svcs, nil
}

// Traces returns up to limit of the service's most recent traces (within
// the query service's default lookback), each complete with the spans of
// other services. A service the store has never seen yields no traces and
// no error.
func (j *Jaeger) Traces(service string, limit int) ([]Trace, error) {
	q := url.Values{"service": {service}, "limit": {strconv.Itoa(limit)}}
	var traces []Trace
	if err := j.getJSON("/api/traces", q, &traces); err != nil {
		return nil, err
	}
	return traces, nil
}

// TraceByID returns one trace, or an error wrapping ErrTraceNotFound.
func (j *Jaeger) TraceByID(id TraceID) (Trace, error) {
	var traces []Trace
	if err := j.getJSON("/api/traces/"+url.PathEscape(string(id)), nil, &traces); err != nil {
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusNotFound {
			return Trace{}, fmt.Errorf("%w: %s", ErrTraceNotFound, id)
		}
		return Trace{}, err
	}
	if len(traces) == 0 {
		return Trace{}, fmt.Errorf("%w: %s", ErrTraceNotFound, id)
	}
	return traces[0], nil
}

// WaitForSpans polls the service's most recent traces (up to limit) until
// at least min spans match m, then returns every matching span. It gives up
// after timeout with an error that says how many matched. Exports reach the
// store asynchronously, so tests call this instead of Traces right after
// ending spans.
func (j *Jaeger) WaitForSpans(service string, limit int, m Match, min int, timeout time.Duration) ([]Span, error) {
	deadline := time.Now().Add(timeout)
	for {
		traces, err := j.Traces(service, limit)
		var found []Span
		if err == nil {
			found = FindSpans(traces, m)
			if len(found) >= min {
				return found, nil
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				return nil, fmt.Errorf("jaegertest: waiting %v for %d span(s) %+v of %q: %w", timeout, min, m, service, err)
			}
			return found, fmt.Errorf("jaegertest: waited %v for %d span(s) %+v of %q; %d matched in %d trace(s)",
				timeout, min, m, service, len(found), len(traces))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// getJSON fetches path with query from the query service and decodes the
// envelope's data into out. Numbers in tags are kept as json.Number.
func (j *Jaeger) getJSON(path string, query url.Values, out any) error {
	u := "http://" + addr(j.ports.queryHTTP) + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	resp, err := j.http.Get(u)
	if err != nil {
		return fmt.Errorf("jaegertest: GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("jaegertest: GET %s: read body: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{url: u, code: resp.StatusCode, body: string(bytes.TrimSpace(body))}
	}
	var env apiResponse
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("jaegertest: GET %s: decode envelope: %w", u, err)
	}
	if len(env.Errors) > 0 {
		return fmt.Errorf("jaegertest: GET %s: %d: %s", u, env.Errors[0].Code, env.Errors[0].Msg)
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(env.Data))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("jaegertest: GET %s: decode data: %w", u, err)
	}
	return nil
}
