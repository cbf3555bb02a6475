package btcdtest

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// stopGrace is how long a btcd process gets to exit after SIGINT before it is
// killed.
const stopGrace = 10 * time.Second

// process is one running btcd child process.
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
// stopGrace, and waits for it. It is safe to call more than once.
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
	return fmt.Errorf("btcd pid %d ignored SIGINT for %v and was killed", p.cmd.Process.Pid, stopGrace)
}
