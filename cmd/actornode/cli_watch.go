package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// clearScreen moves the cursor home and clears a terminal (ANSI).
const clearScreen = "\x1b[H\x1b[2J"

// watcher redraws a frame every interval until its context ends.
type watcher struct {
	// interval is the time between frames.
	interval time.Duration
	// clear redraws in place (for a terminal); otherwise frames are
	// printed one after another, separated by a blank line.
	clear bool
	// frames stops after this many frames; 0 means until ctx ends.
	frames int
	// wait sleeps one interval; it returns false when ctx ended.
	wait func(ctx context.Context, d time.Duration) bool
}

// run draws frames. A frame that fails shows the error in its place and
// the next one tries again, so a restarting node does not end the watch.
func (w watcher) run(ctx context.Context, out io.Writer, frame func(context.Context) (string, error)) {
	for n := 1; ; n++ {
		text, err := frame(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			var b strings.Builder
			printCallError(&b, err)
			text = b.String()
		}
		switch {
		case w.clear:
			_, _ = io.WriteString(out, clearScreen)
		case n > 1:
			_, _ = io.WriteString(out, "\n")
		}
		_, _ = io.WriteString(out, text)
		if w.clear {
			fmt.Fprintf(out, "\nrefreshing every %s; Ctrl-C to stop\n", w.interval)
		}
		if w.frames > 0 && n >= w.frames {
			return
		}
		if !w.wait(ctx, w.interval) {
			return
		}
	}
}
