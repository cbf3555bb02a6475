package accounting

// Receiving is one received message being accounted, from BeginRecv to
// EndRecv. It lives on the handler's stack.
type Receiving struct {
	cmd     string
	entry   *typeEntry // the entry of cmd at BeginRecv (nil if none), then of the counted type
	mark    Mark
	timed   bool
	counted bool
}

// BeginRecv starts accounting one received message whose frame carried
// cmd. With timed it counts cmd for the counters kept by name
// (compact-block messages) and starts timing the handler, with its CPU
// time when the sampling says so; without, only CountRecv matters. Every
// BeginRecv must be followed by exactly one EndRecv on the same goroutine,
// deferred so that it also runs when the handler panics.
//
// The common path (a known type, counted under its own name) costs one
// map lookup and two wall-clock readings.
func (p *Peer) BeginRecv(cmd string, timed bool) Receiving {
	r := Receiving{cmd: cmd, entry: p.traffic.types[cmd], timed: timed}
	if timed {
		p.ReceivedCommand(cmd)
		r.mark = p.clocks.Begin(p.traffic.measureCPU(r.entry))
	}
	return r
}

// CountRecv counts the message under msgtype (the frame's command, or
// OtherType when it turned out unknown) with its wire size.
func (p *Peer) CountRecv(r *Receiving, msgtype string, wireBytes uint64) {
	if r.entry == nil || msgtype != r.cmd {
		r.entry = p.traffic.entry(msgtype)
		r.cmd = msgtype
	}
	r.entry.counts.add(Recv, wireBytes)
	r.counted = true
}

// EndRecv ends the handler's timing, if any, and charges it to the type
// the message was counted under (nothing is charged when CountRecv was
// never reached).
func (p *Peer) EndRecv(r *Receiving) {
	if !r.timed {
		return
	}
	wall, cpu, ok := p.clocks.End(r.mark)
	if r.counted {
		r.entry.cost.record(wall, cpu, ok)
	}
}
