import cluster from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxDepth, OutboxStore } from '../outbox/store.js';

let workerResponder: AggregatorRegistry<typeof Registry.PROMETHEUS_CONTENT_TYPE> | undefined;

/**
 * Everything imbridge counts, in one Prometheus registry per gateway (so tests and workers never
 * share counters by accident). Names are part of the operational contract: alerts are built on them.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Callbacks answered, by vendor, command and outcome (allow, deny, ack, unmapped, or the refusal code). */
  readonly callbacks = new Counter({
    name: 'imbridge_callbacks_total',
    help: 'Callbacks answered, by vendor, command and outcome',
    labelNames: ['vendor', 'command', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Time from a callback's arrival to its answer. */
  readonly callbackDuration = new Histogram({
    name: 'imbridge_callback_duration_seconds',
    help: 'Time to answer a callback, by vendor and phase',
    labelNames: ['vendor', 'phase'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5],
    registers: [this.registry],
  });

  /** One downstream exchange, by format, command and result (ok, failed). */
  readonly downstreamDuration = new Histogram({
    name: 'imbridge_downstream_duration_seconds',
    help: 'Downstream request latency, by format, command and result',
    labelNames: ['format', 'command', 'result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly deadlineMisses = new Counter({
    name: 'imbridge_deadline_misses_total',
    help: 'Before-callbacks whose backend did not answer within the deadline',
    labelNames: ['vendor', 'command'] as const,
    registers: [this.registry],
  });

  readonly failureRule = new Counter({
    name: 'imbridge_failure_rule_total',
    help: 'Before-callbacks (or targets) settled by the failure rule, by rule',
    labelNames: ['vendor', 'command', 'rule'] as const,
    registers: [this.registry],
  });

  readonly unmapped = new Counter({
    name: 'imbridge_unmapped_total',
    help: 'Callbacks answered by imbridge because the downstream has no counterpart or imbridge no mapping',
    labelNames: ['vendor', 'command'] as const,
    registers: [this.registry],
  });

  readonly shed = new Counter({
    name: 'imbridge_shed_total',
    help: 'Callbacks answered at once, unread, because server.maxInFlight callbacks were already in flight',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  readonly unknownFields = new Counter({
    name: 'imbridge_unknown_fields_total',
    help: 'Callback body keys imbridge does not know (a vendor added a field), accepted and not forwarded',
    labelNames: ['vendor', 'command'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'imbridge_outbox_deliveries_total',
    help: 'Outbox delivery attempts, by result (delivered, rejected: a 2xx that is not a clean ack, retry, dead)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly ignoredDenials = new Counter({
    name: 'imbridge_ignored_denials_total',
    help: 'Denials of events that had already happened (before-callbacks sent as notifications), which cannot be honoured',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  readonly lostPatches = new Counter({
    name: 'imbridge_message_patches_lost_total',
    help: 'Message changes a backend asked for that could not reach the sender (not remembered, never asked for, or fields the caller cannot take)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly recorded = new Counter({
    name: 'imbridge_recorded_total',
    help: 'Callbacks appended to the recording (server.record), or not, by result (written, dropped: the file could not keep up or failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly mirror = new Counter({
    name: 'imbridge_mirror_total',
    help: 'Callbacks mirrored to the candidate backend, by result (same, differ, candidate_failed, dropped: too many in flight)',
    labelNames: ['command', 'result'] as const,
    registers: [this.registry],
  });

  /** Records one downstream exchange. */
  exchange(format: string, command: string, ms: number, ok: boolean): void {
    this.downstreamDuration.observe({ format, command, result: ok ? 'ok' : 'failed' }, ms / 1000);
  }

  constructor(outbox?: OutboxStore, processMetrics = true) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'imbridge_' });
    // In a worker, let the primary's AggregatorRegistry collect this registry over IPC; prom-client
    // installs the worker's answering side only when an AggregatorRegistry is built there.
    if (cluster.isWorker) {
      AggregatorRegistry.setRegistries([this.registry]);
      workerResponder ??= new AggregatorRegistry();
    }
    if (!outbox) return;
    // Both gauges are collected in the same scrape: they share one depth query instead of running two.
    let reading: Promise<OutboxDepth> | undefined;
    const depth = () => (reading ??= outbox.depth().finally(() => (reading = undefined)));
    new Gauge({
      name: 'imbridge_outbox_pending',
      help: 'After-event deliveries waiting in the outbox',
      registers: [this.registry],
      // Workers share one outbox: summing their readings would count it once per worker.
      aggregator: 'max',
      async collect() {
        this.set((await depth()).pending);
      },
    });
    new Gauge({
      name: 'imbridge_outbox_dead',
      help: 'Dead letters in the outbox',
      registers: [this.registry],
      aggregator: 'max',
      async collect() {
        this.set((await depth()).dead);
      },
    });
  }
}
