import type { EntityManager } from 'typeorm';
import type { CustomerAuditAction, CustomerAuditEntryDto } from '@frontdesk/contracts';

export interface CustomerAuditRow {
  branchId: string | null;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  action: CustomerAuditAction;
  customerId: string | null;
  /** Already masked by the caller. */
  phoneMasked: string | null;
  route: string;
}

interface DbRow {
  id: string;
  at: Date;
  branch_id: string | null;
  actor_id: string | null;
  actor_name: string;
  actor_role: string;
  action: CustomerAuditAction;
  customer_id: string | null;
  phone_masked: string | null;
  route: string;
}

/** The customer audit trail: appended to by reads and changes of customer data, read by admins. */
export class CustomerAuditRepository {
  async append(em: EntityManager, rows: CustomerAuditRow[]): Promise<void> {
    if (!rows.length) return;
    const values: unknown[] = [];
    const tuples = rows.map((r) => {
      values.push(r.branchId, r.actorId, r.actorName, r.actorRole, r.action, r.customerId, r.phoneMasked, r.route);
      const n = values.length;
      return `($${n - 7}::uuid, $${n - 6}::uuid, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::uuid, $${n - 1}, $${n})`;
    });
    await em.query(
      `INSERT INTO customer_audit (branch_id, actor_id, actor_name, actor_role, action, customer_id, phone_masked, route) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /** Newest first; `branchIds` null means every branch (and entries of no branch). */
  async list(em: EntityManager, q: { branchIds: string[] | null; from: Date; to: Date; limit: number }): Promise<CustomerAuditEntryDto[]> {
    const rows: DbRow[] = await em.query(
      `SELECT * FROM customer_audit
        WHERE at >= $1 AND at < $2 AND ($3::uuid[] IS NULL OR branch_id = ANY($3::uuid[]))
        ORDER BY at DESC, id LIMIT $4`,
      [q.from, q.to, q.branchIds, q.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      branchId: r.branch_id,
      actor: { id: r.actor_id, username: r.actor_name, role: r.actor_role },
      action: r.action,
      customerId: r.customer_id,
      phoneMasked: r.phone_masked,
      route: r.route,
    }));
  }
}
