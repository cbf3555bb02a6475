package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// jaeger is a Jaeger v2 all-in-one started by the demo: OTLP in, the UI and
// query API out, spans kept in memory.
type jaeger struct {
	otlpGRPC string
	ui       string
}

// findJaeger returns the jaeger binary to run: flag when given ("none"
// disables Jaeger), else jaeger in dir, else jaeger on PATH; "" when there
// is none.
func findJaeger(flag, dir string) string {
	switch flag {
	case "none":
		return ""
	case "":
	default:
		return flag
	}
	if p := filepath.Join(dir, "jaeger"); isExecutable(p) {
		return p
	}
	if p, err := exec.LookPath("jaeger"); err == nil {
		return p
	}
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// startJaeger starts bin with a configuration of its own: OTLP gRPC and
// HTTP and the query service on free loopback ports (so a Jaeger already
// running on the default ports is left alone), in-memory storage, and no
// other listener. It waits for the query API.
func (d *demo) startJaeger(ctx context.Context, bin string) (*jaeger, error) {
	grpcAddr := fmt.Sprintf("127.0.0.1:%d", freePort())
	httpAddr := fmt.Sprintf("127.0.0.1:%d", freePort())
	queryAddr := fmt.Sprintf("127.0.0.1:%d", freePort())
	queryGRPC := fmt.Sprintf("127.0.0.1:%d", freePort())
	conf := filepath.Join(d.dir, "jaeger.yaml")
	if err := os.WriteFile(conf, []byte(jaegerConfig(grpcAddr, httpAddr, queryAddr, queryGRPC, d.jaegerUI)), 0o600); err != nil {
		return nil, err
	}
	if err := d.start(bin, []string{"--config", "file:" + conf}, filepath.Join(d.dir, "jaeger.log")); err != nil {
		return nil, err
	}
	j := &jaeger{otlpGRPC: grpcAddr, ui: "http://" + queryAddr + "/"}
	client := &http.Client{Timeout: 5 * time.Second}
	err := waitFor(ctx, 60*time.Second, "Jaeger query API", func() error {
		resp, err := client.Get(j.ui + "api/services")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})
	return j, err
}

// jaegerConfig is Jaeger v2's all-in-one configuration cut down to the OTLP
// receiver, in-memory storage and the query service, which serves the UI
// from uiAssets when it is set (a Jaeger built from the Go module has no UI
// of its own).
func jaegerConfig(otlpGRPC, otlpHTTP, query, queryGRPC, uiAssets string) string {
	ui := ""
	if uiAssets != "" {
		ui = fmt.Sprintf("    ui:\n      assets_path: %q\n", uiAssets)
	}
	return fmt.Sprintf(`service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    traces:
      level: none
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: %q
    grpc:
      endpoint: %q
%sreceivers:
  otlp:
    protocols:
      grpc:
        endpoint: %q
      http:
        endpoint: %q
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`, query, queryGRPC, ui, otlpGRPC, otlpHTTP)
}
