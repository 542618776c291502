import type { DataSource, EntityManager } from 'typeorm';
import type { JobOutcome } from '@frontdesk/contracts';
import { DEFAULT_SMS_TEMPLATES, renderSms } from '@frontdesk/domain';
import {
  BranchEntity,
  BranchTransaction,
  EventStoreRepository,
  NotificationRepository,
  notifySettings,
  raiseAlert,
  toNotificationDto,
  type NotificationRow,
} from '@frontdesk/db';
import type { JobHandler, JobRunContext } from '../jobs/job-registry';
import { SmsProviderError, type SmsDriver } from './drivers/sms-driver';

/** How early a job may run before its notice's due time (clock skew between hosts); earlier ones wait for the relay. */
const EARLY_TOLERANCE_MS = 2000;

type Result =
  | { kind: 'skipped'; detail: string }
  | { kind: 'sent'; detail: string }
  | { kind: 'retry'; detail: string }
  | { kind: 'failed'; detail: string };

/**
 * Sends one notice, exactly once in effect. The row is locked for the whole send, so a duplicate job waits and then
 * finds it sent; the provider gets the notification id as idempotency key, so a worker killed after the provider
 * accepted but before the commit sends the retry under the same key and the provider keeps one message. Sent,
 * failed (with its alert) and cancelled are written with their `notification.status` event in the same commit.
 */
