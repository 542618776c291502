import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CounterDto, Principal } from '@frontdesk/contracts';
import { counterTransition, holdsCounter, type CounterAction } from '@frontdesk/domain';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { illegalTransition, notFound, ruleConflict } from '../common/http-errors';
import { BranchTransactions } from '../live/branch-tx.service';
import { BranchQueue, QueueRepository } from '@frontdesk/db';

@Injectable()
export class CounterService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: QueueRepository,
    private readonly txs: BranchTransactions,
  ) {}

  async list(p: Principal, branchId: string): Promise<CounterDto[]> {
    assertBranchAccess(p, branchId);
    const q = await BranchQueue.load(this.repo, this.ds.manager, branchId, new Date());
    return q.counters.map((c) => q.counterDto(c));
  }

  /** Open, pause (with a reason) or close a counter; the estimates of its services change with it. */
  async change(p: Principal, counterId: string, action: CounterAction, reason?: string): Promise<CounterDto> {
    const found = await this.repo.counter(this.ds.manager, counterId);
    if (!found) throw notFound('counter', counterId);
    assertBranchAccess(p, found.branchId);
    return this.txs.run(found.branchId, principalLabel(p), async (tx) => {
      const q = await BranchQueue.inTx(this.repo, tx);
      const c = q.counter(counterId);
      const r = counterTransition(c.status, action);
      if (!r.ok) throw illegalTransition(`${c.name}: ${r.message}`, r.currentState, r.allowed);
      const current = c.currentTicketId ? q.ticket(c.currentTicketId) : undefined;
      if (action === 'close' && current && holdsCounter(current.status)) {
        throw ruleConflict(`${c.name} still has ${current.number} (${current.status}); finish or transfer it before closing`, c.status);
      }
      const newReason = action === 'pause' ? (reason ?? null) : null;
      if (!r.changed && newReason === c.pauseReason) return q.counterDto(c);
      c.status = r.to;
      c.pauseReason = newReason;
      if (p.kind === 'user' && action === 'open') c.userId = p.userId;
      if (action === 'close') c.userId = null;
      await this.repo.saveCounter(tx, c);
      const dto = q.counterDto(c);
      tx.record('counter.status_changed', { counter: dto, queue: q.stats() });
      return dto;
    }, BranchQueue.lockedRead(found.branchId));
  }
}
