package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/inspect"
	"github.com/actornode/actornode/telemetry/capture/replay"
)

// replayFlags are the flags of `actornode capture replay`.
type replayFlags struct {
	to, speed, network, userAgent string
	timeout                       time.Duration
}

// captureReplay implements `actornode capture replay`.
func captureReplay(args []string, stdout, stderr io.Writer) int {
	fs := newCaptureFlagSet("actornode capture replay")
	var f replayFlags
	fs.StringVar(&f.to, "to", "", "the node's P2P address, HOST:PORT (required)")
	fs.StringVar(&f.speed, "speed", "1", "1 keeps the recorded spacing, N is N times faster, max sends back to back")
	fs.StringVar(&f.network, "network", "", "network magic to use: "+strings.Join(replay.Networks, ", ")+
		" (default: the network folder of the session's path, else mainnet)")
	fs.StringVar(&f.userAgent, "user-agent", replay.DefaultUserAgent, "user agent of the replay client's version")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "bound on connecting, the handshake and the final ping")
	usage := subUsage("actornode capture replay SESSION --to HOST:PORT [--speed 1|max|N] [--network NAME]",
		`Connects to the node, performs a fresh handshake of its own (version; then
wtxidrelay and sendaddrv2 if the recorded peer sent them; verack), answers
the node's pings throughout, and re-sends the messages SESSION received from
its peer, in order, with the recorded spacing (--speed 1), N times faster, or
back to back (--speed max). The recorded version, verack, wtxidrelay,
sendaddrv2 and sendtxrcncl are skipped: the handshake already sent its own,
and the negotiation messages are invalid after verack. A final ping of its
own, answered by the node, ends the replay; then it prints what it sent per
type. SESSION is a session directory or its msgs_recv.dat.`, fs)
	if code, done := parseCaptureFlags(fs, args, usage, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "error: want exactly one SESSION, got %d\n\n%s", fs.NArg(), usage)
		return 2
	}
	if f.to == "" {
		fmt.Fprintf(stderr, "error: --to HOST:PORT is required\n\n%s", usage)
		return 2
	}
	speed, err := parseSpeed(f.speed)
	if err != nil {
		fmt.Fprintf(stderr, "error: --speed: %v\n", err)
		return 2
	}
	sessions, err := inspect.Discover(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	if len(sessions) != 1 {
		fmt.Fprintf(stderr, "error: %s holds %d sessions; name one session directory\n", fs.Arg(0), len(sessions))
		return 2
	}
	sess := sessions[0]
	network, why := f.network, "from --network"
	if network == "" {
		network, why = sess.Network, "from the session's path"
		if _, err := replay.Magic(network); err != nil {
			network, why = "mainnet", "default: the session's path names no known network"
		}
	}
	magic, err := replay.Magic(network)
	if err != nil {
		fmt.Fprintf(stderr, "error: --network: %v\n", err)
		return 2
	}
	feats, err := recordedFeatures(sess)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "replaying %s to %s on %s (%s), speed %s\n", sess.Name, f.to, network, why, f.speed)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	client, err := replay.Dial(ctx, replay.Options{Addr: f.to, Net: magic, UserAgent: f.userAgent, Relay: feats.relay,
		WtxidRelay: feats.wtxidRelay, SendAddrV2: feats.sendAddrV2, Timeout: f.timeout})
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	defer client.Close()
	st, err := inspect.Open(sessions, inspect.Filter{Direction: capture.Recv})
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	defer st.Close()
	records := func(yield func(capture.Record) bool) {
		for {
			m, ok := st.Next()
			if !ok || !yield(capture.Record{Time: m.Time, Command: m.Command, Payload: m.Payload}) {
				return
			}
		}
	}
	res, rerr := replay.Replay(ctx, client, records, speed)
	printReplayResult(stdout, res, client)
	code := reportProblems(st, stderr)
	if rerr != nil {
		fmt.Fprintf(stderr, "error: %v\n", rerr)
		return 1
	}
	return code
}

// parseSpeed parses --speed: "max" or a positive factor.
func parseSpeed(s string) (float64, error) {
	if s == "max" {
		return replay.SpeedMax, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v > 1e9 {
		return 0, fmt.Errorf("%q: want max or a positive number (1 keeps the recorded spacing)", s)
	}
	return v, nil
}

// features are what the recorded peer announced in its handshake.
type features struct {
	relay, wtxidRelay, sendAddrV2 bool
}

// recordedFeatures reads the session's received handshake messages: the
// version's relay flag (true when there is no version) and whether
// wtxidrelay and sendaddrv2 came.
func recordedFeatures(s *inspect.Session) (features, error) {
	f := features{relay: true}
	st, err := inspect.Open([]*inspect.Session{s}, inspect.Filter{Direction: capture.Recv,
		Commands: map[string]bool{wire.CmdVersion: true, wire.CmdWTxIdRelay: true, wire.CmdSendAddrV2: true}})
	if err != nil {
		return f, err
	}
	defer st.Close()
	for {
		m, ok := st.Next()
		if !ok {
			return f, nil
		}
		switch m.Command {
		case wire.CmdVersion:
			if v, err := inspect.Decode(m.Command, m.Payload); err == nil {
				f.relay = !v.(*wire.MsgVersion).DisableRelayTx
			}
		case wire.CmdWTxIdRelay:
			f.wtxidRelay = true
		case wire.CmdSendAddrV2:
			f.sendAddrV2 = true
		}
	}
}

// printReplayResult prints what the replay sent per type, what it
// skipped, and the client's own messages.
func printReplayResult(w io.Writer, res replay.Result, c *replay.Client) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "replayed %d messages in %s\n", res.Total(), res.Elapsed.Round(time.Millisecond))
	section := func(title string, counts map[string]int) {
		if len(counts) == 0 {
			return
		}
		fmt.Fprintf(tw, "%s\n", title)
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%d\n", k, counts[k])
		}
	}
	section("sent (replayed):", res.Sent)
	section("skipped (recorded, not re-sent):", res.Skipped)
	own := c.Own()
	if p := c.Pongs(); p > 0 {
		own[wire.CmdPong+" (answers)"] = p
	}
	section("sent by the replay client itself:", own)
	_ = tw.Flush()
}
