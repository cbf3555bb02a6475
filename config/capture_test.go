package config

import (
	"strings"
	"testing"
)

func TestCaptureKeysLoadFromEveryLayer(t *testing.T) {
	c, err := Load([]string{"--capture.enabled", "--capture.filter", "dir=inbound"},
		testEnv("ACTORNODE_CAPTURE_MAXSESSIONBYTES=0", "ACTORNODE_CAPTURE_QUEUEBYTES=65536"))
	if err != nil {
		t.Fatal(err)
	}
	want := Capture{Enabled: true, Filter: "dir=inbound", MaxSessionBytes: 0, MaxTotalBytes: 1 << 30, QueueBytes: 65536}
	if c.Capture != want {
		t.Fatalf("got %+v, want %+v", c.Capture, want)
	}
}

func TestCaptureBadValuesNameKeyAndProblem(t *testing.T) {
	for _, tc := range []struct{ key, value, want string }{
		{"capture.filter", `"addr=1.2.3.4 and"`, "column"},
		{"capture.filter", `""`, "non-empty"},
		{"capture.maxsessionbytes", "-1", "a whole number >= 0"},
		{"capture.maxtotalbytes", "lots", "a whole number >= 0"},
		{"capture.queuebytes", "1000", "a whole number >= 65536"},
		{"capture.enabled", "maybe", "true or false"},
	} {
		_, err := LoadFile(writeConfig(t, nestedYAML(tc.key, tc.value)))
		if err == nil || !strings.Contains(err.Error(), tc.key) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %s: error %v, want one naming the key and %q", tc.key, tc.value, err, tc.want)
		}
	}
}
