package trace

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// ExportStats are the counters of the export queue. Every finished sampled
// span is counted once in Queued or Dropped; every queued span ends up in
// Exported or Failed (or is still waiting).
type ExportStats struct {
	// Queued counts spans accepted into the queue.
	Queued uint64
	// Dropped counts spans refused because the queue was full (the
	// collector is slow or down) or the tracer was shut down.
	Dropped uint64
	// Exported counts spans the exporter accepted.
	Exported uint64
	// Failed counts spans lost because an export call failed or timed out.
	Failed uint64
}

// Lost returns the spans that never reached the collector: Dropped plus
// Failed.
func (s ExportStats) Lost() uint64 { return s.Dropped + s.Failed }

// exportQueue is a span processor with a bounded queue that never blocks
// the goroutine ending a span: when the queue is full the span is dropped
// and counted. One goroutine batches queued spans and calls the exporter,
// each call bounded by a timeout. The first drop and the first export
// failure of an outage are logged; both re-arm after a successful export.
type exportQueue struct {
	exporter      sdktrace.SpanExporter
	batchSize     int
	batchTimeout  time.Duration
	exportTimeout time.Duration
	log           *slog.Logger

	spans   chan sdktrace.ReadOnlySpan
	flushes chan chan struct{}
	stop    chan struct{}
	done    chan struct{}
	closed  atomic.Bool
	once    sync.Once

	queued, dropped, exported, failed atomic.Uint64
	dropLogged, failLogged            atomic.Bool
}

var _ sdktrace.SpanProcessor = (*exportQueue)(nil)

func newExportQueue(exp sdktrace.SpanExporter, s settings, log *slog.Logger) *exportQueue {
	q := &exportQueue{
		exporter:      exp,
		batchSize:     s.BatchSize,
		batchTimeout:  s.BatchTimeout,
		exportTimeout: s.ExportTimeout,
		log:           log,
		spans:         make(chan sdktrace.ReadOnlySpan, s.QueueSize),
		flushes:       make(chan chan struct{}),
		stop:          make(chan struct{}),
		done:          make(chan struct{}),
	}
	go q.run()
	return q
}

// OnStart does nothing: spans are queued when they end.
func (q *exportQueue) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd queues a finished span or, when the queue is full, drops it.
func (q *exportQueue) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	if q.closed.Load() {
		q.dropped.Add(1)
		return
	}
	select {
	case q.spans <- s:
		q.queued.Add(1)
	default:
		q.dropped.Add(1)
		if q.dropLogged.CompareAndSwap(false, true) {
			q.log.Warn("trace export queue full: dropping spans (the collector is slow or down); "+
				"further drops are counted, not logged", "queue_size", cap(q.spans))
		}
	}
}

// stats returns a snapshot of the counters.
func (q *exportQueue) stats() ExportStats {
	return ExportStats{Queued: q.queued.Load(), Dropped: q.dropped.Load(),
		Exported: q.exported.Load(), Failed: q.failed.Load()}
}

// ForceFlush exports every span queued so far, waiting at most until ctx is
// done.
func (q *exportQueue) ForceFlush(ctx context.Context) error {
	if q.closed.Load() {
		return nil
	}
	ack := make(chan struct{})
	select {
	case q.flushes <- ack:
	case <-q.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown stops accepting spans, exports what is queued (within ctx) and
// shuts the exporter down. Later calls return nil.
func (q *exportQueue) Shutdown(ctx context.Context) error {
	var err error
	q.once.Do(func() {
		q.closed.Store(true)
		close(q.stop)
		select {
		case <-q.done:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if e := q.exporter.Shutdown(ctx); e != nil {
			err = errors.Join(err, e)
		}
	})
	return err
}

// run is the export goroutine.
func (q *exportQueue) run() {
	defer close(q.done)
	batch := make([]sdktrace.ReadOnlySpan, 0, q.batchSize)
	timer := time.NewTimer(q.batchTimeout)
	defer timer.Stop()
	for {
		select {
		case s := <-q.spans:
			batch = append(batch, s)
			if len(batch) >= q.batchSize {
				batch = q.export(batch)
			}
		case <-timer.C:
			batch = q.export(batch)
			timer.Reset(q.batchTimeout)
		case ack := <-q.flushes:
			batch = q.drain(batch)
			close(ack)
		case <-q.stop:
			q.drain(batch)
			return
		}
	}
}

// drain exports batch and everything queued now.
func (q *exportQueue) drain(batch []sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	for {
		select {
		case s := <-q.spans:
			batch = append(batch, s)
			if len(batch) >= q.batchSize {
				batch = q.export(batch)
			}
		default:
			return q.export(batch)
		}
	}
}

// export sends batch to the exporter and returns it emptied for reuse.
func (q *exportQueue) export(batch []sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	if len(batch) == 0 {
		return batch
	}
	ctx, cancel := context.WithTimeout(context.Background(), q.exportTimeout)
	err := q.exporter.ExportSpans(ctx, batch)
	cancel()
	n := uint64(len(batch))
	if err != nil {
		q.failed.Add(n)
		if q.failLogged.CompareAndSwap(false, true) {
			q.log.Warn("trace export failed: spans lost; further failures are counted, not logged",
				"spans", n, "error", err)
		}
	} else {
		q.exported.Add(n)
		if q.failLogged.Swap(false) || q.dropLogged.Load() {
			q.dropLogged.Store(false)
			q.log.Info("trace export recovered", "dropped_total", q.dropped.Load(), "failed_total", q.failed.Load())
		}
	}
	clear(batch)
	return batch[:0]
}
