import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  CALLBACK_MAX_ATTEMPTS,
  type CallbackDto,
  type CallbackStatus,
  type CompleteCallbackRequest,
  type CreateCallbackRequest,
  type Principal,
} from '@frontdesk/contracts';
import { CallbackRepository, HotlineRepository, NOW_READ, raiseAlert } from '@frontdesk/db';
import { maskPhone, nextWorkingDayAt } from '@frontdesk/domain';
import { CustomerAuditService } from '../audit/customer-audit.service';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { illegalTransition, notFound } from '../common/http-errors';
import { BranchTransactions } from '../live/branch-tx.service';
import { CallbackDueQueue } from './callback-due.queue';

/** Callbacks (CONTRACT.md): promised, follow-up, complaint, and those the hotline makes for abandoned calls. */
@Injectable()
export class CallbackService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: CallbackRepository,
    private readonly branches: HotlineRepository,
    private readonly txs: BranchTransactions,
    private readonly dueQueue: CallbackDueQueue,
    private readonly audit: CustomerAuditService,
  ) {}

  /** A callback holds a customer's phone and name: scheduling one or recording its outcome changes customer data. */
  private async auditChange(p: Principal, callback: CallbackDto, route: string, em: EntityManager): Promise<void> {
    const customerId = await this.audit.customerIdOf(callback.phone, em);
    await this.audit.record(p, { action: 'change', branchIds: [callback.branchId], customerId, phone: callback.phone, route }, em);
  }

  async create(p: Principal, req: CreateCallbackRequest): Promise<CallbackDto> {
    assertBranchAccess(p, req.branchId);
    const created = await this.txs.run(req.branchId, principalLabel(p), async (tx) => {
      const callback = await this.repo.create(
        tx.em,
        {
          branchId: req.branchId,
          phone: req.phone,
          name: req.name,
          dueAt: new Date(req.dueAt),
          reason: req.reason,
          repairId: req.repairId,
          callId: req.callId,
          note: req.note,
          createdBy: principalLabel(p),
        },
        tx.now,
      );
      // Only abandoned-call callbacks can collide, and this endpoint cannot make those.
      if (!callback) throw new Error('callback was not created');
      tx.record(callback.status === 'scheduled' ? 'callback.scheduled' : 'callback.due', { callback });
      await this.auditChange(p, callback, 'POST /api/callbacks', tx.em);
      return callback;
      // Only the transaction: callbacks scheduled at once on a busy branch commit together (the due job is queued after).
    }, NOW_READ);
    await this.dueQueue.schedule([created]);
    return created;
  }

  async list(p: Principal, branchId: string, status: CallbackStatus | undefined): Promise<CallbackDto[]> {
    assertBranchAccess(p, branchId);
    const list = await this.repo.list(this.ds.manager, branchId, status, new Date());
    // Every callback shows a customer's full number (and often a name). An empty list shows nobody and is not logged.
    if (list.length) {
      const phones = [...new Set(list.map((c) => c.phone))];
      const phone = phones.length === 1 ? phones[0] : null;
      await this.audit.record(p, {
        action: 'view',
        branchIds: [branchId],
        customerId: await this.audit.customerIdOf(phone),
        phone,
        route: 'GET /api/callbacks',
      });
    }
    return list;
  }

  /**
   * Records the outcome; an unreachable caller is tried again the next working day at the branch's callback hour, up
   * to 3 tries; an unsatisfied customer raises a manager alert in the same commit.
   */
  async complete(p: Principal, id: string, req: CompleteCallbackRequest): Promise<CallbackDto> {
    const found = await this.repo.find(this.ds.manager, id, new Date());
    if (!found) throw notFound('callback', id);
    assertBranchAccess(p, found.branchId);
    const branch = await this.branches.branch(this.ds.manager, found.branchId);
    const done = await this.txs.run(found.branchId, principalLabel(p), async (tx) => {
      const current = await this.repo.find(tx.em, id, tx.now, true);
      if (!current) throw notFound('callback', id);
      if (current.status === 'done') throw illegalTransition(`callback is already done (${current.outcome})`, 'done', []);
      if (req.outcome === 'unreachable' && current.attempts + 1 < CALLBACK_MAX_ATTEMPTS) {
        const dueAt = nextWorkingDayAt(tx.now, branch?.timeZone ?? 'UTC', branch?.settings.callbackHour);
        const callback = await this.repo.retry(tx.em, id, dueAt, req.note ?? null, tx.now);
        tx.record('callback.scheduled', { callback });
        await this.auditChange(p, callback, 'POST /api/callbacks/:id/complete', tx.em);
        return callback;
      }
      const callback = await this.repo.complete(tx.em, id, req.outcome, req.note ?? null, tx.now);
      tx.record('callback.completed', { callback });
      await this.auditChange(p, callback, 'POST /api/callbacks/:id/complete', tx.em);
      if (req.outcome === 'reached_unsatisfied') {
        const who = callback.name ?? maskPhone(callback.phone) ?? 'a customer';
        await raiseAlert(tx, {
          kind: 'callback.unsatisfied',
          severity: 'warning',
          message: `${who} is not satisfied (${callback.reason} callback)${callback.note ? `: ${callback.note}` : ''}`,
          data: {
            callbackId: callback.id,
            repairId: callback.repairId,
            reason: callback.reason,
            name: callback.name,
            phoneMasked: maskPhone(callback.phone),
            note: callback.note,
            by: principalLabel(p),
          },
          dedupeKey: `callback.unsatisfied:${callback.id}`,
        });
      }
      return callback;
    });
    await this.dueQueue.schedule([done]);
    return done;
  }
}
