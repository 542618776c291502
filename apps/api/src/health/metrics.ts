import type { JobQueues } from './job-queues.service';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { speculation } from '@frontdesk/db';

/** One registry per process, exposed at GET /api/metrics in Prometheus text format. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'fdl_' });

export const httpDuration = new Histogram({
  name: 'fdl_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
export const eventsPublished = new Counter({ name: 'fdl_events_published_total', help: 'Live events emitted to sockets', registers: [registry] });
/** Changes per branch transaction: above 1, changes that queued up on a busy branch committed together. */
export const branchBatchSize = new Histogram({
  name: 'fdl_branch_transaction_changes',
  help: 'Changes committed per branch transaction (group commit of a busy branch)',
  buckets: [1, 2, 4, 8, 16, 32],
  registers: [registry],
});
/** Branch changes made on the kept queue without reading it first (docs/architecture.md, "One round trip"). */
export const keptQueueChanges = new Counter({
  name: 'fdl_branch_changes_on_kept_queue_total',
  help: 'Branch changes made on the kept queue without reading it: committed in one round trip (one_round_trip), after taking the lock to read (locked_to_read), or refused by the branch and made again with its read (refused)',
  labelNames: ['outcome'],
  registers: [registry],
  collect() {
    this.reset();
    this.inc({ outcome: 'one_round_trip' }, speculation.committed);
    this.inc({ outcome: 'locked_to_read' }, speculation.lockedToRead);
    this.inc({ outcome: 'refused' }, speculation.refused);
  },
});
export const liveSockets = new Gauge({ name: 'fdl_live_sockets', help: 'Connected Socket.IO clients on this instance', registers: [registry] });

export const queueJobs = new Gauge({ name: 'fdl_queue_jobs', help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed)', labelNames: ['queue', 'state'], registers: [registry] });
export const notices = new Gauge({ name: 'fdl_notifications', help: 'SMS notices in the outbox by state (pending, overdue, sent, failed, cancelled)', labelNames: ['state'], registers: [registry] });

/** Reads the queues and the outbox at scrape time. */
export async function setQueueGauges(jobs: JobQueues): Promise<void> {
  for (const [queue, counts] of Object.entries(await jobs.depths())) for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue, state }, n as number);
  for (const [state, n] of Object.entries(await jobs.notices())) notices.set({ state }, n);
}
