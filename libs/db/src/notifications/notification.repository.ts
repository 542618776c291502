import type { EntityManager } from 'typeorm';
import type { Language, NotificationDto, NotificationStatus, NotificationTemplate, NotifySettings } from '@frontdesk/contracts';
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

const COLUMN_NAMES = [
  'id', 'branch_id', 'repair_id', 'ticket_id', 'channel', 'to_phone', 'language', 'template', 'params', 'dedupe_key', 'state', 'due_at',
  'attempts', 'provider', 'provider_message_id', 'body', 'error', 'sent_at', 'created_at', 'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');
/** The same columns of `notifications n`, for statements that join or update from another list. */
const PREFIXED = COLUMN_NAMES.map((c) => `n.${c}`).join(', ');

/** A notice with what its send needs (see NotificationRepository.loadForSend). */
export interface SendContext extends NotificationRow {
  repair_found: boolean;
  repair_status: string | null;
  sms_pickup_code: string | null;
  ticket_status: string | null;
  branch_name_zh: string;
  branch_name_en: string;
  branch_notify_settings: Partial<NotifySettings> | null;
  template_body: string | null;
}

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
 * Cancels a repair's pending notices of these templates (a reminder for a phone already collected). Rows locked by
 * someone else are skipped rather than waited for under the branch lock. The worker holds no lock while it calls the
 * provider; it writes the outcome under the branch lock (taken first, as here), and records a notice cancelled here
 * while its provider call was already under way as sent, since the customer got it (docs/notifications.md).
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

  /**
   * Pending notices the relay should hand to BullMQ now: due before `horizon` and either never handed over, handed
   * over before they became due and due now (the delayed job fires about now; re-adding it is a no-op when it is
   * still in Redis and puts it back when Redis lost it), or handed over before `staleBefore` (a job lost in any
   * other way: Redis lost its data during a backlog, a job failed past its stall limit, a job run early and skipped).
   * Notices already in the queue are not added again on every pass.
   */
  async toRelay(em: EntityManager, r: { now: Date; horizon: Date; staleBefore: Date; limit: number }): Promise<(Pick<NotificationRow, 'id' | 'due_at'> & { queued_at: Date | null })[]> {
    return em.query(
      `SELECT id, due_at, queued_at FROM notifications
       WHERE state = 'pending' AND due_at <= $2
         AND (queued_at IS NULL OR queued_at < $3 OR (queued_at < due_at AND due_at <= $1))
       ORDER BY due_at LIMIT $4`,
      [r.now, r.horizon, r.staleBefore, r.limit],
    );
  }

  /** Remembers when the relay handed these notices to BullMQ (after the add succeeded). */
  async markQueued(em: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length) await em.query(`UPDATE notifications SET queued_at = $2 WHERE id = ANY($1::uuid[]) AND state = 'pending'`, [ids, at]);
  }

  /**
   * Everything the sends of these notices need, in one query and without a lock: each notice with its repair's
   * status and plain pickup code, its ticket's status, the branch's names and settings and the branch's own text for
   * its template. Notices that do not exist are missing from the answer.
   */
  async loadForSend(em: Pick<EntityManager, 'query'>, ids: string[]): Promise<SendContext[]> {
    if (ids.length === 0) return [];
    return em.query(
      `SELECT ${PREFIXED},
              (r.id IS NOT NULL) AS repair_found, r.status AS repair_status, r.sms_pickup_code,
              t.status AS ticket_status,
              b.name_zh AS branch_name_zh, b.name_en AS branch_name_en, b.notify_settings AS branch_notify_settings,
              (SELECT st.body FROM sms_templates st WHERE st.branch_id = n.branch_id AND st.template = n.template AND st.language = n.language) AS template_body
       FROM notifications n
       JOIN branches b ON b.id = n.branch_id
       LEFT JOIN repairs r ON r.id = n.repair_id
       LEFT JOIN tickets t ON t.id = n.ticket_id
       WHERE n.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * Records provider acceptances, several notices in one statement. A notice still pending becomes sent; so does
   * one the API cancelled while the provider was already sending it (the customer got the message, the row says
   * so). A notice already sent (a duplicate run) is left alone and not returned, so no second `sent` event is written.
   */
  async markSentMany(em: EntityManager, items: { id: string; provider: string; providerMessageId: string | null; body: string; at: Date }[]): Promise<NotificationRow[]> {
    if (items.length === 0) return [];
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications n SET state = 'sent', provider = v.provider, provider_message_id = v.message_id, body = v.body, attempts = n.attempts + 1,
              sent_at = v.at, error = NULL, updated_at = v.at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS v(id, provider, message_id, body, at)
       WHERE n.id = v.id AND n.state IN ('pending', 'cancelled')
       RETURNING ${PREFIXED}`,
      [items.map((i) => i.id), items.map((i) => i.provider), items.map((i) => i.providerMessageId), items.map((i) => i.body), items.map((i) => i.at)],
    );
    return rows;
  }

  /**
   * A failed try of a pending notice: `final` marks it failed for good, otherwise it stays pending for BullMQ's
   * retry. Null when the notice is no longer pending (sent by a duplicate run, cancelled).
   */
  async markAttemptFailed(em: Pick<EntityManager, 'query'>, id: string, r: { provider: string; error: string; final: boolean; at: Date }): Promise<NotificationRow | null> {
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications SET state = CASE WHEN $4 THEN 'failed' ELSE state END, provider = $2, error = $3, attempts = attempts + 1, updated_at = $5
       WHERE id = $1 AND state = 'pending' RETURNING ${COLUMNS}`,
      [id, r.provider, r.error.slice(0, 500), r.final, r.at],
    );
    return rows[0] ?? null;
  }

  /** Cancels a notice that is still pending; null when it no longer is. */
  async cancel(em: EntityManager, id: string, reason: string, at: Date): Promise<NotificationRow | null> {
    const [rows]: [NotificationRow[], number] = await em.query(
      `UPDATE notifications SET state = 'cancelled', error = $2, updated_at = $3 WHERE id = $1 AND state = 'pending' RETURNING ${COLUMNS}`,
      [id, reason, at],
    );
    return rows[0] ?? null;
  }

  async counts(em: EntityManager): Promise<Record<NotificationState, number>> {
    const rows: { state: NotificationState; n: number }[] = await em.query(`SELECT state, count(*)::int AS n FROM notifications GROUP BY state`);
    const out: Record<NotificationState, number> = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }
}
