import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditQuerySchema, CustomerAuditAction, CustomerAuditListDto, Principal } from '@frontdesk/contracts';
import type { z } from 'zod';
import { maskPhone, toE164Phone } from '@frontdesk/domain';
import { CustomerAuditRepository } from '@frontdesk/db';

const WEEK_MS = 7 * 86400_000;

export interface CustomerAccess {
  action: CustomerAuditAction;
  /** One entry per branch whose records were shown or changed; an empty list records one entry of no branch. */
  branchIds: string[];
  customerId: string | null;
  /** Unmasked here; masked before it is stored. */
  phone: string | null;
  route: string;
}

/**
 * The customer audit trail (issue 7): staff reading a customer record, looking repairs up by phone, seeing callers'
 * full numbers on the hotline board or the callback list, or changing a customer's data (intake, a callback scheduled
 * or its outcome recorded) leave an entry. One entry per request (and branch), naming the customer and phone when the
 * request concerned one number. Changes are written in the transaction of the change, so a change without its entry
 * cannot commit; reads are written after the read.
 */
@Injectable()
export class CustomerAuditService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: CustomerAuditRepository,
  ) {}

  async record(p: Principal, access: CustomerAccess, em: EntityManager = this.ds.manager): Promise<void> {
    const actor =
      p.kind === 'user' ? { actorId: p.userId, actorName: p.username, actorRole: p.role } : { actorId: p.deviceId, actorName: p.name, actorRole: p.deviceKind };
    const branches = access.branchIds.length ? [...new Set(access.branchIds)] : [null];
    await this.repo.append(
      em,
      branches.map((branchId) => ({
        ...actor,
        branchId,
        action: access.action,
        customerId: access.customerId,
        phoneMasked: maskPhone(access.phone),
        route: access.route,
      })),
    );
  }

  /** The customer record of a phone number, if intake ever made one: lets a callback's entry name its customer. */
  async customerIdOf(phone: string | null, em: EntityManager = this.ds.manager): Promise<string | null> {
    const e164 = phone ? toE164Phone(phone) : null;
    if (!e164) return null;
    const rows: { id: string }[] = await em.query(`SELECT id FROM customers WHERE phone = $1 LIMIT 1`, [e164]);
    return rows[0]?.id ?? null;
  }

  async list(q: z.output<typeof AuditQuerySchema>): Promise<CustomerAuditListDto> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - WEEK_MS);
    const items = await this.repo.list(this.ds.manager, { branchIds: q.branchId ? [q.branchId] : null, from, to, limit: q.limit });
    return { from: from.toISOString(), to: to.toISOString(), items };
  }
}
