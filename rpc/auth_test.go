package rpc_test

import (
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/rpc"
)

const uptimeRequest = `{"method":"uptime","params":[],"id":1}`

func TestRefusesMissingOrWrongCredentials(t *testing.T) {
	h := startHarness(t, nil)
	cookieUser, _, _ := strings.Cut(h.cookie(t), ":")
	cases := map[string]credentials{
		"no auth":          noAuth,
		"wrong password":   basic("alice", "Secret"),
		"wrong user":       basic("bob", "secret"),
		"empty password":   basic("alice", ""),
		"wrong cookie":     basic(cookieUser, strings.Repeat("0", 64)),
		"cookie as user":   basic(h.cookie(t), ""),
		"not basic scheme": func(r *http.Request) { r.Header.Set("Authorization", "Bearer alice:secret") },
		"bad base64":       func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!") },
	}
	for name, auth := range cases {
		t.Run(name, func(t *testing.T) {
			resp, body := h.do(t, http.MethodPost, uptimeRequest, auth)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401 (body %q)", resp.StatusCode, body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != `Basic realm="jsonrpc"` {
				t.Fatalf("WWW-Authenticate = %q", got)
			}
			if strings.Contains(string(body), "4242") {
				t.Fatalf("refused request still ran: %q", body)
			}
		})
	}
}

func TestAcceptsUserPassword(t *testing.T) {
	h := startHarness(t, nil)
	resp, body := h.do(t, http.MethodPost, uptimeRequest, basic("alice", "secret"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"result":4242`) {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
}

func TestAcceptsCookie(t *testing.T) {
	h := startHarness(t, nil)
	resp, body := h.do(t, http.MethodPost, uptimeRequest, h.withCookie(t))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"result":4242`) {
		t.Fatalf("status %d body %q", resp.StatusCode, body)
	}
}

func TestUserPasswordNeedsBothSet(t *testing.T) {
	h := startHarness(t, func(c *rpc.Config) { c.Password = "" })
	resp, _ := h.do(t, http.MethodPost, uptimeRequest, basic("alice", ""))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("user with empty password accepted: status %d", resp.StatusCode)
	}
	resp, _ = h.do(t, http.MethodPost, uptimeRequest, h.withCookie(t))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("cookie refused: status %d", resp.StatusCode)
	}
}

func TestCookieFileFormatAndMode(t *testing.T) {
	h := startHarness(t, nil)
	info, err := os.Stat(h.cookieFile)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("cookie mode = %o, want 600", perm)
	}
	if ok := regexp.MustCompile(`^__cookie__:[0-9a-f]{64}$`).MatchString(h.cookie(t)); !ok {
		t.Fatalf("cookie content %q has the wrong format", h.cookie(t))
	}
	entries, err := os.ReadDir(filepath.Dir(h.cookieFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != ".cookie" {
		t.Fatalf("cookie directory holds %v, want only .cookie (no temporary files)", entries)
	}
}

func TestEachStartWritesANewCookie(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".cookie")
	first := startHarness(t, func(c *rpc.Config) { c.CookieFile = path })
	c1 := first.cookie(t)
	first.stop(t)
	second := startHarness(t, func(c *rpc.Config) { c.CookieFile = path })
	if c2 := second.cookie(t); c1 == c2 {
		t.Fatalf("second start reused the cookie %q", c1)
	}
	// The first cookie no longer opens the second server.
	user, pass, _ := strings.Cut(c1, ":")
	if resp, _ := second.do(t, http.MethodPost, uptimeRequest, basic(user, pass)); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old cookie accepted: status %d", resp.StatusCode)
	}
}

func TestCookieRemovedAtStop(t *testing.T) {
	h := startHarness(t, nil)
	if _, err := os.Stat(h.cookieFile); err != nil {
		t.Fatalf("cookie missing while running: %v", err)
	}
	h.stop(t)
	if _, err := os.Stat(h.cookieFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cookie still present after stop: %v", err)
	}
	conn, err := net.Dial("tcp", h.addrs[0])
	if err == nil {
		conn.Close()
		t.Fatalf("listener %s still accepts after stop", h.addrs[0])
	}
}

func TestNoCookieFileMeansNoCookie(t *testing.T) {
	h := startHarness(t, func(c *rpc.Config) { c.CookieFile = "" })
	resp, _ := h.do(t, http.MethodPost, uptimeRequest, basic("alice", "secret"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// startFailing spawns the rpc actor under a guardian that stops it on its
// first failure and returns the error passed to OnStartError.
func startFailing(t *testing.T, cfg rpc.Config) *rpc.StartError {
	t.Helper()
	system := newSystem()
	defer system.Shutdown()
	reported := make(chan *rpc.StartError, 1)
	cfg.OnStartError = func(err *rpc.StartError) { reported <- err }
	root := system.Root.WithGuardian(actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive {
		return actor.StopDirective
	}))
	pid := root.Spawn(actor.PropsFromProducer(rpc.NewActor(cfg)))
	var got *rpc.StartError
	select {
	case got = <-reported:
	case <-timeAfter(t):
		t.Fatalf("OnStartError not called")
	}
	// The actor stops after the failure: a watcher sees it terminate.
	terminated := make(chan struct{})
	system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch msg := ctx.Message().(type) {
		case *actor.Started:
			ctx.Watch(pid)
		case *actor.Terminated:
			if msg.Who.Equal(pid) {
				close(terminated)
			}
		}
	}))
	select {
	case <-terminated:
	case <-timeAfter(t):
		t.Fatalf("rpc actor did not stop after failing to start")
	}
	return got
}

func TestBindErrorFailsStart(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cookie := filepath.Join(t.TempDir(), ".cookie")
	got := startFailing(t, rpc.Config{
		Listen:     []string{"127.0.0.1:0", busy.Addr().String()},
		CookieFile: cookie,
	})
	if got.Step != rpc.StepListen || got.Addr != busy.Addr().String() {
		t.Fatalf("StartError = %+v, want step listen on %s", got, busy.Addr())
	}
	if !strings.Contains(got.Error(), busy.Addr().String()) {
		t.Fatalf("error %q does not name the address", got)
	}
	if _, err := os.Stat(cookie); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cookie left behind after failed start: %v", err)
	}
}

func TestNoCredentialsFailsStart(t *testing.T) {
	got := startFailing(t, rpc.Config{Listen: []string{"127.0.0.1:0"}, User: "alice"})
	if got.Step != rpc.StepAuth {
		t.Fatalf("StartError = %+v, want step auth", got)
	}
}

func TestUnwritableCookieFailsStart(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	got := startFailing(t, rpc.Config{Listen: []string{"127.0.0.1:0"}, CookieFile: filepath.Join(blocker, ".cookie")})
	if got.Step != rpc.StepCookie {
		t.Fatalf("StartError = %+v, want step cookie", got)
	}
}
