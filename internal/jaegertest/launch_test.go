package jaegertest

import (
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/testproc"
)

// TestLaunchReportsTakenPort checks that a Jaeger whose OTLP port is already
// bound exits with errPortTaken (which makes Start retry with new ports) and
// leaves no process behind.
func TestLaunchReportsTakenPort(t *testing.T) {
	bin := RequireBinary(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	p, err := pickPorts()
	if err != nil {
		t.Fatal(err)
	}
	p.otlpGRPC = l.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	j := &Jaeger{bin: bin, dir: dir, outPath: filepath.Join(dir, "jaeger.out"), ports: p,
		http: &http.Client{Timeout: 10 * time.Second}}
	err = j.launch()
	if !errors.Is(err, errPortTaken) {
		t.Fatalf("launch with a taken port: %v, want errPortTaken; output:\n%s", err, testproc.Tail(j.outPath, 16<<10))
	}
	if j.proc != nil {
		t.Fatal("a failed launch left a process registered")
	}
}
