package rpc

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/rpc/rpcpb"
)

// idleTimeout closes keep-alive connections that stay idle this long.
const idleTimeout = 60 * time.Second

// maxHeaderBytes bounds one request's headers.
const maxHeaderBytes = 64 << 10

// NewActor returns the producer of the rpc actor. The method table holds the
// built-in methods plus methods: help, stop, uptime, gettelemetryinfo,
// startcapture, stopcapture and listcaptures (control); getnetworkinfo, getpeerinfo, getpeerstats, getnetmsgstats,
// getconnectioncount, ping, addnode, disconnectnode, setban, listbanned,
// clearbanned, getnettotals, getnodeaddresses and getaddrmaninfo (network);
// addpeeraddress (hidden). A
// method without name, handler, help or category, or a name registered
// twice, is a wiring mistake: NewActor panics describing it.
//
// The actor binds cfg.Listen and writes the cookie when it receives Started,
// answers *rpcpb.GetBoundAddrs with *rpcpb.BoundAddrs, and shuts the HTTP
// server down (bounded by cfg.ShutdownTimeout) and removes the cookie on
// Stopping and on Restarting. When cfg.Listen is empty it serves nothing and
// writes no cookie.
func NewActor(cfg Config, methods ...Method) actor.Producer {
	cfg = cfg.withDefaults()
	var all []Method
	for _, group := range [][]Method{controlMethods(), networkMethods(), peerMethods(), statsMethods(),
		nodeMethods(), banMethods(), trafficMethods(), addrmanMethods(), telemetryMethods(), captureMethods(), methods} {
		all = append(all, group...)
	}
	table, err := newMethodTable(all)
	if err != nil {
		panic(err)
	}
	return func() actor.Actor {
		return &rpcActor{cfg: cfg, table: table}
	}
}

// rpcActor owns the HTTP server and the cookie file for its lifetime.
type rpcActor struct {
	cfg       Config
	table     *methodTable
	server    *http.Server
	bound     []string
	serving   sync.WaitGroup
	cookieSet bool
}

// Receive handles the actor's lifecycle and GetBoundAddrs.
func (a *rpcActor) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *actor.Stopping, *actor.Restarting:
		a.stop()
	case *rpcpb.GetBoundAddrs:
		ctx.Respond(&rpcpb.BoundAddrs{Addrs: append([]string(nil), a.bound...)})
	}
}

// start brings the server up or, on failure, cleans up, reports and panics
// so that the parent's supervision decides.
func (a *rpcActor) start(ctx actor.Context) {
	if len(a.cfg.Listen) == 0 {
		a.cfg.Logger.Info("RPC server disabled: no listen address")
		return
	}
	addrs, err := a.bringUp(ctx.ActorSystem().Root)
	if err != nil {
		a.stop()
		a.cfg.Logger.Error("RPC server cannot start", slog.String("step", string(err.Step)),
			slog.String("addr", err.Addr), slog.Any("err", err.Err))
		if a.cfg.OnStartError != nil {
			a.cfg.OnStartError(err)
		}
		panic(err)
	}
	if a.cfg.OnListening != nil {
		a.cfg.OnListening(addrs)
	}
}

// bringUp checks the credentials, writes the cookie, binds every address and
// starts serving. On error, what it did is undone by stop.
func (a *rpcActor) bringUp(root *actor.RootContext) ([]net.Addr, *StartError) {
	hasUserPass := a.cfg.User != "" && a.cfg.Password != ""
	if a.cfg.CookieFile == "" && !hasUserPass {
		return nil, &StartError{Step: StepAuth,
			Err: errors.New("no credentials configured: set a cookie file, or both user and password")}
	}
	cookie := ""
	if a.cfg.CookieFile != "" {
		var err error
		if cookie, err = newCookie(); err != nil {
			return nil, &StartError{Step: StepCookie, Addr: a.cfg.CookieFile, Err: err}
		}
		if err := writeCookie(a.cfg.CookieFile, cookie); err != nil {
			return nil, &StartError{Step: StepCookie, Addr: a.cfg.CookieFile, Err: err}
		}
		a.cookieSet = true
	}
	listeners := make([]net.Listener, 0, len(a.cfg.Listen))
	for _, configured := range a.cfg.Listen {
		addr := withDefaultPort(configured, a.cfg.Info.Network)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range listeners {
				_ = l.Close()
			}
			return nil, &StartError{Step: StepListen, Addr: addr, Err: err}
		}
		listeners = append(listeners, ln)
	}
	cfg := a.cfg
	a.server = &http.Server{
		Handler: &httpHandler{
			cfg:   &cfg,
			auth:  newAuthenticator(cfg.User, cfg.Password, cookie),
			table: a.table,
			root:  root,
		},
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug),
	}
	addrs := make([]net.Addr, 0, len(listeners))
	for _, ln := range listeners {
		addrs = append(addrs, ln.Addr())
		a.bound = append(a.bound, ln.Addr().String())
		a.serving.Add(1)
		go a.serve(ln)
	}
	a.cfg.Logger.Info("RPC server listening", slog.Any("addrs", a.bound),
		slog.Bool("cookie", cookie != ""), slog.Bool("userpass", hasUserPass))
	return addrs, nil
}

// serve runs the HTTP server on one listener until the server is shut down.
func (a *rpcActor) serve(ln net.Listener) {
	defer a.serving.Done()
	if err := a.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.cfg.Logger.Error("RPC listener failed", slog.String("addr", ln.Addr().String()), slog.Any("err", err))
	}
}

// stop shuts the server down gracefully within ShutdownTimeout, then closes
// whatever is left, waits for the serving goroutines and removes the cookie.
// It is safe to call more than once.
func (a *rpcActor) stop() {
	if a.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
		err := a.server.Shutdown(ctx)
		cancel()
		if err != nil {
			a.cfg.Logger.Warn("RPC server did not stop in time; closing connections",
				slog.Duration("timeout", a.cfg.ShutdownTimeout), slog.Any("err", err))
			_ = a.server.Close()
		}
		a.serving.Wait()
		a.server = nil
		a.bound = nil
		a.cfg.Logger.Info("RPC server stopped")
	}
	if a.cookieSet {
		if err := removeCookie(a.cfg.CookieFile); err != nil {
			a.cfg.Logger.Warn("cannot remove RPC cookie", slog.String("path", a.cfg.CookieFile), slog.Any("err", err))
		}
		a.cookieSet = false
	}
}
