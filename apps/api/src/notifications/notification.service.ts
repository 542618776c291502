import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { NotificationDto, NotificationQuery, Principal } from '@frontdesk/contracts';
import { NotificationRepository } from '@frontdesk/db';
import { assertBranchAccess } from '../auth/branch-access';
import { notFound } from '../common/http-errors';

@Injectable()
export class NotificationService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: NotificationRepository,
  ) {}

  /** The notices of one repair or ticket, oldest due first; 404 for an unknown one, 403 for another branch's. */
  async list(p: Principal, q: NotificationQuery): Promise<NotificationDto[]> {
    if (q.repairId) await this.assertOwner(p, 'repairs', 'repair', q.repairId);
    if (q.ticketId) await this.assertOwner(p, 'tickets', 'ticket', q.ticketId);
    const rows = await this.repo.list(this.ds.manager, q, new Date());
    return rows.map((r) => r.dto);
  }

  private async assertOwner(p: Principal, table: 'repairs' | 'tickets', what: string, id: string): Promise<void> {
    const rows: { branch_id: string }[] = await this.ds.query(`SELECT branch_id FROM ${table} WHERE id = $1`, [id]);
    if (!rows[0]) throw notFound(what, id);
    assertBranchAccess(p, rows[0].branch_id);
  }
}
