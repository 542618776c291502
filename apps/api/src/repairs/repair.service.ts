import { ForbiddenException, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import type {
  CallbackDto,
  PickupRequest,
  Principal,
  QuoteDecisionRequest,
  RepairDto,
  RepairEventData,
  RepairHistoryEntryDto,
  RepairStatus,
  RepairTransitionRequest,
  SurveyRequest,
  UpdateRepairRequest,
} from '@frontdesk/contracts';
import { followUpDueAt, isChargeable, isFinalRepairStatus, MAX_PICKUP_ATTEMPTS, repairTransition } from '@frontdesk/domain';
import { CallbackRepository, HotlineRepository, RepairRepository, type RepairEntity, type RepairHistoryEntity } from '@frontdesk/db';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { CallbackDueQueue } from '../callbacks/callback-due.queue';
import { badRequest, illegalTransition, notFound, ruleConflict } from '../common/http-errors';
import { idempotencyStorage } from '../common/request-context';
import { BranchTransactions, type BranchTransaction } from '../live/branch-tx.service';
import { RepairNotices } from '../notifications/repair-notices.service';
import { repairDto, repairSummary } from './repair-dto';

type HistoryKind = RepairHistoryEntryDto['kind'];

/** One change to a repair under the branch lock: what to do, and what to write down. */
interface Change {
  history: { kind: HistoryKind; from?: string | null; to?: string | null; note?: string | null }[];
  event: 'repair.status_changed' | 'repair.updated';
  from?: RepairStatus;
  note?: string | null;
}

/** Everything after intake: state changes, quote answer, notes and assignment, pickup, unlock, survey. */
@Injectable()
export class RepairService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: RepairRepository,
    private readonly txs: BranchTransactions,
    private readonly notices: RepairNotices,
    private readonly callbacks: CallbackRepository,
    private readonly branches: HotlineRepository,
    private readonly dueQueue: CallbackDueQueue,
  ) {}

  async transition(p: Principal, id: string, req: RepairTransitionRequest): Promise<RepairDto> {
    return this.change(p, id, async (tx, r) => {
      if (req.to === 'picked_up') {
        throw ruleConflict(`${r.orderNo}: hand the device over with POST /api/repairs/${r.id}/pickup and the pickup code`, r.status, { allowed: [] });
      }
      const gate = { warranty: r.warrantyStatus, quoteDecision: req.to === 'awaiting_approval' ? null : r.quoteDecision };
      const result = repairTransition(r.status, req.to, gate);
      if (!result.ok) throw illegalTransition(`${r.orderNo}: ${result.message}`, result.currentState, result.allowed);
      const history: Change['history'] = [];
      if (req.to === 'awaiting_approval') {
        if (!req.quote) throw badRequest('quote', 'a quote {amount, currency} is required to ask the customer for approval');
        r.quoteAmount = req.quote.amount;
        r.quoteCurrency = req.quote.currency;
        r.quoteDecision = 'pending';
        r.quotedAt = tx.now;
        r.quoteDecidedAt = null;
        history.push({ kind: 'quote', to: `${req.quote.amount} ${req.quote.currency}`, note: 'pending' });
      } else if (req.quote) {
        throw badRequest('quote', 'a quote is given when moving to awaiting_approval');
      }
      if (req.technicianId !== undefined) history.push(...(await this.assign(tx, r, req.technicianId)));
      if (req.promisedAt) history.push(this.promise(r, req.promisedAt, req.reason!));
      const from = r.status;
      this.setStatus(r, req.to, tx.now);
      history.unshift({ kind: 'status', from, to: req.to, note: req.note ?? null });
      return { history, event: 'repair.status_changed', from, note: req.note ?? null };
    });
  }

  /** The customer's answer to the quote: approved work goes on, refused work comes back unrepaired. */
  async quoteDecision(p: Principal, id: string, req: QuoteDecisionRequest): Promise<RepairDto> {
    return this.change(p, id, (tx, r) => {
      if (r.status !== 'awaiting_approval' || r.quoteDecision !== 'pending') {
        throw ruleConflict(`${r.orderNo}: there is no quote waiting for the customer's answer (status ${r.status})`, r.status, {
          allowed: r.status === 'awaiting_approval' ? ['approved', 'refused'] : [],
        });
      }
      const to: RepairStatus = req.decision === 'approved' ? (req.next ?? 'repairing') : 'returned_unrepaired';
      r.quoteDecision = req.decision;
      r.quoteDecidedAt = tx.now;
      const result = repairTransition(r.status, to, { warranty: r.warrantyStatus, quoteDecision: r.quoteDecision });
      if (!result.ok) throw illegalTransition(`${r.orderNo}: ${result.message}`, result.currentState, result.allowed);
      const from = r.status;
      this.setStatus(r, to, tx.now);
      return Promise.resolve({
        history: [
          { kind: 'quote', from: 'pending', to: req.decision, note: req.note ?? null },
          { kind: 'status', from, to, note: req.note ?? null },
        ],
        event: 'repair.status_changed',
        from,
        note: req.note ?? null,
      });
    });
  }

  async update(p: Principal, id: string, req: UpdateRepairRequest): Promise<RepairDto> {
    return this.change(p, id, async (tx, r) => {
      if (isFinalRepairStatus(r.status)) throw ruleConflict(`${r.orderNo} is ${r.status}: it can no longer change`, r.status, { allowed: [] });
      const history: Change['history'] = [];
      if (req.technicianId !== undefined) history.push(...(await this.assign(tx, r, req.technicianId)));
      if (req.diagnosisNote !== undefined && req.diagnosisNote !== (r.diagnosisNote ?? '')) {
        r.diagnosisNote = req.diagnosisNote || null;
        history.push({ kind: 'note', from: 'diagnosis', note: req.diagnosisNote });
      }
      if (req.partsNote !== undefined && req.partsNote !== (r.partsNote ?? '')) {
        r.partsNote = req.partsNote || null;
        history.push({ kind: 'note', from: 'parts', note: req.partsNote });
      }
      if (req.promisedAt) history.push(this.promise(r, req.promisedAt, req.reason!));
      if (req.warrantyOverride) {
        history.push({ kind: 'warranty', from: r.warrantyStatus, to: req.warrantyOverride.status, note: req.warrantyOverride.note });
        r.warrantyStatus = req.warrantyOverride.status;
        r.warrantyOverrideNote = req.warrantyOverride.note;
      }
      return { history, event: 'repair.updated' };
    });
  }

  /**
   * Hands the device over against the pickup code. A wrong code is recorded (and the fifth locks the order) in its
   * own commit before the 403, so retrying cannot undo the count.
   */
  async pickup(p: Principal, id: string, req: PickupRequest): Promise<RepairDto> {
    await this.branchOf(p, id);
    const current = await this.repo.find(this.ds.manager, id);
    if (!current) throw notFound('repair', id);
    this.assertPickupOpen(current);
    const check = await this.checkPickupCode(p, current, req.pickupCode);
    if (check === 'locked') throw this.lockedError(current.orderNo);
    if (check === 'wrong') {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `${current.orderNo}: wrong pickup code`, details: [{ path: 'pickupCode', message: 'wrong pickup code' }] });
    }
    const followUps: CallbackDto[] = [];
    const picked = await this.change(p, id, async (tx, r) => {
      this.assertPickupOpen(r);
      const needsPayment = r.quoteDecision === 'approved' && r.quoteAmount !== null && r.quoteAmount > 0 && isChargeable(r.warrantyStatus);
      if (needsPayment && !req.payment) throw badRequest('payment', `payment of the approved quote (${r.quoteAmount} ${r.quoteCurrency}) is required`);
      const history: Change['history'] = [];
      if (req.payment) {
        r.paymentAmount = req.payment.amount;
        r.paymentCurrency = req.payment.currency;
        r.paymentMethod = req.payment.method;
        r.paidAt = tx.now;
      }
      const from = r.status;
      this.setStatus(r, 'picked_up', tx.now);
      history.push({ kind: 'status', from, to: 'picked_up', note: req.payment ? `paid ${req.payment.amount} ${req.payment.currency} (${req.payment.method})${req.note ? `; ${req.note}` : ''}` : (req.note ?? null) });
      const followUp = await this.scheduleFollowUp(tx, r);
      if (followUp) followUps.push(followUp);
      return { history, event: 'repair.status_changed', from, note: req.note ?? null };
    });
    await this.dueQueue.schedule(followUps);
    return picked;
  }

  /**
   * The one check of a pickup code, for the counter's pickup and the kiosk's fast lane: a wrong code is recorded (the
   * fifth locks the order) in its own commit, outside any Idempotency-Key replay, so retrying cannot undo the count.
   * A locked order is not checked at all. The caller decides what the answer reveals.
   */
  async checkPickupCode(p: Principal, r: RepairEntity, code: string): Promise<'ok' | 'wrong' | 'locked'> {
    if (r.pickupLockedAt) return 'locked';
    const hash = await this.repo.pickupCodeHash(this.ds.manager, r.id);
    const codeOk = hash !== null && (await argon2.verify(hash, code.trim()));
    if (codeOk) return 'ok';
    // Not an idempotent result: the failure must be counted, and a replay must not turn it into a success.
    const locked = await idempotencyStorage.exit(() => this.recordWrongCode(p, r.branchId, r.id));
    return locked ? 'locked' : 'wrong';
  }

  lockedError(orderNo: string): HttpException {
    return new HttpException(
      { statusCode: 423, error: 'Locked', message: `${orderNo}: pickup is locked after ${MAX_PICKUP_ATTEMPTS} wrong codes; a manager must unlock it`, details: [{ path: 'pickupCode', message: 'pickup locked' }] },
      HttpStatus.LOCKED,
    );
  }

  /**
   * The follow-up callback (回访) of a picked-up repair, in the pickup's own commit: due the branch's `followUpDays`
   * later at its callback hour, local time, on a working day. The unique follow-up index makes a second one impossible.
   */
  private async scheduleFollowUp(tx: BranchTransaction, r: RepairEntity): Promise<CallbackDto | null> {
    const branch = await this.branches.branch(tx.em, r.branchId);
    if (!branch || branch.settings.followUpDays <= 0) return null;
    const callback = await this.callbacks.create(
      tx.em,
      {
        branchId: r.branchId,
        phone: r.customerPhone,
        name: r.customerName,
        dueAt: followUpDueAt(tx.now, branch.timeZone, branch.settings.followUpDays, branch.settings.callbackHour),
        reason: 'follow_up',
        repairId: r.id,
        note: `${r.orderNo}: ${r.brand} ${r.model}`,
        createdBy: 'system:pickup',
      },
      tx.now,
    );
    if (callback) tx.record('callback.scheduled', { callback });
    return callback;
  }

  async unlockPickup(p: Principal, id: string): Promise<RepairDto> {
    return this.change(p, id, (_tx, r) => {
      if (!r.pickupLockedAt && r.pickupFailedAttempts === 0) return Promise.resolve({ history: [], event: 'repair.updated' });
      const was = r.pickupFailedAttempts;
      r.pickupLockedAt = null;
      r.pickupFailedAttempts = 0;
      return Promise.resolve({ history: [{ kind: 'pickup_unlocked', from: String(was), to: '0', note: null }], event: 'repair.updated' });
    });
  }

  async survey(p: Principal, id: string, req: SurveyRequest): Promise<RepairDto> {
    return this.change(p, id, (tx, r) => {
      if (r.status !== 'picked_up' && r.status !== 'returned_unrepaired') {
        throw ruleConflict(`${r.orderNo}: the satisfaction card is filled in at pickup (status ${r.status})`, r.status, { allowed: [] });
      }
      if (r.surveyScore !== null) throw ruleConflict(`${r.orderNo}: the satisfaction card was already recorded`, r.status, { allowed: [] });
      r.surveyScore = req.score;
      r.surveyComment = req.comment ?? null;
      r.surveyAt = tx.now;
      return Promise.resolve({ history: [{ kind: 'survey', to: String(req.score), note: req.comment ?? null }], event: 'repair.updated' });
    });
  }

  // ---------------------------------------------------------------------------------------------

  private async branchOf(p: Principal, id: string): Promise<string> {
    const branchId = await this.repo.branchOf(this.ds.manager, id);
    if (!branchId) throw notFound('repair', id);
    assertBranchAccess(p, branchId);
    return branchId;
  }

  /** Loads the repair under the branch lock, applies `fn`, writes history and the event, answers the whole repair. */
  private async change(p: Principal, id: string, fn: (tx: BranchTransaction, r: RepairEntity) => Promise<Change>): Promise<RepairDto> {
    const branchId = await this.branchOf(p, id);
    const actor = principalLabel(p);
    return this.txs.run(branchId, actor, async (tx) => {
      const r = await this.repo.find(tx.em, id, true);
      if (!r) throw notFound('repair', id);
      const before = { status: r.status, promisedAt: r.promisedAt.getTime() };
      const change = await fn(tx, r);
      if (change.history.length) {
        r.updatedAt = tx.now;
        await this.repo.save(tx.em, r);
        await this.repo.appendHistory(tx.em, change.history.map((h) => this.historyRow(r.id, tx.now, actor, h)));
        await this.notices.afterChange(tx, r, before);
      }
      const links = await this.repo.links(tx.em, [r]);
      if (change.history.length) {
        const data: RepairEventData = { repair: repairSummary(r, links, tx.now) };
        if (change.event === 'repair.status_changed') Object.assign(data, { from: change.from, note: change.note ?? null });
        else data.change = change.history[0].kind;
        tx.record(change.event, data);
      }
      return repairDto(r, links, await this.repo.history(tx.em, r.id), tx.now);
    });
  }

  private historyRow(repairId: string, at: Date, actor: string, h: Change['history'][number]): Partial<RepairHistoryEntity> {
    return { repairId, at, actor, kind: h.kind, fromValue: h.from ?? null, toValue: h.to ?? null, note: h.note ?? null };
  }

  private setStatus(r: RepairEntity, to: RepairStatus, now: Date) {
    r.status = to;
    if (to === 'ready_for_pickup') r.readyAt = now;
    if (isFinalRepairStatus(to)) r.closedAt = now;
  }

  private async assign(tx: BranchTransaction, r: RepairEntity, technicianId: string | null): Promise<Change['history']> {
    if (technicianId === r.technicianId) return [];
    let name: string | null = null;
    if (technicianId) {
      const user = await this.repo.assignableUser(tx.em, technicianId, r.branchId);
      if (!user) throw badRequest('technicianId', 'is not a technician of this branch');
      name = user.display_name;
    }
    const from = r.technicianId;
    r.technicianId = technicianId;
    return [{ kind: 'assigned', from, to: technicianId, note: name }];
  }

  private promise(r: RepairEntity, promisedAt: string, reason: string): Change['history'][number] {
    const from = r.promisedAt.toISOString();
    r.promisedAt = new Date(promisedAt);
    return { kind: 'promised_at', from, to: r.promisedAt.toISOString(), note: reason };
  }

  private assertPickupOpen(r: RepairEntity) {
    if (r.pickupLockedAt) throw this.lockedError(r.orderNo);
    if (r.status !== 'ready_for_pickup') {
      throw illegalTransition(`${r.orderNo} is ${r.status}: only a repair ready for pickup can be picked up`, r.status, []);
    }
  }

  /** Counts a wrong code; the fifth locks the order. Returns whether the order is now locked. */
  private async recordWrongCode(p: Principal, branchId: string, id: string): Promise<boolean> {
    const actor = principalLabel(p);
    return this.txs.run(branchId, actor, async (tx) => {
      const r = await this.repo.find(tx.em, id, true);
      if (!r || r.pickupLockedAt) return true;
      r.pickupFailedAttempts += 1;
      const locks = r.pickupFailedAttempts >= MAX_PICKUP_ATTEMPTS;
      if (locks) r.pickupLockedAt = tx.now;
      r.updatedAt = tx.now;
      await this.repo.save(tx.em, r);
      const kind: HistoryKind = locks ? 'pickup_locked' : 'pickup_failed';
      await this.repo.appendHistory(tx.em, [this.historyRow(r.id, tx.now, actor, { kind, to: String(r.pickupFailedAttempts) })]);
      const links = await this.repo.links(tx.em, [r]);
      tx.record('repair.updated', { repair: repairSummary(r, links, tx.now), change: kind });
      return locks;
    });
  }
}
