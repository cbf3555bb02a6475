package telemetry

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestPerSubsystemLevelsAndFields(t *testing.T) {
	var buf bytes.Buffer
	logs, err := NewLogs(&buf, LogConfig{Format: "json", Level: "warn", Levels: map[string]string{"sockman": "debug"}})
	if err != nil {
		t.Fatal(err)
	}
	logs.For("sockman").Debug("frame", "peer", 7)
	logs.For("connman").Info("hidden")
	logs.For("connman").Warn("shown")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), buf.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first["subsystem"] != "sockman" || first["msg"] != "frame" || first["peer"] != float64(7) {
		t.Fatalf("first record = %v", first)
	}
	if !strings.Contains(lines[1], `"subsystem":"connman"`) {
		t.Fatalf("second record lacks subsystem: %s", lines[1])
	}
}

func TestBadLevelIsAnError(t *testing.T) {
	if _, err := NewLogs(&bytes.Buffer{}, LogConfig{Level: "loud"}); err == nil || !strings.Contains(err.Error(), "log.level") {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewLogs(&bytes.Buffer{}, LogConfig{Levels: map[string]string{"rpc": "x"}}); err == nil || !strings.Contains(err.Error(), "log.levels.rpc") {
		t.Fatalf("err = %v", err)
	}
}
