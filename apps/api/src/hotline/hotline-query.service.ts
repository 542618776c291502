import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { HotlineBoard, HotlineMetrics, Principal } from '@frontdesk/contracts';
import { HotlineRepository, type BranchHotline } from '@frontdesk/db';
import { localDay } from '@frontdesk/domain';
import { CustomerAuditService } from '../audit/customer-audit.service';
import { assertBranchAccess } from '../auth/branch-access';
import { notFound } from '../common/http-errors';
import { callDto, metricsDto, queuesOf } from './hotline-metrics';

/** Reads of the hotline: the numbers and the console's board, computed by the same engine as the pushed events. */
@Injectable()
export class HotlineQueryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: HotlineRepository,
    private readonly audit: CustomerAuditService,
  ) {}

  private async read(p: Principal, branchId: string) {
    assertBranchAccess(p, branchId);
    const branch = await this.repo.branch(this.ds.manager, branchId);
    if (!branch) throw notFound('branch', branchId);
    // One repeatable-read snapshot so that seq and the numbers agree.
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const [row]: { now: Date }[] = await em.query(`SELECT now() AS now`);
      const now = row.now;
      const seqRows: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branchId]);
      const seq = Number(seqRows[0]?.last_seq ?? 0);
      const since = new Date(now.getTime() - branch.settings.serviceLevelWindowMinutes * 60_000);
      const [calls, agents] = [await this.repo.recentCalls(em, branchId, localDay(now, branch.timeZone), since), await this.repo.agents(em, branchId)];
      return { branch, now, seq, calls, agents };
    });
  }

  async metrics(p: Principal, branchId: string, queue: string | null): Promise<HotlineMetrics> {
    const r = await this.read(p, branchId);
    return metricsDto({ ...r, queue });
  }

  async board(p: Principal, branchId: string): Promise<HotlineBoard> {
    const { branch, now, seq, calls, agents } = await this.read(p, branchId);
    const base = { seq, now, branch, calls, agents };
    const today = localDay(now, branch.timeZone);
    const mine = calls.filter((c) => c.localDay === today || c.status === 'waiting');
    const dto = (b: BranchHotline) => (c: (typeof calls)[number]) => callDto(c, now, b.settings.shortAbandonSeconds);
    const waitingCalls = mine
      .filter((c) => c.status === 'waiting')
      .map(dto(branch))
      .sort((a, b) => (b.waitSeconds ?? 0) - (a.waitSeconds ?? 0));
    const activeCalls = mine.filter((c) => c.status === 'answered' && !c.endedAt).map(dto(branch));
    // The board shows callers' full numbers to the agent: a view of customer data whenever it shows at least one.
    const numbers = [...new Set([...waitingCalls, ...activeCalls].flatMap((c) => (c.callerNumber ? [c.callerNumber] : [])))];
    if (numbers.length) {
      const phone = numbers.length === 1 ? numbers[0] : null;
      await this.audit.record(p, {
        action: 'view',
        branchIds: [branchId],
        customerId: await this.audit.customerIdOf(phone),
        phone,
        route: 'GET /api/branches/:branchId/hotline/board',
      });
    }
    return {
      metrics: metricsDto({ ...base, queue: null }),
      queues: queuesOf(calls, agents, now, branch.timeZone).map((queue) => metricsDto({ ...base, queue })),
      waitingCalls,
      activeCalls,
      agents: agents.map((a) => ({ agentId: a.agentId, queue: a.queue, state: a.state, since: a.at.toISOString() })),
    };
  }
}
