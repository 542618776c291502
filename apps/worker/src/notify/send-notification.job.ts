import type { DataSource } from 'typeorm';
import type { JobOutcome } from '@frontdesk/contracts';
import { DEFAULT_SMS_TEMPLATES, renderSms } from '@frontdesk/domain';
import {
  EventStoreRepository,
  NotificationRepository,
  notifySettings,
  raiseAlert,
  runBranchTransaction,
  toNotificationDto,
  type SendContext,
} from '@frontdesk/db';
import type { JobHandler, JobRunContext } from '../jobs/job-registry';
import { SmsProviderError, type SmsDriver } from './drivers/sms-driver';
import { Batcher } from './batcher';
import { SentRecorder } from './sent-recorder';
import type { SmsRateGate } from './sms-rate-gate';

/** How early a job may run before its notice's due time (clock skew between hosts); earlier ones wait for the relay. */
const EARLY_TOLERANCE_MS = 2000;

/**
 * Sends one notice, exactly once in effect, without holding a connection, a transaction or a lock across the
 * provider call:
 *
 * 1. one query reads the notice with its repair, ticket, branch and template (no lock; sends that start together
 *    share the query);
 * 2. a notice that is no longer pending or not due yet is skipped; one whose repair was collected or whose ticket was
 *    called is cancelled in a short branch transaction (branch lock, then `… WHERE state = 'pending'`);
 * 3. a permit of the provider's rate limit is taken (SmsRateGate: cancelled and skipped notices take none), then the
 *    provider is called with the notification id as idempotency key;
 * 4. the acceptance is written by the SentRecorder: branch lock, then `sent` where the row is still pending (or was
 *    cancelled during the call), with its `notification.status` event, several sends to a commit.
 *
 * Duplicates are kept out by the job id (= notification id: BullMQ holds one job per notice), by waiting for a send of
 * the same notice already under way in this process, by the provider's idempotency key (a second run of the same
 * notice in another process is the same message) and by the conditional update (a second run writes no second `sent`
 * and no second event). The crash windows are described in docs/notifications.md.
 */
