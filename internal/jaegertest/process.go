package jaegertest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// stopGrace is how long a Jaeger process gets to exit after SIGINT before it
// is killed.
const stopGrace = 15 * time.Second

// process is one running Jaeger child process.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // set before done is closed
}

// startProcess runs bin with args, appending its stdout and stderr to out.
func startProcess(bin string, args []string, out *os.File) (*process, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = childProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop interrupts the process, kills it if it has not exited after
// stopGrace, and waits for it. The error reports a process that had to be
// killed. It is safe to call more than once.
func (p *process) stop() error {
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return nil
	case <-time.After(stopGrace):
	}
	_ = p.cmd.Process.Kill()
	<-p.done
	return fmt.Errorf("jaeger pid %d ignored SIGINT for %v and was killed", p.cmd.Process.Pid, stopGrace)
}

// tailOf returns at most max bytes from the end of path, for logging.
func tailOf(path string, max int) string {
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
