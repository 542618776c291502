import type { EntityManager } from 'typeorm';
import { CALLBACK_GRACE_MINUTES, type CallbackDto, type CallbackOutcome, type CallbackReason, type CallbackStatus } from '@frontdesk/contracts';

interface CallbackRow {
  id: string;
  branch_id: string;
  phone: string;
  name: string | null;
  due_at: Date;
  reason: CallbackReason;
  repair_id: string | null;
  call_id: string | null;
  note: string | null;
  status: 'scheduled' | 'due' | 'done';
  outcome: CallbackOutcome | null;
  attempts: number;
  created_at: Date;
  completed_at: Date | null;
  repair_order_no?: string | null;
}

const COLUMNS = 'id, branch_id, phone, name, due_at, reason, repair_id, call_id, note, status, outcome, attempts, created_at, completed_at';
const GRACE_MS = CALLBACK_GRACE_MINUTES * 60_000;

/** Due-ness is read from the clock: scheduled until due_at, due after it, overdue past the grace. */
export function callbackStatus(r: Pick<CallbackRow, 'status' | 'due_at'>, now: Date): CallbackStatus {
  if (r.status === 'done') return 'done';
  if (r.due_at.getTime() + GRACE_MS < now.getTime()) return 'overdue';
  return r.due_at.getTime() <= now.getTime() ? 'due' : 'scheduled';
}

export function toCallbackDto(r: CallbackRow, now: Date): CallbackDto {
  return {
    id: r.id,
    branchId: r.branch_id,
    phone: r.phone,
    name: r.name,
    dueAt: r.due_at.toISOString(),
    onTimeBy: new Date(r.due_at.getTime() + GRACE_MS).toISOString(),
    reason: r.reason,
    repairId: r.repair_id,
    ...(r.repair_order_no !== undefined ? { repairOrderNo: r.repair_order_no } : {}),
    callId: r.call_id,
    note: r.note,
    status: callbackStatus(r, now),
    outcome: r.outcome,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    completedAt: r.completed_at?.toISOString() ?? null,
  };
}

export interface NewCallback {
  branchId: string;
  phone: string;
  name?: string | null;
  dueAt: Date;
  reason: CallbackReason;
  repairId?: string | null;
  callId?: string | null;
  note?: string | null;
  createdBy: string;
}

export class CallbackRepository {
  /**
   * Inserts a callback; an abandoned call or a picked-up repair already having one gives null. One due at once is
   * stored `due` (its `callback.due` goes out with the insert), a later one `scheduled` for the worker's due job.
   */
  async create(em: EntityManager, c: NewCallback, now: Date): Promise<CallbackDto | null> {
    const rows: CallbackRow[] = await em.query(
      `INSERT INTO callbacks (branch_id, phone, name, due_at, reason, repair_id, call_id, note, created_by, created_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $4::timestamptz <= $10::timestamptz THEN 'due' ELSE 'scheduled' END)
       ON CONFLICT DO NOTHING
       RETURNING ${COLUMNS}`,
      [c.branchId, c.phone, c.name ?? null, c.dueAt, c.reason, c.repairId ?? null, c.callId ?? null, c.note ?? null, c.createdBy, now],
    );
    return rows[0] ? toCallbackDto(rows[0], now) : null;
  }

  /**
   * The scheduled → due step of the worker's due job: only while the callback is still scheduled for `dueAt` (a
   * rescheduled or completed one is left alone) and that time has come. `slackMs` forgives a job that fires a hair
   * early by the database clock. Null when there is nothing to do.
   */
  async markDue(em: EntityManager, id: string, dueAt: Date, now: Date, slackMs = 1000): Promise<CallbackDto | null> {
    const [rows]: [CallbackRow[], number] = await em.query(
      `UPDATE callbacks SET status = 'due' WHERE id = $1 AND status = 'scheduled' AND date_trunc('milliseconds', due_at) = date_trunc('milliseconds', $2::timestamptz) AND due_at <= $3 RETURNING ${COLUMNS}`,
      [id, dueAt, new Date(now.getTime() + slackMs)],
    );
    return rows[0] ? toCallbackDto(rows[0], now) : null;
  }

