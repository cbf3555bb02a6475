package connman

import (
	"testing"
	"time"
)

func TestRedialScheduleDoublesUpToTheCap(t *testing.T) {
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		if got := redialDelay(i + 1); got != w*time.Second {
			t.Errorf("failure %d: delay %v want %v", i+1, got, w*time.Second)
		}
	}
	if got := redialDelay(1000); got != redialCap {
		t.Errorf("failure 1000: %v", got)
	}
}

func TestRedialScenarioPeerComesBackWithinAMinute(t *testing.T) {
	// A peer is down for 45 s: dials fail at 0, 1, 3, 7, 15, 31 s; the
	// dial at 61 s finds it back: within a minute of its return.
	var at time.Duration
	failures := 0
	for at < 45*time.Second {
		failures++
		at += redialDelay(failures)
	}
	if back := at - 45*time.Second; back > time.Minute || back > redialCap {
		t.Fatalf("reconnected %v after the peer came back", back)
	}
}

func TestStableConnectionResetsTheSchedule(t *testing.T) {
	if got := failuresAfterClose(6, 10*time.Minute); got != 1 || redialDelay(got) != time.Second {
		t.Fatalf("after a long connection: failures %d", got)
	}
	if got := failuresAfterClose(3, time.Second); got != 4 || redialDelay(got) != 8*time.Second {
		t.Fatalf("after a short connection: failures %d", got)
	}
}

func TestWithPort(t *testing.T) {
	cfg := Config{DefaultPort: "8333"}
	for in, want := range map[string]string{
		"1.2.3.4": "1.2.3.4:8333", "1.2.3.4:1": "1.2.3.4:1", "::1": "[::1]:8333", "[::1]": "[::1]:8333",
		"[::1]:5": "[::1]:5", "node.example": "node.example:8333",
	} {
		if got := cfg.withPort(in); got != want {
			t.Errorf("withPort(%q)=%q want %q", in, got, want)
		}
	}
}
