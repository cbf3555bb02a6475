package testproc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Process is one running child process.
type Process struct {
	cmd   *exec.Cmd
	grace time.Duration
	done  chan struct{}
	err   error // set before done is closed
}

// Start runs bin with args, appending its stdout and stderr to out. Stop
// gives it grace to exit after SIGINT before killing it.
func Start(bin string, args []string, out *os.File, grace time.Duration) (*Process, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	p := &Process{cmd: cmd, grace: grace, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is how the process ended (nil for exit status 0); valid once Exited.
func (p *Process) Err() error {
	<-p.done
	return p.err
}

// Stop interrupts the process, kills it if it has not exited after its
// grace period, and waits for it. The error reports a process that had to
// be killed. It is safe to call more than once.
func (p *Process) Stop() error {
	if p.Exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return nil
	case <-time.After(p.grace):
	}
	_ = p.cmd.Process.Kill()
	<-p.done
	return fmt.Errorf("%s pid %d ignored SIGINT for %v and was killed", filepath.Base(p.cmd.Path), p.cmd.Process.Pid, p.grace)
}

// Tail returns at most max bytes from the end of path, starting at a line,
// for logging a child's output when a test fails.
func Tail(path string, max int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
		return "...\n" + string(b)
	}
	return string(b)
}