export class SendNotificationJob implements JobHandler<'notify.send'> {
  readonly name = 'notify.send' as const;
  private readonly repo = new NotificationRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly driver: SmsDriver,
  ) {}

  async handle(data: { notificationId: string }, ctx: JobRunContext = { attemptsMade: 0, attempts: 1 }): Promise<JobOutcome> {
    const r = await this.ds.transaction((em) => this.send(em, data.notificationId, ctx));
    switch (r.kind) {
      case 'sent':
        return { status: 'success', detail: r.detail };
      case 'skipped':
        return { status: 'skipped', detail: r.detail };
      case 'retry':
        return { status: 'failed', detail: r.detail };
      case 'failed':
        return { status: 'failed', detail: r.detail, final: true };
    }
  }

  private async send(em: EntityManager, id: string, ctx: JobRunContext): Promise<Result> {
    const row = await this.repo.lockForSend(em, id);
    if (!row) return { kind: 'skipped', detail: `notification ${id} does not exist` };
    if (row.state !== 'pending') return { kind: 'skipped', detail: `notification ${id} is already ${row.state}` };
    const now = new Date();
    if (row.due_at.getTime() - now.getTime() > EARLY_TOLERANCE_MS) return { kind: 'skipped', detail: `notification ${id} is not due before ${row.due_at.toISOString()}` };

    const repair = row.repair_id ? await this.repairOf(em, row.repair_id) : null;
    if (row.repair_id && (!repair || (row.template !== 'promise_slipped' && repair.status !== 'ready_for_pickup'))) {
      // Collected (or gone) after the notice was written: a reminder now would be wrong.
      const cancelled = await this.repo.cancel(em, id, `repair ${repair?.status ?? 'deleted'}`, now);
      await this.recordEvents(em, row.branch_id, now, (tx) => tx.record('notification.status', { notification: toNotificationDto(cancelled, now) }));
      return { kind: 'skipped', detail: `notification ${id} cancelled: repair ${repair?.status ?? 'deleted'}` };
    }

    if (row.ticket_id) {
      // "Almost your turn" is wrong once the ticket was called, served or cancelled.
      const [ticket]: { status: string }[] = await em.query(`SELECT status FROM tickets WHERE id = $1`, [row.ticket_id]);
      if (ticket?.status !== 'waiting') {
        const cancelled = await this.repo.cancel(em, id, `ticket ${ticket?.status ?? 'deleted'}`, now);
        await this.recordEvents(em, row.branch_id, now, (tx) => tx.record('notification.status', { notification: toNotificationDto(cancelled, now) }));
        return { kind: 'skipped', detail: `notification ${id} cancelled: ticket ${ticket?.status ?? 'deleted'}` };
      }
    }

    const branch = await em.findOneByOrFail(BranchEntity, { id: row.branch_id });
    const vars = {
      ...row.params,
      // An order taken in before the SMS feature has no plain code to send (only its hash): point to the slip
      // rather than send the customer a bare "{pickupCode}".
      pickupCode: repair?.sms_pickup_code ?? (repair ? (row.language === 'zh' ? '（见取机单）' : '(on your repair slip)') : undefined),
      branchName: row.language === 'zh' ? branch.nameZh : branch.nameEn,
      openingHours: notifySettings(branch).openingHours,
    };
    const body = renderSms(await this.templateBody(em, row), vars);
    const attempts = row.attempts + 1;
    const params = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    try {
      const receipt = await this.driver.send({ idempotencyKey: row.id, branchId: row.branch_id, to: row.to_phone, body, template: row.template, params });
      // The stored body hides the pickup code: the row is readable by more people than the customer.
      const stored = repair?.sms_pickup_code ? body.split(repair.sms_pickup_code).join('******') : body;
      const sent = await this.repo.markSent(em, id, { provider: this.driver.name, providerMessageId: receipt.messageId, body: stored, attempts, at: new Date() });
      await this.recordEvents(em, row.branch_id, now, (tx) => tx.record('notification.status', { notification: toNotificationDto(sent, new Date()) }));
      return { kind: 'sent', detail: `notification ${id} sent by ${this.driver.name} (${receipt.messageId ?? 'no message id'})` };
    } catch (err) {
      const permanent = err instanceof SmsProviderError ? err.permanent : false;
      const message = err instanceof Error ? err.message : String(err);
      const final = permanent || ctx.attemptsMade + 1 >= ctx.attempts;
      const failed = await this.repo.markAttemptFailed(em, id, { provider: this.driver.name, error: message, attempts, final, at: new Date() });
      if (!final) return { kind: 'retry', detail: `notification ${id} try ${attempts} failed: ${message}` };
      await this.recordEvents(em, row.branch_id, now, async (tx) => {
        tx.record('notification.status', { notification: toNotificationDto(failed, new Date()) });
        await raiseAlert(tx, {
          kind: 'sms_failed',
          severity: 'warning',
          message: `SMS ${row.template} to ${toNotificationDto(failed, now).to} failed after ${attempts} tries: ${message}`,
          data: { notificationId: id, repairId: row.repair_id, ticketId: row.ticket_id, orderNo: row.params.orderNo ?? null },
          dedupeKey: `sms_failed:${id}`,
        });
      });
      return { kind: 'failed', detail: `notification ${id} failed for good: ${message}` };
    }
  }

  /** Takes the branch lock last (after the row lock; the API never waits on a notice row under it) and appends the events. */
  private async recordEvents(em: EntityManager, branchId: string, now: Date, fn: (tx: BranchTransaction) => void | Promise<void>): Promise<void> {
    const lastSeq = await this.store.lockBranch(em, branchId);
    const tx = new BranchTransaction(em, branchId, now);
    await fn(tx);
    await this.store.append(em, branchId, lastSeq, `worker:${this.name}`, tx.pending);
  }

  private async repairOf(em: EntityManager, id: string): Promise<{ status: string; sms_pickup_code: string | null } | null> {
    const rows: { status: string; sms_pickup_code: string | null }[] = await em.query(`SELECT status, sms_pickup_code FROM repairs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The branch's own text for this template and language, or the built-in one. */
  private async templateBody(em: EntityManager, row: NotificationRow): Promise<string> {
    const rows: { body: string }[] = await em.query(`SELECT body FROM sms_templates WHERE branch_id = $1 AND template = $2 AND language = $3`, [
      row.branch_id,
      row.template,
      row.language,
    ]);
    return rows[0]?.body ?? DEFAULT_SMS_TEMPLATES[row.template][row.language];
  }
}
