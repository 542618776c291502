import type { EntityManager } from 'typeorm';
import type { AlertDto, AlertSeverity } from '@frontdesk/contracts';
import type { BranchTransaction } from '../events/branch-transaction';

interface AlertRow {
  id: string;
  branch_id: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
  data: Record<string, unknown>;
  dedupe_key: string | null;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  cleared_at: Date | null;
}

const COLUMNS = 'id, branch_id, kind, severity, message, data, dedupe_key, raised_at, acknowledged_at, acknowledged_by, cleared_at';

export function toAlertDto(r: AlertRow): AlertDto {
  return {
    id: r.id,
    branchId: r.branch_id,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    data: r.data ?? {},
    state: r.cleared_at ? 'cleared' : r.acknowledged_at ? 'acknowledged' : 'open',
    dedupeKey: r.dedupe_key,
    raisedAt: r.raised_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: r.acknowledged_by,
    clearedAt: r.cleared_at?.toISOString() ?? null,
  };
}

export interface RaiseAlertInput {
  kind: string;
  severity: AlertSeverity;
  message: string;
  data?: Record<string, unknown>;
  /** One open alert per key: raising it again while open does nothing. */
  dedupeKey?: string;
}

/**
 * Raises an alert inside a branch transaction, with its `alert.raised` event in the same commit.
 * Returns null when an alert with the same dedupe key is still open.
 */
export async function raiseAlert(tx: BranchTransaction, input: RaiseAlertInput): Promise<AlertDto | null> {
  const rows: AlertRow[] = await tx.em.query(
    `INSERT INTO alerts (branch_id, kind, severity, message, data, dedupe_key, raised_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
     ON CONFLICT (branch_id, dedupe_key) WHERE cleared_at IS NULL AND dedupe_key IS NOT NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [tx.branchId, input.kind, input.severity, input.message, JSON.stringify(input.data ?? {}), input.dedupeKey ?? null, tx.now],
  );
  if (rows.length === 0) return null;
  const alert = toAlertDto(rows[0]);
  tx.record('alert.raised', { alert });
  return alert;
}

/** Clears the open alert with this key (the situation is over), with an `alert.cleared` event. */
export async function clearAlert(tx: BranchTransaction, dedupeKey: string): Promise<AlertDto | null> {
  // TypeORM returns [rows, affected] for UPDATE ... RETURNING on Postgres.
  const [rows]: [AlertRow[], number] = await tx.em.query(
    `UPDATE alerts SET cleared_at = $3 WHERE branch_id = $1 AND dedupe_key = $2 AND cleared_at IS NULL RETURNING ${COLUMNS}`,
    [tx.branchId, dedupeKey, tx.now],
  );
  if (rows.length === 0) return null;
  const alert = toAlertDto(rows[0]);
  tx.record('alert.cleared', { alert });
  return alert;
}

export class AlertRepository {
  async list(em: EntityManager, branchId: string, state: 'open' | 'all', limit: number): Promise<AlertDto[]> {
    const rows: AlertRow[] = await em.query(
      `SELECT ${COLUMNS} FROM alerts WHERE branch_id = $1 ${state === 'open' ? 'AND cleared_at IS NULL' : ''} ORDER BY raised_at DESC LIMIT $2`,
      [branchId, limit],
    );
    return rows.map(toAlertDto);
  }

  async find(em: EntityManager, id: string): Promise<AlertDto | null> {
    const rows: AlertRow[] = await em.query(`SELECT ${COLUMNS} FROM alerts WHERE id = $1`, [id]);
    return rows[0] ? toAlertDto(rows[0]) : null;
  }

  /** Marks an alert seen; it stays listed as open until its situation clears. */
  async acknowledge(em: EntityManager, id: string, by: string, at: Date): Promise<AlertDto | null> {
    const [rows]: [AlertRow[], number] = await em.query(
      `UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, $3), acknowledged_by = COALESCE(acknowledged_by, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, by, at],
    );
    return rows[0] ? toAlertDto(rows[0]) : null;
  }
}
