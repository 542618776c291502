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

/** Identical views by one person within this many minutes make one entry. */
export const VIEW_COALESCE_MINUTES = 10;

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
    // A view repeated by the same person, of the same record through the same route, within VIEW_COALESCE_MINUTES of
    // the last one is already told by that entry: the hotline board and the callback list are re-read after every
    // event, and one agent's shift would otherwise bury the log. Changes are always written.
    await em.query(
      `INSERT INTO customer_audit (branch_id, actor_id, actor_name, actor_role, action, customer_id, phone_masked, route)
       SELECT v.* FROM (VALUES ${tuples.join(', ')}) AS v(branch_id, actor_id, actor_name, actor_role, action, customer_id, phone_masked, route)
       WHERE v.action <> 'view' OR NOT EXISTS (
         SELECT 1 FROM customer_audit a
          WHERE a.actor_id IS NOT DISTINCT FROM v.actor_id AND a.at > now() - make_interval(mins => ${VIEW_COALESCE_MINUTES})
            AND a.action = 'view' AND a.route = v.route AND a.branch_id IS NOT DISTINCT FROM v.branch_id
            AND a.customer_id IS NOT DISTINCT FROM v.customer_id AND a.phone_masked IS NOT DISTINCT FROM v.phone_masked)`,
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
