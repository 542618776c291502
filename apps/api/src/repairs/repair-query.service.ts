import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ListRepairsQuerySchema, Principal, PublicRepairDto, RepairDto, RepairKpisDto, RepairListDto, RepairLookupDto, RepairTechnicianDto } from '@frontdesk/contracts';
import type { z } from 'zod';
import { localDay, normalizeOrderNo, repairKpis, startOfLocalDay } from '@frontdesk/domain';
import { BranchEntity, RepairRepository } from '@frontdesk/db';
import { CustomerAuditService } from '../audit/customer-audit.service';
import { assertBranchAccess } from '../auth/branch-access';
import { notFound } from '../common/http-errors';
import { publicRepair, repairDto, repairSummary } from './repair-dto';

type ListQuery = z.output<typeof ListRepairsQuerySchema>;

/** A search text that is (part of) a phone number: digits with the usual separators, at least four digits. */
function looksLikePhone(q: string): boolean {
  return /^\+?[\d\s()-]+$/.test(q) && (q.match(/\d/g)?.length ?? 0) >= 4;
}

/** Reading repairs: one order, the board's list, the wall's ready board, the public lookup, the manager's KPIs. */
@Injectable()
export class RepairQueryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RepairRepository,
    private readonly audit: CustomerAuditService,
  ) {}

  async get(p: Principal, id: string): Promise<RepairDto> {
    const em = this.ds.manager;
    const r = await this.repo.find(em, id);
    if (!r) throw notFound('repair', id);
    assertBranchAccess(p, r.branchId);
    // The full record carries the customer's name and phones: a view of customer data.
    await this.audit.record(p, { action: 'view', branchIds: [r.branchId], customerId: r.customerId, phone: r.customerPhone, route: 'GET /api/repairs/:id' });
    return repairDto(r, await this.repo.links(em, [r]), await this.repo.history(em, id), new Date());
  }

  async list(p: Principal, q: ListQuery): Promise<RepairListDto> {
    assertBranchAccess(p, q.branchId);
    const em = this.ds.manager;
    const now = new Date();
    const { rows, total } = await this.repo.list(em, {
      branchId: q.branchId,
      statuses: q.status,
      q: q.q,
      overdueAt: q.overdue ? now : undefined,
      technicianId: q.technicianId,
      includeClosed: q.includeClosed,
      page: q.page,
      pageSize: q.pageSize,
    });
    if (q.q && looksLikePhone(q.q)) {
      // Looking repairs up by a phone number is looking a customer up.
      const customers = [...new Set(rows.map((r) => r.customerId))];
      await this.audit.record(p, { action: 'view', branchIds: [q.branchId], customerId: customers.length === 1 ? customers[0] : null, phone: q.q, route: 'GET /api/repairs?q' });
    }
    const links = await this.repo.links(em, rows);
    return { items: rows.map((r) => repairSummary(r, links, now)), total, page: q.page, pageSize: q.pageSize };
  }

  async readyForPickup(p: Principal, branchId: string): Promise<PublicRepairDto[]> {
    assertBranchAccess(p, branchId);
    return (await this.repo.readyForPickup(this.ds.manager, branchId)).map(publicRepair);
  }

  async technicians(p: Principal, branchId: string): Promise<RepairTechnicianDto[]> {
    assertBranchAccess(p, branchId);
    const rows = await this.repo.technicians(this.ds.manager, branchId);
    return rows.map((u) => ({ id: u.id, name: u.display_name, role: u.role as RepairTechnicianDto['role'] }));
  }

  /** Public: the same 404 for an unknown order and for wrong digits, so order numbers cannot be probed. */
  async lookup(orderNo: string, phoneLast4: string): Promise<RepairLookupDto> {
    const r = await this.repo.lookup(this.ds.manager, normalizeOrderNo(orderNo), phoneLast4);
    if (!r) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'no repair with this order number and phone digits' });
    }
    const branch = await this.ds.manager.findOneByOrFail(BranchEntity, { id: r.branchId });
    return {
      orderNo: r.orderNo,
      status: r.status,
      promisedAt: r.promisedAt.toISOString(),
      readyAt: r.readyAt?.toISOString() ?? null,
      branchName: { zh: branch.nameZh, en: branch.nameEn },
      timeZone: branch.timeZone,
      defaultLanguage: branch.defaultLanguage,
    };
  }

  /** DOMAIN.md repair KPIs: turnaround of today's ready repairs; overdue and uncollected now; repeat rate and satisfaction over 30 days. */
  async kpis(p: Principal, branchId: string): Promise<RepairKpisDto> {
    assertBranchAccess(p, branchId);
    const branch = await this.ds.manager.findOneBy(BranchEntity, { id: branchId });
    if (!branch) throw notFound('branch', branchId);
    const now = new Date();
    const dayStart = startOfLocalDay(now, branch.timeZone);
    const since = new Date(now.getTime() - 30 * 86400_000);
    const rows = await this.repo.kpiRepairs(this.ds.manager, branchId, since, dayStart);
    const active = rows.map((r) => ({ status: r.status, receivedAt: r.createdAt, readyAt: r.readyAt, promisedAt: r.promisedAt, isRepeat: r.repeatOf !== null, surveyScore: r.surveyScore }));
    const recent = active.filter((r) => r.receivedAt >= since);
    const all = repairKpis(active, now, dayStart);
    const window = repairKpis(recent, now, dayStart);
    const satisfaction = repairKpis(
      active.filter((_, i) => rows[i].surveyAt !== null && rows[i].surveyAt >= since),
      now,
      dayStart,
    );
    return {
      at: now.toISOString(),
      day: localDay(now, branch.timeZone),
      turnaroundSeconds: all.turnaroundSeconds,
      readyToday: all.readyCount,
      overdue: all.overdue,
      repeatRate: window.repeatRate,
      repeatRepairs: window.repeatRepairs,
      repairsConsidered: window.repairsConsidered,
      uncollected: all.uncollected,
      satisfactionAvg: satisfaction.satisfactionAvg,
      satisfactionShareGood: satisfaction.satisfactionShareGood,
      surveys: satisfaction.surveys,
    };
  }
}