export class SendNotificationJob implements JobHandler<'notify.send'> {
  readonly name = 'notify.send' as const;
  private readonly repo = new NotificationRepository();
  private readonly recorder: SentRecorder;
  /**
   * Cancels and failed tries, one at a time: each takes a connection (a final failure or a cancel a branch lock too),
   * so however many sends fail at once they hold one connection and never starve the relay or the batches.
   */
  private readonly writes = new Batcher<() => Promise<unknown>, unknown>(async ([task]) => [await task()], 1);
  /** Reads of sends that start while one is under way are made together, in one query. */
  private readonly loader = new Batcher<string, SendContext | null>(async (ids) => {
    const rows = new Map((await this.repo.loadForSend(this.ds, ids)).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
  /** Sends under way in this process, by notice: a second job for one notice waits for the first, then finds it sent. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly driver: SmsDriver,
    /** The provider's rate limit, taken right before each provider call (none: no limit, as in unit tests). */
    private readonly gate: SmsRateGate | null = null,
  ) {
    this.recorder = new SentRecorder(ds, store, `worker:${this.name}`);
  }

  async handle(data: { notificationId: string }, ctx: JobRunContext = { attemptsMade: 0, attempts: 1 }): Promise<JobOutcome> {
    const id = data.notificationId;
    for (let other = this.inFlight.get(id); other; other = this.inFlight.get(id)) await other.catch(() => undefined);
    const run = this.send(id, ctx);
    this.inFlight.set(id, run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(id);
    }
  }

  private async send(id: string, ctx: JobRunContext): Promise<JobOutcome> {
    let n = await this.loader.add(id);
    const notSendable = await this.whyNot(id, n);
    if (notSendable) return notSendable;
    // A send that had to wait for the provider's rate limit reads its notice again: the ticket may have been called
    // or the phone collected meanwhile (the permit is then spent on a cancel, which is rare).
    if (this.gate && (await this.gate.acquire())) {
      n = await this.loader.add(id);
      const now = await this.whyNot(id, n);
      if (now) return now;
    }
    if (!n) return { status: 'skipped', detail: `notification ${id} does not exist` };

    const vars = {
      ...n.params,
      // An order taken in before the SMS feature has no plain code to send (only its hash): point to the slip
      // rather than send the customer a bare "{pickupCode}".
      pickupCode: n.sms_pickup_code ?? (n.repair_found ? (n.language === 'zh' ? '（见取机单）' : '(on your repair slip)') : undefined),
      branchName: n.language === 'zh' ? n.branch_name_zh : n.branch_name_en,
      openingHours: notifySettings({ notifySettings: n.branch_notify_settings }).openingHours,
    };
    const body = renderSms(n.template_body ?? DEFAULT_SMS_TEMPLATES[n.template][n.language], vars);
    const params = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    let messageId: string | null;
    try {
      messageId = (await this.driver.send({ idempotencyKey: n.id, branchId: n.branch_id, to: n.to_phone, body, template: n.template, params })).messageId;
    } catch (err) {
      return this.failed(n, err, ctx);
    }
    // The stored body hides the pickup code: the row is readable by more people than the customer.
    const stored = n.sms_pickup_code ? body.split(n.sms_pickup_code).join('******') : body;
    const sent = await this.recorder.record({ id: n.id, branchId: n.branch_id, provider: this.driver.name, providerMessageId: messageId, body: stored, at: new Date() });
    if (!sent) return { status: 'skipped', detail: `notification ${id} was already sent (same idempotency key at the provider)` };
    return { status: 'success', detail: `notification ${id} sent by ${this.driver.name} (${messageId ?? 'no message id'})` };
  }

  /** Why this notice is not to be sent now (cancelling it when it has become wrong), or null. */
  private async whyNot(id: string, n: SendContext | null): Promise<JobOutcome | null> {
    if (!n) return { status: 'skipped', detail: `notification ${id} does not exist` };
    if (n.state !== 'pending') return { status: 'skipped', detail: `notification ${id} is already ${n.state}` };
    if (n.due_at.getTime() - Date.now() > EARLY_TOLERANCE_MS) return { status: 'skipped', detail: `notification ${id} is not due before ${n.due_at.toISOString()}` };
    const stale = whyStale(n);
    if (!stale) return null;
    const cancelled = await this.cancel(n, stale);
    return { status: 'skipped', detail: cancelled ? `notification ${id} cancelled: ${stale}` : `notification ${id} is no longer pending` };
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    return this.writes.add(task) as Promise<T>;
  }

  /** Cancels a notice that has become wrong; false when it was no longer pending by then. */
  private async cancel(n: SendContext, reason: string): Promise<boolean> {
    const { result } = await this.serial(() => runBranchTransaction(this.ds, this.store, n.branch_id, `worker:${this.name}`, async (tx) => {
      const cancelled = await this.repo.cancel(tx.em, n.id, reason, tx.now);
      if (cancelled) tx.record('notification.status', { notification: toNotificationDto(cancelled, tx.now) });
      return cancelled !== null;
    }));
    return result;
  }

  /** A failed try: recorded on the row; the last one (or a permanent refusal) marks it failed and raises an alert. */
  private async failed(n: SendContext, err: unknown, ctx: JobRunContext): Promise<JobOutcome> {
    const permanent = err instanceof SmsProviderError ? err.permanent : false;
    const message = err instanceof Error ? err.message : String(err);
    const final = permanent || ctx.attemptsMade + 1 >= ctx.attempts;
    if (!final) {
      const row = await this.serial(() => this.repo.markAttemptFailed(this.ds, n.id, { provider: this.driver.name, error: message, final, at: new Date() }));
      if (!row) return { status: 'skipped', detail: `notification ${n.id} is no longer pending` };
      return { status: 'failed', detail: `notification ${n.id} try ${row.attempts} failed: ${message}` };
    }
    const { result: failed } = await this.serial(() => runBranchTransaction(this.ds, this.store, n.branch_id, `worker:${this.name}`, async (tx) => {
      const row = await this.repo.markAttemptFailed(tx.em, n.id, { provider: this.driver.name, error: message, final, at: tx.now });
      if (!row) return null;
      const dto = toNotificationDto(row, tx.now);
      tx.record('notification.status', { notification: dto });
      await raiseAlert(tx, {
        kind: 'sms_failed',
        severity: 'warning',
        message: `SMS ${n.template} to ${dto.to} failed after ${row.attempts} tries: ${message}`,
        data: { notificationId: n.id, repairId: n.repair_id, ticketId: n.ticket_id, orderNo: n.params.orderNo ?? null, template: n.template, to: dto.to, attempts: row.attempts, error: message },
        dedupeKey: `sms_failed:${n.id}`,
      });
      return row;
    }));
    if (!failed) return { status: 'skipped', detail: `notification ${n.id} is no longer pending` };
    return { status: 'failed', detail: `notification ${n.id} failed for good: ${message}`, final: true };
  }
}

/** Why a pending notice should no longer go out, or null. */
function whyStale(n: SendContext): string | null {
  // Collected (or gone) after the notice was written: a reminder now would be wrong.
  if (n.repair_id && (!n.repair_found || (n.template !== 'promise_slipped' && n.repair_status !== 'ready_for_pickup'))) return `repair ${n.repair_status ?? 'deleted'}`;
  // "Almost your turn" is wrong once the ticket was called, served or cancelled.
  if (n.ticket_id && n.ticket_status !== 'waiting') return `ticket ${n.ticket_status ?? 'deleted'}`;
  return null;
}
