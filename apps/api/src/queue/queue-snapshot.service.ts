import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LiveView, Principal, QueueSnapshot } from '@frontdesk/contracts';
import { publicCounter, publicTicket } from '@frontdesk/domain';
import { assertBranchAccess } from '../auth/branch-access';
import { BranchQueue, QueueRepository } from '@frontdesk/db';

export const RECENT_CALLS = 8;

/** The whole lobby picture at one seq: read in one REPEATABLE READ snapshot so state and seq agree. */
@Injectable()
export class QueueSnapshotService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: QueueRepository,
  ) {}

  async forPrincipal(p: Principal, branchId: string): Promise<QueueSnapshot> {
    assertBranchAccess(p, branchId);
    const view: LiveView = p.kind === 'device' ? 'display' : 'staff';
    return this.build(branchId, view);
  }

  build(branchId: string, view: LiveView): Promise<QueueSnapshot> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const rows: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branchId]);
      const now = new Date();
      const q = await BranchQueue.load(this.repo, em, branchId, now);
      const recent = await this.repo.recentCalls(em, branchId, q.day, RECENT_CALLS);
      const stats = q.stats();
      const staff = view === 'staff' || view === 'manager';
      const counters = q.counters.map((c) => q.counterDto(c));
      return {
        seq: Number(rows[0]?.last_seq ?? 0),
        at: now.toISOString(),
        services: q.services.map((s) => {
          const st = stats.find((x) => x.serviceId === s.id)!;
          return { ...st, code: s.code, name: { zh: s.nameZh, en: s.nameEn }, open: s.open };
        }),
        counters: staff ? counters : counters.map(publicCounter),
        recentCalls: recent.map((t) => publicTicket(q.ticketDto(t))),
        ...(staff ? { tickets: q.tickets.map((t) => q.ticketDto(t)) } : {}),
      };
    });
  }
}
