package jaegertest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/testproc"
)

// stopGrace is how long a Jaeger process gets to exit after SIGINT before it
// is killed.
const stopGrace = 15 * time.Second

// readyTimeout bounds how long a starting Jaeger may take to answer its
// query API. Jaeger is usually ready within a second or two; the margin is
// for a loaded machine running tests with -race in parallel.
const readyTimeout = 90 * time.Second

// bindAttempts is how many port sets Start tries when another process takes
// a picked port first.
const bindAttempts = 5

// errPortTaken marks a launch that failed because a port was already bound.
var errPortTaken = errors.New("port already in use")

// Jaeger is a running (or stopped) Jaeger v2 process owned by one test.
type Jaeger struct {
	bin     string
	dir     string
	outPath string
	ports   ports
	http    *http.Client

	mu   sync.Mutex
	proc *testproc.Process
}

// Start launches Jaeger on free loopback ports with a configuration of its
// own (see the package documentation) and waits until its query API
// answers. It skips or fails the test when the binary is missing (see
// RequireBinary) and registers a cleanup that stops the process (SIGINT,
// then SIGKILL) and, when the test failed, logs the tail of Jaeger's output.
func Start(t testing.TB) *Jaeger {
	t.Helper()
	bin := RequireBinary(t)
	dir := t.TempDir()
	j := &Jaeger{bin: bin, dir: dir, outPath: filepath.Join(dir, "jaeger.out"),
		http: &http.Client{Timeout: 10 * time.Second}}
	t.Cleanup(func() {
		if err := j.Stop(); err != nil {
			t.Errorf("jaegertest: %v", err)
		}
		if t.Failed() {
			t.Logf("jaegertest: jaeger output (%s), last part:\n%s", j.outPath, testproc.Tail(j.outPath, 64<<10))
		}
	})
	for attempt := 1; ; attempt++ {
		p, err := pickPorts()
		if err != nil {
			t.Fatalf("jaegertest: %v", err)
		}
		j.ports = p
		err = j.launch()
		if err == nil {
			return j
		}
		if !errors.Is(err, errPortTaken) || attempt == bindAttempts {
			t.Fatalf("jaegertest: start jaeger (attempt %d): %v", attempt, err)
		}
	}
}

// OTLPGRPCAddr returns the host:port of the OTLP gRPC receiver, as
// otlptracegrpc.WithEndpoint expects it (plaintext: use WithInsecure).
func (j *Jaeger) OTLPGRPCAddr() string { return addr(j.ports.otlpGRPC) }

// OTLPHTTPAddr returns the host:port of the OTLP HTTP receiver, as
// otlptracehttp.WithEndpoint expects it (plaintext: use WithInsecure); the
// traces path is the default /v1/traces.
func (j *Jaeger) OTLPHTTPAddr() string { return addr(j.ports.otlpHTTP) }

// UIURL returns the base URL of the query service, which serves the JSON
// API under /api/ and the UI. A binary built by `make tools` has no jaeger-ui
// assets embedded (they are built with npm, outside the Go module), so the
// UI is Jaeger's placeholder page; the JSON API is complete.
func (j *Jaeger) UIURL() string { return "http://" + addr(j.ports.queryHTTP) + "/" }

// ConfigPath returns the configuration file Jaeger was started with.
func (j *Jaeger) ConfigPath() string { return filepath.Join(j.dir, "jaeger.yaml") }

// Stop stops Jaeger: SIGINT, then SIGKILL after 15 s. Its in-memory traces
// are lost. Stopping a stopped Jaeger does nothing; the error reports a
// process that had to be killed. The cleanup registered by Start calls it.
func (j *Jaeger) Stop() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	// Idle keep-alive connections to the query API would otherwise outlive
	// the test as goroutines (and trip leak checks).
	j.http.CloseIdleConnections()
	if j.proc == nil {
		return nil
	}
	err := j.proc.Stop()
	j.proc = nil
	return err
}

// launch writes the configuration for the current ports, starts Jaeger and
// waits until its query API answers. On failure no process is left running.
func (j *Jaeger) launch() error {
	if err := os.WriteFile(j.ConfigPath(), []byte(configYAML(j.ports)), 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	out, err := os.OpenFile(j.outPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open jaeger output file: %w", err)
	}
	offset, _ := out.Seek(0, io.SeekEnd)
	args := []string{"--config", "file:" + j.ConfigPath()}
	fmt.Fprintf(out, "=== jaegertest: %s %s\n", j.bin, strings.Join(args, " "))
	proc, err := testproc.Start(j.bin, args, out, stopGrace)
	out.Close() // the child holds its own descriptor
	if err != nil {
		return err
	}
	j.mu.Lock()
	j.proc = proc
	j.mu.Unlock()
	if err := j.waitReady(proc, offset); err != nil {
		_ = j.Stop()
		return err
	}
	return nil
}

// waitReady polls the query API until it answers, the process exits, or
// readyTimeout passes. An exit caused by a taken port wraps errPortTaken.
func (j *Jaeger) waitReady(proc *testproc.Process, offset int64) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		if proc.Exited() {
			since := outputSince(j.outPath, offset)
			if strings.Contains(since, "address already in use") {
				return fmt.Errorf("%w: jaeger exited: %v", errPortTaken, proc.Err())
			}
			return fmt.Errorf("jaeger exited before its query API answered: %v", proc.Err())
		}
		_, err := j.Services()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("jaeger query API at %s not answering after %v: %v", j.UIURL(), readyTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// outputSince returns the text of path after offset.
func outputSince(path string, offset int64) string {
	b, err := os.ReadFile(path)
	if err != nil || offset > int64(len(b)) {
		return ""
	}
	return string(b[offset:])
}
