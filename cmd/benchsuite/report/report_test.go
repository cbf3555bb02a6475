package report

import (
	"math"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{7}, 7},
	}
	for _, c := range cases {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
	in := []float64{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Error("Median sorted its argument")
	}
	if !math.IsNaN(Ratio(1, 0)) || Ratio(3, 2) != 1.5 {
		t.Error("Ratio")
	}
}

func TestTargetVerdictsAndLines(t *testing.T) {
	cases := []struct {
		t    Target
		want Verdict
		line string
	}{
		{Target{Name: "p50 ratio", Bound: AtMost, Limit: 1.5, Measured: 1.91, Format: "%.2f×"}, Missed,
			"- p50 ratio: measured 1.91×, target ≤ 1.50× — **MISSED**"},
		{Target{Name: "p99", Bound: AtMost, Limit: 1000, Measured: 1000, Format: "%.0f µs"}, Met,
			"- p99: measured 1000 µs, target ≤ 1000 µs — **MET**"},
		{Target{Name: "rate", Bound: AtLeast, Limit: 5000, Measured: 4999.4, Format: "%.0f/s"}, Missed,
			"- rate: measured 4999/s, target ≥ 5000/s — **MISSED**"},
		{Target{Name: "scaling", Bound: AtLeast, Limit: 1.7, Measured: 1.8}, Met,
			"- scaling: measured 1.80, target ≥ 1.70 — **MET**"},
		{Target{Name: "ibd", Bound: AtLeast, Limit: 1, Measured: math.NaN(), Why: "not yet"}, Unmeasured,
			"- ibd: measured n/a, target ≥ 1.00 — **NOT MEASURED** (not yet)"},
	}
	for _, c := range cases {
		if got := c.t.Verdict(); got != c.want {
			t.Errorf("%s: verdict %s, want %s", c.t.Name, got, c.want)
		}
		if got := c.t.Line(); got != c.line {
			t.Errorf("line\n%s\nwant\n%s", got, c.line)
		}
	}
}

func TestRenderHasMarkersTargetsAndTables(t *testing.T) {
	r := Report{
		Machine: []string{"CPU: test", "cores: 2"},
		Date:    "2026-01-02 03:04 UTC",
		Command: "make bench",
		Runs:    3,
		Targets: []Target{
			{Name: "a", Bound: AtLeast, Limit: 2, Measured: 3},
			{Name: "b", Bound: AtMost, Limit: 2, Measured: 3},
			{Name: "c", Bound: AtMost, Limit: 2, Measured: math.NaN()},
		},
		Sections: []Section{{Title: "Ping", Intro: "intro", Tables: []Table{{Header: []string{"x", "y"}, Rows: [][]string{{"1", "2"}}}}}},
	}
	out := Render(r)
	if !strings.HasPrefix(out, BeginMarker+"\n") || !strings.HasSuffix(out, EndMarker+"\n") {
		t.Fatalf("markers missing:\n%s", out)
	}
	for _, want := range []string{
		"- CPU: test\n", "median of 3 runs", "— **MET**", "— **MISSED**", "— **NOT MEASURED**",
		"1 met, 1 missed, 1 not measured.", "### Ping\n\nintro\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestSpliceInsertsThenReplaces(t *testing.T) {
	doc := "# Benchmarks\n\nHand-written intro.\n\n## sockman\n\ntext\n"
	block1 := BeginMarker + "\none\n" + EndMarker + "\n"
	once := Splice(doc, block1)
	want := "# Benchmarks\n\n" + block1 + "\nHand-written intro.\n\n## sockman\n\ntext\n"
	if once != want {
		t.Fatalf("first splice:\n%q\nwant\n%q", once, want)
	}
	block2 := BeginMarker + "\ntwo\n" + EndMarker + "\n"
	twice := Splice(once+"\n## Capture\n\nappended later\n", block2)
	want2 := "# Benchmarks\n\n" + block2 + "\nHand-written intro.\n\n## sockman\n\ntext\n\n## Capture\n\nappended later\n"
	if twice != want2 {
		t.Fatalf("second splice:\n%q\nwant\n%q", twice, want2)
	}
}
