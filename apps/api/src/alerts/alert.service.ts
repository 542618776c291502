import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertDto, AlertsQuery, Principal } from '@frontdesk/contracts';
import { AlertRepository } from '@frontdesk/db';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { notFound } from '../common/http-errors';
import { BranchTransactions } from '../live/branch-tx.service';

/** The alert feed: alerts are raised by the other capabilities (raiseAlert in their transactions); here they are read and acknowledged. */
@Injectable()
export class AlertService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: AlertRepository,
    private readonly txs: BranchTransactions,
  ) {}

  list(p: Principal, query: AlertsQuery): Promise<AlertDto[]> {
    assertBranchAccess(p, query.branchId);
    return this.repo.list(this.ds.manager, query.branchId, query.state, query.limit);
  }

  async acknowledge(p: Principal, id: string): Promise<AlertDto> {
    const found = await this.repo.find(this.ds.manager, id);
    if (!found) throw notFound('alert', id);
    assertBranchAccess(p, found.branchId);
    if (found.acknowledgedAt) return found;
    return this.txs.run(found.branchId, principalLabel(p), async (tx) => {
      const alert = await this.repo.acknowledge(tx.em, id, principalLabel(p), tx.now);
      if (!alert) throw notFound('alert', id);
      tx.record('alert.acknowledged', { alert });
      return alert;
    });
  }
}
