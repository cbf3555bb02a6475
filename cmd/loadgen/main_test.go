package main

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

func TestRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-network", "nonet"},
		{"-kind", "flood", "-addr", "127.0.0.1:1"},
		{"-nosuchflag"},
	} {
		var out, errs bytes.Buffer
		if got := run(args, &out, &errs); got != 2 {
			t.Errorf("run(%v) = %d, want 2 (stderr %q)", args, got, errs.String())
		}
	}
}

func TestReportsAFailedDial(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	var out, errs bytes.Buffer
	if got := run([]string{"-addr", addr, "-handshakes", "2", "-concurrency", "1"}, &out, &errs); got != 1 {
		t.Fatalf("run = %d, want 1", got)
	}
	if !strings.Contains(out.String(), "0 completed, 2 failed") || !strings.Contains(errs.String(), "first failure") {
		t.Fatalf("stdout %q stderr %q", out.String(), errs.String())
	}
}
