package rpc_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func TestGetNetTotals(t *testing.T) {
	h := startHarness(t, nil)
	raw := h.rawResult(t, "getnettotals")
	if got, want := objectKeys(t, raw), []string{"totalbytesrecv", "totalbytessent", "timemillis", "uploadtarget"}; !slices.Equal(got, want) {
		t.Fatalf("getnettotals keys %v, want %v", got, want)
	}
	var totals struct {
		Upload json.RawMessage `json:"uploadtarget"`
	}
	if err := json.Unmarshal(raw, &totals); err != nil {
		t.Fatal(err)
	}
	wantUploadKeys := []string{"timeframe", "target", "target_reached", "serve_historical_blocks", "bytes_left_in_cycle", "time_left_in_cycle"}
	if got := objectKeys(t, totals.Upload); !slices.Equal(got, wantUploadKeys) {
		t.Fatalf("uploadtarget keys %v, want %v", got, wantUploadKeys)
	}
	got := decodeValue(t, raw)
	want := map[string]any{
		"totalbytesrecv": float64(testTotalRecv),
		"totalbytessent": float64(testTotalSent),
		"timemillis":     float64(testTotalsUnixMs),
		"uploadtarget": map[string]any{
			"timeframe": float64(86400), "target": float64(0), "target_reached": false,
			"serve_historical_blocks": true, "bytes_left_in_cycle": float64(0), "time_left_in_cycle": float64(0),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("getnettotals = %v, want %v", got, want)
	}
}
