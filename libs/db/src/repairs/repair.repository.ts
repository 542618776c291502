import { Brackets, type EntityManager } from 'typeorm';
import type { RepairStatus } from '@frontdesk/contracts';
import { CustomerEntity, RepairEntity, RepairHistoryEntity } from '../entities/repair.entity';

/** What a repair shows besides its own row: names and numbers of the things it points to. */
export interface RepairLinks {
  technicianName: Map<string, string>;
  ticketNumber: Map<string, string>;
  repeatOf: Map<string, { id: string; orderNo: string; status: RepairStatus; createdAt: Date }>;
}

export interface RepairListFilter {
  branchId: string;
  statuses?: RepairStatus[];
  q?: string;
  overdueAt?: Date;
  technicianId?: string;
  includeClosed?: boolean;
  page: number;
  pageSize: number;
}

const CLOSED: RepairStatus[] = ['picked_up', 'returned_unrepaired', 'cancelled'];
const NOT_OVERDUE: RepairStatus[] = ['ready_for_pickup', ...CLOSED];

/** The only code that queries repairs, customers and their history. */
export class RepairRepository {
  /** The customer of this phone, created or brought up to date with what intake was just told. */
  async upsertCustomer(em: EntityManager, c: { phone: string; name: string; altPhone: string | null; now: Date }): Promise<CustomerEntity> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO customers (phone, name, alt_phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (phone) DO UPDATE SET name = EXCLUDED.name, alt_phone = COALESCE(EXCLUDED.alt_phone, customers.alt_phone), updated_at = EXCLUDED.updated_at
       RETURNING id`,
      [c.phone, c.name, c.altPhone, c.now],
    );
    return em.findOneByOrFail(CustomerEntity, { id: rows[0].id });
  }

  customerByPhone(em: EntityManager, phone: string): Promise<CustomerEntity | null> {
    return em.findOneBy(CustomerEntity, { phone });
  }

  async nextOrderSeq(em: EntityManager, branchId: string, localDay: string): Promise<number> {
    const rows: { last_seq: number }[] = await em.query(
      `INSERT INTO repair_order_sequences (branch_id, local_day, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (branch_id, local_day) DO UPDATE SET last_seq = repair_order_sequences.last_seq + 1
       RETURNING last_seq`,
      [branchId, localDay],
    );
    return rows[0].last_seq;
  }

  /** The latest earlier repair of the device since `since` (any branch; cancelled intakes were no repair). */
  latestRepairOfDevice(em: EntityManager, deviceKey: string, since: Date): Promise<RepairEntity | null> {
    return em
      .createQueryBuilder(RepairEntity, 'r')
      .where('r.device_key = :deviceKey', { deviceKey })
      .andWhere('r.created_at >= :since', { since })
      .andWhere(`r.status <> 'cancelled'`)
      .orderBy('r.created_at', 'DESC')
      .getOne();
  }

  async insert(em: EntityManager, r: Partial<RepairEntity>): Promise<RepairEntity> {
    const saved = await em.save(RepairEntity, em.create(RepairEntity, r));
    return em.findOneByOrFail(RepairEntity, { id: saved.id });
  }

  async save(em: EntityManager, r: RepairEntity): Promise<RepairEntity> {
    return em.save(RepairEntity, r);
  }

  /** With `lock`, the row is held until the transaction ends (the branch lock already orders writers). */
  find(em: EntityManager, id: string, lock = false): Promise<RepairEntity | null> {
    const qb = em.createQueryBuilder(RepairEntity, 'r').where('r.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** The order of one branch by its number (order numbers restart per branch, so the branch is part of the key). */
  findByOrderNo(em: EntityManager, branchId: string, orderNo: string): Promise<RepairEntity | null> {
    return em.findOne(RepairEntity, { where: { branchId, orderNo } });
  }

  async branchOf(em: EntityManager, id: string): Promise<string | null> {
    const rows: { branch_id: string }[] = await em.query(`SELECT branch_id FROM repairs WHERE id = $1`, [id]);
    return rows[0]?.branch_id ?? null;
  }

  async pickupCodeHash(em: EntityManager, id: string): Promise<string | null> {
    const rows: { pickup_code_hash: string }[] = await em.query(`SELECT pickup_code_hash FROM repairs WHERE id = $1`, [id]);
    return rows[0]?.pickup_code_hash ?? null;
  }

  async appendHistory(em: EntityManager, entries: Partial<RepairHistoryEntity>[]): Promise<void> {
    if (entries.length) await em.insert(RepairHistoryEntity, entries);
  }

  history(em: EntityManager, repairId: string): Promise<RepairHistoryEntity[]> {
    return em.find(RepairHistoryEntity, { where: { repairId }, order: { id: 'ASC' } });
  }

  /** Technician names, ticket numbers and the earlier repair of each, in three queries for any number of repairs. */
  async links(em: EntityManager, repairs: readonly RepairEntity[]): Promise<RepairLinks> {
    const ids = (f: (r: RepairEntity) => string | null) => [...new Set(repairs.map(f).filter((x): x is string => Boolean(x)))];
    const techIds = ids((r) => r.technicianId);
    const ticketIds = ids((r) => r.ticketId);
    const repeatIds = ids((r) => r.repeatOf);
    const techs: { id: string; display_name: string }[] = techIds.length ? await em.query(`SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`, [techIds]) : [];
    const tickets: { id: string; number: string }[] = ticketIds.length ? await em.query(`SELECT id, number FROM tickets WHERE id = ANY($1::uuid[])`, [ticketIds]) : [];
    const repeats: { id: string; order_no: string; status: RepairStatus; created_at: Date }[] = repeatIds.length
      ? await em.query(`SELECT id, order_no, status, created_at FROM repairs WHERE id = ANY($1::uuid[])`, [repeatIds])
      : [];
    return {
      technicianName: new Map(techs.map((t) => [t.id, t.display_name])),
      ticketNumber: new Map(tickets.map((t) => [t.id, t.number])),
      repeatOf: new Map(repeats.map((r) => [r.id, { id: r.id, orderNo: r.order_no, status: r.status, createdAt: r.created_at }])),
    };
  }

  async list(em: EntityManager, f: RepairListFilter): Promise<{ rows: RepairEntity[]; total: number }> {
    const qb = em.createQueryBuilder(RepairEntity, 'r').where('r.branch_id = :branchId', { branchId: f.branchId });
    if (f.statuses?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: f.statuses });
    else if (!f.includeClosed) qb.andWhere('r.status NOT IN (:...closed)', { closed: CLOSED });
    if (f.overdueAt) qb.andWhere('r.promised_at < :overdueAt AND r.status NOT IN (:...notOverdue)', { overdueAt: f.overdueAt, notOverdue: NOT_OVERDUE });
    if (f.technicianId) qb.andWhere('r.technician_id = :technicianId', { technicianId: f.technicianId });
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const digits = f.q.replace(/[^0-9]/g, '');
      qb.andWhere(
        new Brackets((w) => {
          w.where('r.order_no ILIKE :like', { like })
            .orWhere('r.customer_name ILIKE :like')
            .orWhere('r.serial ILIKE :like')
            .orWhere('r.imei ILIKE :like');
          // Phone digits: at least 4 so a short number does not match half the board.
          if (digits.length >= 4) w.orWhere('r.customer_phone LIKE :digits', { digits: `%${digits}%` });
        }),
      );
    }
    qb.orderBy('r.promised_at', 'ASC').addOrderBy('r.created_at', 'ASC').skip((f.page - 1) * f.pageSize).take(f.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { rows, total };
  }

  readyForPickup(em: EntityManager, branchId: string): Promise<RepairEntity[]> {
    return em.find(RepairEntity, { where: { branchId, status: 'ready_for_pickup' }, order: { readyAt: 'ASC' } });
  }

  /** The order a customer asks about; several branches may share an order number, the phone tells them apart. */
  async lookup(em: EntityManager, orderNo: string, phoneLast4: string): Promise<RepairEntity | null> {
    return em
      .createQueryBuilder(RepairEntity, 'r')
      .where('r.order_no = :orderNo', { orderNo })
      .andWhere('right(r.customer_phone, 4) = :phoneLast4', { phoneLast4 })
      .orderBy('r.created_at', 'DESC')
      .getOne();
  }

  repairsOfCustomer(em: EntityManager, customerId: string, branchIds: string[] | null, limit = 50): Promise<RepairEntity[]> {
    const qb = em.createQueryBuilder(RepairEntity, 'r').where('r.customer_id = :customerId', { customerId });
    if (branchIds) qb.andWhere('r.branch_id IN (:...branchIds)', { branchIds: branchIds.length ? branchIds : ['00000000-0000-0000-0000-000000000000'] });
    return qb.orderBy('r.created_at', 'DESC').take(limit).getMany();
  }

  ticketsByPhone(
    em: EntityManager,
    phones: string[],
    branchIds: string[] | null,
    limit = 50,
  ): Promise<{ id: string; branch_id: string; number: string; status: string; created_at: Date }[]> {
    return em.query(
      `SELECT id, branch_id, number, status, created_at FROM tickets
       WHERE phone = ANY($1::text[]) AND ($2::uuid[] IS NULL OR branch_id = ANY($2::uuid[]))
       ORDER BY created_at DESC LIMIT $3`,
      [phones, branchIds, limit],
    );
  }

  /** A user who may be assigned repairs of the branch: technicians, and managers who repair themselves. */
  async assignableUser(em: EntityManager, userId: string, branchId: string): Promise<{ id: string; display_name: string } | null> {
    const rows: { id: string; display_name: string }[] = await em.query(
      `SELECT u.id, u.display_name FROM users u
       WHERE u.id = $1 AND u.active AND u.role IN ('technician', 'manager', 'admin')
         AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_branches ub WHERE ub.user_id = u.id AND ub.branch_id = $2))`,
      [userId, branchId],
    );
    return rows[0] ?? null;
  }

  /** Everyone repairs of the branch may be assigned to (see assignableUser), technicians first. */
  technicians(em: EntityManager, branchId: string): Promise<{ id: string; display_name: string; role: string }[]> {
    return em.query(
      `SELECT u.id, u.display_name, u.role FROM users u
       WHERE u.active AND u.role IN ('technician', 'manager')
         AND EXISTS (SELECT 1 FROM user_branches ub WHERE ub.user_id = u.id AND ub.branch_id = $1)
       ORDER BY u.role = 'technician' DESC, u.display_name`,
      [branchId],
    );
  }

  async ticketOfBranch(em: EntityManager, ticketId: string, branchId: string): Promise<{ id: string; number: string } | null> {
    const rows: { id: string; number: string }[] = await em.query(`SELECT id, number FROM tickets WHERE id = $1 AND branch_id = $2`, [ticketId, branchId]);
    return rows[0] ?? null;
  }

  /** Repairs for the KPI window: received since `since`, or still active, or became ready since `readySince`. */
  kpiRepairs(em: EntityManager, branchId: string, since: Date, readySince: Date): Promise<RepairEntity[]> {
    return em
      .createQueryBuilder(RepairEntity, 'r')
      .where('r.branch_id = :branchId', { branchId })
      .andWhere(
        new Brackets((w) => {
          w.where('r.created_at >= :since', { since })
            .orWhere('r.status NOT IN (:...closed)', { closed: CLOSED })
            .orWhere('r.ready_at >= :readySince', { readySince });
        }),
      )
      .getMany();
  }
}
