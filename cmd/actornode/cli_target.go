package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/actornode/actornode/config"
)

// cliTarget is where the CLI finds the node's RPC server and how it
// authenticates.
type cliTarget struct {
	// addr is host:port.
	addr string
	// user and password are the HTTP basic credentials.
	user, password string
	// source says where the credentials came from, for error messages.
	source string
}

// resolveTarget finds the node the way bitcoin-cli does: the address is
// --rpcconnect (given the network's RPC port when it has none) or the first
// rpc.listen address of the configuration, with an every-interface host
// replaced by loopback. The credentials are --rpcuser/--rpcpassword, else
// the cookie file named by --rpccookiefile, else rpc.user/rpc.password of
// the configuration, else the node's cookie file (config.CookiePath).
func resolveTarget(cfg config.Config, flags cliFlags) (cliTarget, error) {
	addr, err := rpcAddress(cfg, flags.connect)
	if err != nil {
		return cliTarget{}, err
	}
	t := cliTarget{addr: addr}
	switch {
	case flags.user != "" || flags.password != "":
		if flags.user == "" || flags.password == "" {
			return cliTarget{}, errors.New("give both --rpcuser and --rpcpassword, or neither")
		}
		t.user, t.password, t.source = flags.user, flags.password, "--rpcuser/--rpcpassword"
	case flags.cookieFile != "":
		if t.user, t.password, err = readCookie(flags.cookieFile); err != nil {
			return cliTarget{}, err
		}
		t.source = "cookie file " + flags.cookieFile
	case cfg.RPC.User != "" && cfg.RPC.Password != "":
		t.user, t.password, t.source = cfg.RPC.User, cfg.RPC.Password, "rpc.user/rpc.password"
	default:
		if t.user, t.password, err = readCookie(cfg.CookiePath()); err != nil {
			return cliTarget{}, fmt.Errorf("%w, and no RPC password is set", err)
		}
		t.source = "cookie file " + cfg.CookiePath()
	}
	return t, nil
}

// rpcAddress returns connect with the network's RPC port added when it has
// none, or, when connect is empty, the configuration's first RPC listen
// address as a client can dial it.
func rpcAddress(cfg config.Config, connect string) (string, error) {
	port := config.DefaultRPCPort(cfg.Network)
	if connect != "" {
		return withPort(connect, port), nil
	}
	listen := cfg.RPCListenAddrs()
	if len(listen) == 0 {
		return "", errors.New("RPC is disabled in the configuration (rpc.listen is empty); name the node with --rpcconnect")
	}
	host, p, err := net.SplitHostPort(listen[0])
	if err != nil {
		return "", fmt.Errorf("cannot use rpc.listen address %q: %v", listen[0], err)
	}
	if p == "0" {
		return "", fmt.Errorf("rpc.listen address %q has port 0 (any free port); name the node with --rpcconnect", listen[0])
	}
	switch ip := net.ParseIP(host); {
	case host == "", ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return net.JoinHostPort(host, p), nil
}

// withPort returns addr as host:port, adding port when addr has none. A bare
// IPv6 literal is bracketed.
func withPort(addr, port string) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	host := strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	return net.JoinHostPort(host, port)
}

// readCookie reads "user:password" from a cookie file.
func readCookie(path string) (user, password string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("could not locate RPC credentials: cannot read the cookie file %s (%v)", path, unwrapPath(err))
	}
	user, password, ok := strings.Cut(strings.TrimSpace(string(b)), ":")
	if !ok || user == "" {
		return "", "", fmt.Errorf("the cookie file %s does not hold user:password", path)
	}
	return user, password, nil
}

// unwrapPath drops the operation and path of an *os.PathError, which the
// message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
