import type { EntityManager } from 'typeorm';
import type { Language, NotificationDto, NotificationStatus, NotificationTemplate } from '@frontdesk/contracts';
import { maskPhone } from '@frontdesk/domain';
import type { BranchTransaction } from '../events/branch-transaction';

export type NotificationState = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface NotificationRow {
  id: string;
  branch_id: string;
  repair_id: string | null;
  ticket_id: string | null;
  channel: 'sms';
  to_phone: string;
  language: Language;
  template: NotificationTemplate;
  params: Record<string, string | number>;
  dedupe_key: string;
  state: NotificationState;
  due_at: Date;
  attempts: number;
  provider: string | null;
  provider_message_id: string | null;
  body: string | null;
  error: string | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, branch_id, repair_id, ticket_id, channel, to_phone, language, template, params, dedupe_key, state, due_at, attempts, provider, provider_message_id, body, error, sent_at, created_at, updated_at';

/** A pending notice is `scheduled` while its time has not come and `queued` once it is due. */
export function notificationStatus(r: Pick<NotificationRow, 'state' | 'due_at'>, now: Date): NotificationStatus {
  if (r.state !== 'pending') return r.state;
  return r.due_at.getTime() > now.getTime() ? 'scheduled' : 'queued';
}

export function toNotificationDto(r: NotificationRow, now: Date): NotificationDto {
  return {
    id: r.id,
    channel: 'sms',
    to: maskPhone(r.to_phone) ?? '',
    template: r.template,
    status: notificationStatus(r, now),
    attempts: r.attempts,
    dueAt: r.due_at.toISOString(),
    language: r.language,
    repairId: r.repair_id,
    ticketId: r.ticket_id,
    provider: r.provider,
    ...(r.sent_at ? { sentAt: r.sent_at.toISOString() } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

export interface NewNotification {
  repairId?: string | null;
  ticketId?: string | null;
  toPhone: string;
  language: Language;
  template: NotificationTemplate;
  params: Record<string, string | number>;
  dedupeKey: string;
  dueAt: Date;
}

/**
 * Writes a notice inside the branch transaction of the change that causes it, with its `notification.status`
 * event: the notice exists if and only if the change committed. A notice with the same cause (dedupe key) is
 * written once; null then.
 */
export async function addNotification(tx: BranchTransaction, n: NewNotification): Promise<NotificationDto | null> {
  const rows: NotificationRow[] = await tx.em.query(
    `INSERT INTO notifications (branch_id, repair_id, ticket_id, to_phone, language, template, params, dedupe_key, due_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $10)
     ON CONFLICT (branch_id, dedupe_key) DO NOTHING RETURNING ${COLUMNS}`,
    [tx.branchId, n.repairId ?? null, n.ticketId ?? null, n.toPhone, n.language, n.template, JSON.stringify(n.params), n.dedupeKey, n.dueAt, tx.now],
  );
  if (!rows[0]) return null;
  const dto = toNotificationDto(rows[0], tx.now);
  tx.record('notification.status', { notification: dto });
  return dto;
}

/**
 * Cancels a repair's pending notices of these templates (a reminder for a phone already collected). A notice the
 * worker is sending at this moment is locked and skipped rather than waited for: the worker takes the branch lock
 * after the row lock, so waiting here (under the branch lock) could deadlock; the worker re-checks the repair itself.
 */
export async function cancelRepairNotifications(tx: BranchTransaction, repairId: string, templates: NotificationTemplate[], reason: string): Promise<NotificationDto[]> {
  const [rows]: [NotificationRow[], number] = await tx.em.query(
    `UPDATE notifications SET state = 'cancelled', error = $3, updated_at = $4
     WHERE id IN (SELECT id FROM notifications WHERE repair_id = $1 AND state = 'pending' AND template = ANY($2::text[]) FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [repairId, templates, reason, tx.now],
  );
  const dtos = rows.map((r) => toNotificationDto(r, tx.now));
  for (const notification of dtos) tx.record('notification.status', { notification });
  return dtos;
}

export class NotificationRepository {
  async list(em: EntityManager, filter: { repairId?: string; ticketId?: string }, now: Date): Promise<{ branchId: string; dto: NotificationDto }[]> {
    const rows: NotificationRow[] = await em.query(
      `SELECT ${COLUMNS} FROM notifications WHERE ($1::uuid IS NULL OR repair_id = $1) AND ($2::uuid IS NULL OR ticket_id = $2) ORDER BY due_at, created_at`,
      [filter.repairId ?? null, filter.ticketId ?? null],
    );
    return rows.map((r) => ({ branchId: r.branch_id, dto: toNotificationDto(r, now) }));
  }

  /** Pending notices due before `horizon`: what the relay hands to BullMQ (each again after a Redis loss). */
  async pendingDueBefore(em: EntityManager, horizon: Date, limit: number): Promise<Pick<NotificationRow, 'id' | 'due_at'>[]> {
    return em.query(`SELECT id, due_at FROM notifications WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT $2`, [horizon, limit]);
  }

  /** Locks the row for the send; a second worker with the same notice waits here and then sees it sent. */
  async lockForSend(em: EntityManager, id: string): Promise<NotificationRow | null> {
    const rows: NotificationRow[] = await em.query(`SELECT ${COLUMNS} FROM notifications WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async markSent(em: EntityManager, id: string, r: { provider: string; providerMessageId: string | null; body: string; attempts: number; at: Date }): Promise<NotificationRow> {
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications SET state = 'sent', provider = $2, provider_message_id = $3, body = $4, attempts = $5, sent_at = $6, error = NULL, updated_at = $6
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, r.provider, r.providerMessageId, r.body, r.attempts, r.at],
    );
    return rows[0];
  }

  /** A failed try: `final` marks the notice failed for good, otherwise it stays pending for BullMQ's retry. */
  async markAttemptFailed(em: EntityManager, id: string, r: { provider: string; error: string; attempts: number; final: boolean; at: Date }): Promise<NotificationRow> {
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications SET state = CASE WHEN $5 THEN 'failed' ELSE state END, provider = $2, error = $3, attempts = $4, updated_at = $6
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, r.provider, r.error.slice(0, 500), r.attempts, r.final, r.at],
    );
    return rows[0];
  }

  async cancel(em: EntityManager, id: string, reason: string, at: Date): Promise<NotificationRow> {
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications SET state = 'cancelled', error = $2, updated_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, reason, at],
    );
    return rows[0];
  }

  async counts(em: EntityManager): Promise<Record<NotificationState, number>> {
    const rows: { state: NotificationState; n: number }[] = await em.query(`SELECT state, count(*)::int AS n FROM notifications GROUP BY state`);
    const out: Record<NotificationState, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }
}
