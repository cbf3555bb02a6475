package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// peerRow is what the peers table reads from one getpeerinfo element.
type peerRow struct {
	ID             uint64   `json:"id"`
	Addr           string   `json:"addr"`
	Network        string   `json:"network"`
	LastSend       int64    `json:"lastsend"`
	LastRecv       int64    `json:"lastrecv"`
	ConnTime       int64    `json:"conntime"`
	PingTime       *float64 `json:"pingtime"`
	MinPing        *float64 `json:"minping"`
	PingWait       *float64 `json:"pingwait"`
	Version        int64    `json:"version"`
	SubVer         string   `json:"subver"`
	Inbound        bool     `json:"inbound"`
	ConnectionType string   `json:"connection_type"`
}

// serverInfo is what the table's title reads from getnetworkinfo.
type serverInfo struct {
	Subversion      string `json:"subversion"`
	ProtocolVersion int64  `json:"protocolversion"`
}

// dashboard renders the peers table from a node's answers.
type dashboard struct {
	client *rpcClient
	now    func() time.Time
}

// frame asks the node for getnetworkinfo and getpeerinfo and renders them.
func (d *dashboard) frame(ctx context.Context) (string, error) {
	var info serverInfo
	if err := d.get(ctx, "getnetworkinfo", &info); err != nil {
		return "", err
	}
	var peers []peerRow
	if err := d.get(ctx, "getpeerinfo", &peers); err != nil {
		return "", err
	}
	return renderPeers(info, peers, d.now()), nil
}

// get calls a method without params and decodes its result into v.
func (d *dashboard) get(ctx context.Context, method string, v any) error {
	raw, err := d.client.call(ctx, method, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: unexpected result: %v", method, err)
	}
	return nil
}

// networkOrder is the order of the summary's network columns; networks it
// does not name follow, sorted.
func networkOrder() []string {
	return []string{"ipv4", "ipv6", "onion", "i2p", "cjdns", "npr"}
}

// shortNetwork abbreviates not_publicly_routable as Core's -netinfo does.
func shortNetwork(n string) string {
	if n == "not_publicly_routable" {
		return "npr"
	}
	return n
}

// shortType is Core's -netinfo name of a connection type: blank for
// inbound peers (the direction column says it), full, block, manual,
// feeler or addr for outbound ones.
func shortType(t string) string {
	switch t {
	case "inbound":
		return ""
	case "outbound-full-relay":
		return "full"
	case "block-relay-only":
		return "block"
	case "addr-fetch":
		return "addr"
	}
	return t
}

// renderPeers draws the table in the manner of `bitcoin-cli -netinfo 4`:
// a title, one row per peer in the node's order (by id), a units row, then
// the count of inbound, outbound and all peers per network.
//
// Columns: id; <-> (in or out); type; net; mping (smallest ping, ms); ping
// (the outstanding ping's wait when there is one, else the last ping, ms);
// send and recv (seconds since the last send and receive); age (minutes
// since the connection opened); address; version (protocol/user agent).
// A figure the node does not have is left blank.
func renderPeers(info serverInfo, peers []peerRow, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "actornode peers - server %d%s - %d peers - %s\n\n", info.ProtocolVersion, info.Subversion,
		len(peers), now.UTC().Format("2006-01-02 15:04:05 UTC"))
	rows := [][]string{{"id", "<->", "type", "net", "mping", "ping", "send", "recv", "age", "address", "version"}}
	for _, p := range peers {
		dir := "out"
		if p.Inbound {
			dir = "in"
		}
		ping := p.PingTime
		if p.PingWait != nil && *p.PingWait > 0 {
			ping = p.PingWait
		}
		rows = append(rows, []string{
			strconv.FormatUint(p.ID, 10), dir, shortType(p.ConnectionType), shortNetwork(p.Network),
			millis(p.MinPing), millis(ping),
			since(now, p.LastSend, time.Second), since(now, p.LastRecv, time.Second),
			since(now, p.ConnTime, time.Minute),
			p.Addr, fmt.Sprintf("%d%s", p.Version, p.SubVer),
		})
	}
	rows = append(rows, []string{"", "", "", "", "ms", "ms", "sec", "sec", "min", "", ""})
	right := []bool{true, false, false, false, true, true, true, true, true, false, false}
	writeTable(&b, rows, right)
	b.WriteString("\n")
	writeTable(&b, networkSummary(peers), []bool{false, true, true, true, true, true, true, true, true})
	return b.String()
}

// networkSummary counts inbound, outbound and all peers per network, with
// a total column.
func networkSummary(peers []peerRow) [][]string {
	in, out := map[string]int{}, map[string]int{}
	for _, p := range peers {
		if p.Inbound {
			in[shortNetwork(p.Network)]++
		} else {
			out[shortNetwork(p.Network)]++
		}
	}
	var nets []string
	for _, n := range networkOrder() {
		if in[n]+out[n] > 0 {
			nets = append(nets, n)
		}
	}
	var others []string
	for _, m := range []map[string]int{in, out} {
		for n := range m {
			if !slices.Contains(networkOrder(), n) && !slices.Contains(others, n) {
				others = append(others, n)
			}
		}
	}
	slices.Sort(others)
	nets = append(nets, others...)
	header := append(append([]string{""}, nets...), "total")
	row := func(name string, counts func(string) int) []string {
		r, total := []string{name}, 0
		for _, n := range nets {
			r = append(r, strconv.Itoa(counts(n)))
			total += counts(n)
		}
		return append(r, strconv.Itoa(total))
	}
	return [][]string{
		header,
		row("in", func(n string) int { return in[n] }),
		row("out", func(n string) int { return out[n] }),
		row("total", func(n string) int { return in[n] + out[n] }),
	}
}

// writeTable writes rows with columns two spaces apart, each as wide as
// its widest cell, right-aligned where right says so (columns beyond it
// are right-aligned); trailing blanks are trimmed.
func writeTable(b *strings.Builder, rows [][]string, right []bool) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, cell := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-len(cell))
			if i >= len(right) || right[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// millis formats a figure in seconds as whole milliseconds, blank when
// there is none.
func millis(seconds *float64) string {
	if seconds == nil || *seconds < 0 {
		return ""
	}
	return strconv.FormatInt(int64(math.Round(*seconds*1000)), 10)
}

// since formats the time from unix time t to now in whole units, blank when
// t is 0 (never); a t in the future counts as 0.
func since(now time.Time, t int64, unit time.Duration) string {
	if t <= 0 {
		return ""
	}
	d := max(now.Sub(time.Unix(t, 0)), 0)
	return strconv.FormatInt(int64(d/unit), 10)
}