  /** Scheduled callbacks due by `until`, soonest first, across branches (the worker's sweep). */
  async scheduledDueBy(em: EntityManager, until: Date, limit = 1000): Promise<{ id: string; branchId: string; dueAt: Date }[]> {
    const rows: { id: string; branch_id: string; due_at: Date }[] = await em.query(
      `SELECT id, branch_id, due_at FROM callbacks WHERE status = 'scheduled' AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [until, limit],
    );
    return rows.map((r) => ({ id: r.id, branchId: r.branch_id, dueAt: r.due_at }));
  }

  async find(em: EntityManager, id: string, now: Date, lock = false): Promise<CallbackDto | null> {
    const rows: CallbackRow[] = await em.query(`SELECT ${COLUMNS} FROM callbacks WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toCallbackDto(rows[0], now) : null;
  }

  async list(em: EntityManager, branchId: string, status: CallbackStatus | undefined, now: Date): Promise<CallbackDto[]> {
    const grace = new Date(now.getTime() - GRACE_MS);
    const where =
      status === 'done'
        ? `AND status = 'done'`
        : status === 'scheduled'
          ? `AND status <> 'done' AND due_at > $2`
          : status === 'due'
            ? `AND status <> 'done' AND due_at <= $2 AND due_at >= $3`
            : status === 'overdue'
              ? `AND status <> 'done' AND due_at < $3`
              : '';
    const rows: CallbackRow[] = await em.query(
      `SELECT ${COLUMNS}, (SELECT order_no FROM repairs WHERE repairs.id = callbacks.repair_id) AS repair_order_no FROM callbacks WHERE branch_id = $1 ${where} AND ($2::timestamptz IS NOT NULL AND $3::timestamptz IS NOT NULL)
       ORDER BY (status = 'done'), due_at LIMIT 500`,
      [branchId, now, grace],
    );
    return rows.map((r) => toCallbackDto(r, now));
  }

  async complete(em: EntityManager, id: string, outcome: CallbackOutcome, note: string | null, now: Date): Promise<CallbackDto> {
    // TypeORM returns [rows, affected] for UPDATE ... RETURNING on Postgres.
    const [rows]: [CallbackRow[], number] = await em.query(
      `UPDATE callbacks SET status = 'done', outcome = $2, note = COALESCE($3, note), attempts = attempts + 1, completed_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, outcome, note, now],
    );
    return toCallbackDto(rows[0], now);
  }

  /** An unreachable caller is tried again at `dueAt`. */
  async retry(em: EntityManager, id: string, dueAt: Date, note: string | null, now: Date): Promise<CallbackDto> {
    const [rows]: [CallbackRow[], number] = await em.query(
      `UPDATE callbacks SET status = 'scheduled', outcome = 'unreachable', due_at = $2, note = COALESCE($3, note), attempts = attempts + 1 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, dueAt, note],
    );
    return toCallbackDto(rows[0], now);
  }

  /** Numbers that already have an abandoned-call callback waiting: a caller who tried three times gets one call back. */
  async numbersWithOpenAbandoned(em: EntityManager, branchId: string, phones: readonly string[]): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows: { phone: string }[] = await em.query(
      `SELECT DISTINCT phone FROM callbacks WHERE branch_id = $1 AND reason = 'abandoned' AND status <> 'done' AND phone = ANY($2::text[])`,
      [branchId, phones],
    );
    return new Set(rows.map((r) => r.phone));
  }

  /** Open abandoned-call callbacks of a number: closed when the caller got through after all. */
  async closeAbandonedFor(em: EntityManager, branchId: string, phone: string, callIds: readonly string[], now: Date): Promise<CallbackDto[]> {
    if (callIds.length === 0) return [];
    const [rows]: [CallbackRow[], number] = await em.query(
      `UPDATE callbacks SET status = 'done', outcome = 'got_through', completed_at = $4
       WHERE branch_id = $1 AND phone = $2 AND reason = 'abandoned' AND status <> 'done' AND call_id = ANY($3::text[])
       RETURNING ${COLUMNS}`,
      [branchId, phone, callIds, now],
    );
    return rows.map((r) => toCallbackDto(r, now));
  }
}
