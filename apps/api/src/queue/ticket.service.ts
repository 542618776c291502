import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallTicketResponse, CreateTicketRequest, IssuedTicketDto, Language, Principal, TicketDto, TrackDto } from '@frontdesk/contracts';
import { canNoShow, canRecall, holdsCounter, estimateErrorSeconds, formatTicketNumber, normalizePhone, pickNext, ticketTransition, type TicketAction } from '@frontdesk/domain';
import { assertBranchAccess, principalLabel } from '../auth/branch-access';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest, illegalTransition, notFound, ruleConflict } from '../common/http-errors';
import { type ServiceEntity, TicketEntity, BranchQueue, QueueRepository } from '@frontdesk/db';
import { BranchTransactions, type BranchTransaction } from '../live/branch-tx.service';
import { LobbyNotices } from '../notifications/lobby-notices.service';

/** The service a kiosk fast-lane pickup ticket is issued for (DOMAIN.md: B = pickup). */
export const PICKUP_SERVICE_CODE = 'B';

/**
 * The branch of a counter or ticket, which never changes (neither is ever moved to another branch or deleted):
 * remembered so that a change does not look it up again before taking the branch lock. Bounded; emptied when full.
 */
const branchOf = new Map<string, string>();
const BRANCH_OF_MAX = 100_000;
function remember(key: string, branchId: string): string {
  if (branchOf.size >= BRANCH_OF_MAX) branchOf.clear();
  branchOf.set(key, branchId);
  return branchId;
}

function assertTransition(t: TicketEntity, action: TicketAction) {
  const r = ticketTransition(t.status, action);
  if (!r.ok) throw illegalTransition(`${t.number}: ${r.message}`, r.currentState, r.allowed);
  return r.to;
}

@Injectable()
export class TicketService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: QueueRepository,
    private readonly txs: BranchTransactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly lobbyNotices: LobbyNotices,
  ) {}

  trackUrl(ticketId: string): string {
    return `${this.config.PUBLIC_URL}/t/${ticketId}`;
  }

  async issue(p: Principal, branchId: string, req: CreateTicketRequest): Promise<IssuedTicketDto> {
    assertBranchAccess(p, branchId);
    return this.txs.run(branchId, principalLabel(p), async (tx) => {
      const q = await BranchQueue.inTx(this.repo, tx);
      const svc = q.service(req.serviceId);
      if (!svc) throw badRequest('serviceId', 'is not a service of this branch');
      return this.issueIn(tx, q, p, svc, { priority: req.priority ?? 'normal', phone: req.phone ? normalizePhone(req.phone) : null, language: req.language ?? null, repairId: null });
    }, BranchQueue.lockedRead(branchId));
  }

  /**
   * The kiosk fast lane: a ticket of the branch's pickup service (code B) linked to a repair whose pickup code was
   * checked. `recheck` runs under the branch lock (the repair may have changed since the code was checked). While the
   * order's ticket is still active, a second scan answers that same ticket.
   */
  async issueForRepair(
    p: Principal,
    branchId: string,
    repair: { id: string; orderNo: string },
    language: Language | null,
    recheck: (tx: BranchTransaction) => Promise<void>,
  ): Promise<IssuedTicketDto> {
    assertBranchAccess(p, branchId);
    return this.txs.run(branchId, principalLabel(p), async (tx) => {
      await recheck(tx);
      const q = await BranchQueue.load(this.repo, tx.em, branchId, tx.now);
      q.repairOrderNos.set(repair.id, repair.orderNo);
      const existing = await this.repo.activeTicketOfRepair(tx.em, branchId, repair.id, q.day);
      if (existing) return this.issuedDto(q, existing);
      const svc = q.services.find((x) => x.code === PICKUP_SERVICE_CODE);
      if (!svc) {
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `this branch has no pickup service (code ${PICKUP_SERVICE_CODE}); please ask at the counter` });
      }
      return this.issueIn(tx, q, p, svc, { priority: 'normal', phone: null, language, repairId: repair.id });
    });
  }

  private async issueIn(
    tx: BranchTransaction,
    q: BranchQueue,
    p: Principal,
    svc: ServiceEntity,
    fields: { priority: TicketEntity['priority']; phone: string | null; language: Language | null; repairId: string | null },
  ): Promise<IssuedTicketDto> {
    if (!svc.open) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `service ${svc.code} (${svc.nameEn}) is closed now` });
    }
    const seq = q.takeDaySeq(svc.id);
    const t: TicketEntity = Object.assign(new TicketEntity(), {
      id: randomUUID(),
      branchId: q.branch.id,
      serviceId: svc.id,
      localDay: q.day,
      daySeq: seq,
      number: formatTicketNumber(svc.code, seq),
      status: 'waiting',
      recallCount: 0,
      createdAt: tx.now,
      issuedBy: principalLabel(p),
      counterId: null,
      callReason: null,
      firstCalledAt: null,
      calledAt: null,
      servingAt: null,
      finishedAt: null,
      closedAt: null,
      estimatedWaitSeconds: null,
      waitErrorSeconds: null,
      ...fields,
    } satisfies TicketEntity);
    q.put(t);
    remember(`ticket:${t.id}`, q.branch.id);
    const position = q.position(t.id) ?? 1;
    t.estimatedWaitSeconds = q.estimateFor(svc.id, position);
    this.repo.insertTicket(tx, t);
    tx.record('ticket.created', { ticket: q.ticketDto(t), queue: q.stats() });
    return this.issuedDto(q, t);
  }

  private issuedDto(q: BranchQueue, t: TicketEntity): IssuedTicketDto {
    const svc = q.service(t.serviceId);
    const position = t.status === 'waiting' ? (q.position(t.id) ?? 1) : 0;
    return {
      id: t.id,
      number: t.number,
      serviceId: t.serviceId,
      serviceCode: svc?.code ?? '',
      serviceName: { zh: svc?.nameZh ?? '', en: svc?.nameEn ?? '' },
      status: t.status,
      priority: t.priority,
      position,
      peopleAhead: Math.max(0, position - 1),
      // The estimate of the queue now (equal to the stored one for a new ticket).
      estimatedWaitSeconds: t.status === 'waiting' ? q.estimateFor(t.serviceId, position) : 0,
      trackUrl: this.trackUrl(t.id),
      createdAt: t.createdAt.toISOString(),
      branchName: { zh: q.branch.nameZh, en: q.branch.nameEn },
      ...(t.repairId ? { repairOrderNo: q.repairOrderNos.get(t.repairId) ?? null } : {}),
    };
  }

  async get(p: Principal, ticketId: string): Promise<TicketDto> {
    const t = await this.repo.ticket(this.ds.manager, ticketId);
    if (!t) throw notFound('ticket', ticketId);
    assertBranchAccess(p, t.branchId);
    const q = await BranchQueue.load(this.repo, this.ds.manager, t.branchId, new Date());
    return q.ticketDto(t);
  }

  async listActive(p: Principal, branchId: string): Promise<TicketDto[]> {
    assertBranchAccess(p, branchId);
    const q = await BranchQueue.load(this.repo, this.ds.manager, branchId, new Date());
    return q.tickets.map((t) => q.ticketDto(t));
  }

  /** Public: what the customer's own phone shows. The id is the secret; nothing personal is returned. */
  async track(ticketId: string): Promise<TrackDto> {
    const t = await this.repo.ticket(this.ds.manager, ticketId);
    if (!t) throw notFound('ticket', ticketId);
    const q = await BranchQueue.load(this.repo, this.ds.manager, t.branchId, new Date());
    const svc = q.service(t.serviceId);
    const position = t.status === 'waiting' ? q.position(t.id) : null;
    const counter = t.counterId && holdsCounter(t.status) ? q.counters.find((c) => c.id === t.counterId) : undefined;
    return {
      number: t.number,
      branchId: t.branchId,
      branchName: { zh: q.branch.nameZh, en: q.branch.nameEn },
      timeZone: q.branch.timeZone,
      defaultLanguage: q.branch.defaultLanguage,
      serviceId: t.serviceId,
      serviceName: { zh: svc?.nameZh ?? '', en: svc?.nameEn ?? '' },
      status: t.status,
      position,
      peopleAhead: position === null ? null : position - 1,
      estimatedWaitSeconds: position === null ? null : q.estimateFor(t.serviceId, position),
      counter: counter?.name ?? null,
      calledAt: t.calledAt?.toISOString() ?? null,
      createdAt: t.createdAt.toISOString(),
    };
  }

  // ---- counter-driven calls -------------------------------------------------------------------------

  async callNext(p: Principal, counterId: string): Promise<CallTicketResponse | null> {
    const branchId = await this.branchOfCounter(p, counterId);
    return this.txs.run(branchId, principalLabel(p), async (tx) => {
      const q = await BranchQueue.inTx(this.repo, tx);
      const counter = this.readyCounter(q, counterId, p, tx);
      const next = pickNext(q.waiting(), counter.serviceIds, tx.now, q.settings);
      if (!next) {
        await this.repo.saveCounter(tx, counter);
        return null;
      }
      return { ticket: await this.markCalled(tx, q, next, counter.id, null) };
    }, BranchQueue.lockedRead(branchId));
  }

  async callTicket(p: Principal, counterId: string, ticketId: string, reason: string): Promise<CallTicketResponse> {
    const branchId = await this.branchOfCounter(p, counterId);
    return this.txs.run(branchId, principalLabel(p), async (tx) => {
      const q = await BranchQueue.inTx(this.repo, tx);
      const t = await this.activeTicketIn(q, tx, ticketId);
      assertTransition(t, 'call');
      const counter = this.readyCounter(q, counterId, p, tx);
      return { ticket: await this.markCalled(tx, q, t, counter.id, reason) };
    }, BranchQueue.lockedRead(branchId));
  }

  async recall(p: Principal, ticketId: string): Promise<TicketDto> {
    return this.change(p, ticketId, 'recall', async (tx, q, t) => {
      const rule = canRecall({ recallCount: t.recallCount, lastCalledAt: t.calledAt ?? t.createdAt }, tx.now, q.settings);
      if (!rule.ok) throw ruleConflict(`${t.number}: ${rule.message}`, t.status, { retryAfterSeconds: rule.retryAfterSeconds });
      t.recallCount += 1;
      t.calledAt = tx.now;
      return 'ticket.recalled';
    });
  }

  async serve(p: Principal, ticketId: string): Promise<TicketDto> {
    return this.change(p, ticketId, 'serve', async (tx, _q, t) => {
      t.status = 'serving';
      t.servingAt = tx.now;
      return 'ticket.serving';
    });
  }

  async finish(p: Principal, ticketId: string): Promise<TicketDto> {
    return this.change(p, ticketId, 'finish', async (tx, q, t) => {
      t.status = 'done';
      t.finishedAt = tx.now;
      t.closedAt = tx.now;
      await this.releaseCounter(tx, q, t);
      // The finished service time feeds the next estimates at once.
      if (t.servingAt) {
        const list = q.recentDurations.get(t.serviceId) ?? [];
        list.unshift((tx.now.getTime() - t.servingAt.getTime()) / 1000);
        q.recentDurations.set(t.serviceId, list.slice(0, q.settings.serviceTimeSampleSize));
      }
      return 'ticket.finished';
    });
  }

  async noShow(p: Principal, ticketId: string): Promise<TicketDto> {
    return this.change(p, ticketId, 'no_show', async (tx, q, t) => {
      const rule = canNoShow({ recallCount: t.recallCount, lastCalledAt: t.calledAt ?? t.createdAt }, tx.now, q.settings);
      if (!rule.ok) throw ruleConflict(`${t.number}: ${rule.message}`, t.status, { retryAfterSeconds: rule.retryAfterSeconds });
      t.status = 'no_show';
      t.closedAt = tx.now;
      await this.releaseCounter(tx, q, t);
      return 'ticket.no_show';
    });
  }

  async cancel(p: Principal, ticketId: string, reason?: string): Promise<TicketDto> {
    return this.change(p, ticketId, 'cancel', async (tx, q, t) => {
      t.status = 'cancelled';
      t.closedAt = tx.now;
      if (reason) t.callReason = reason;
      await this.releaseCounter(tx, q, t);
      return 'ticket.cancelled';
    });
  }

  /** Back to waiting in another service, keeping its place by creation time. */
  async transfer(p: Principal, ticketId: string, serviceId: string): Promise<TicketDto> {
    let fromServiceId = '';
    return this.change(
      p,
      ticketId,
      'transfer',
      async (tx, q, t) => {
        const svc = q.service(serviceId);
        if (!svc) throw badRequest('serviceId', 'is not a service of this branch');
        if (svc.id === t.serviceId && t.status === 'waiting') throw badRequest('serviceId', 'the ticket already waits for this service');
        await this.releaseCounter(tx, q, t);
        fromServiceId = t.serviceId;
        t.serviceId = svc.id;
        t.status = 'waiting';
        t.counterId = null;
        t.calledAt = null;
        t.recallCount = 0;
        return 'ticket.transferred';
      },
      () => ({ fromServiceId }),
    );
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  private async branchOfCounter(p: Principal, counterId: string): Promise<string> {
    let branchId = branchOf.get(`counter:${counterId}`);
    if (!branchId) {
      const c = await this.repo.counter(this.ds.manager, counterId);
      if (!c) throw notFound('counter', counterId);
      branchId = remember(`counter:${counterId}`, c.branchId);
    }
    assertBranchAccess(p, branchId);
    return branchId;
  }

  private async branchOfTicket(p: Principal, ticketId: string): Promise<string> {
    let branchId = branchOf.get(`ticket:${ticketId}`);
    if (!branchId) {
      const t = await this.repo.ticket(this.ds.manager, ticketId);
      if (!t) throw notFound('ticket', ticketId);
      branchId = remember(`ticket:${ticketId}`, t.branchId);
    }
    assertBranchAccess(p, branchId);
    return branchId;
  }

  /** The counter may call only when it has no customer at it; a closed or paused counter is opened for the caller. */
  private readyCounter(q: BranchQueue, counterId: string, p: Principal, tx: BranchTransaction) {
    const counter = q.counter(counterId);
    const current = counter.currentTicketId ? q.ticket(counter.currentTicketId) : undefined;
    if (current && holdsCounter(current.status)) {
      throw ruleConflict(
        `${counter.name} still has ${current.number} (${current.status}); finish, no-show or transfer it before calling the next`,
        current.status,
        { ticketId: current.id },
      );
    }
    if (counter.status !== 'open' || (p.kind === 'user' && counter.userId !== p.userId)) {
      const opened = counter.status !== 'open';
      counter.status = 'open';
      counter.pauseReason = null;
      if (p.kind === 'user') counter.userId = p.userId;
      if (opened) tx.record('counter.status_changed', { counter: q.counterDto(counter), queue: q.stats() });
    }
    return counter;
  }

  private async markCalled(tx: BranchTransaction, q: BranchQueue, t: TicketEntity, counterId: string, reason: string | null): Promise<TicketDto> {
    const counter = q.counter(counterId);
    t.status = 'called';
    t.counterId = counter.id;
    t.calledAt = tx.now;
    t.firstCalledAt = t.firstCalledAt ?? tx.now;
    t.callReason = reason;
    t.waitErrorSeconds = estimateErrorSeconds(t.estimatedWaitSeconds, (tx.now.getTime() - t.createdAt.getTime()) / 1000);
    counter.currentTicketId = t.id;
    // The counter's next requests name this ticket (serve, finish): its branch is known now.
    remember(`ticket:${t.id}`, q.branch.id);
    await this.repo.saveTicket(tx, t);
    await this.repo.saveCounter(tx, counter);
    q.put(t);
    const dto = q.ticketDto(t);
    tx.record('ticket.called', { ticket: dto, queue: q.stats(), reason });
    await this.lobbyNotices.afterCall(tx, q, t.serviceId);
    return dto;
  }

  private async releaseCounter(tx: BranchTransaction, q: BranchQueue, t: TicketEntity): Promise<void> {
    const counter = t.counterId ? q.counters.find((c) => c.id === t.counterId) : undefined;
    if (counter && counter.currentTicketId === t.id) {
      counter.currentTicketId = null;
      await this.repo.saveCounter(tx, counter);
    }
  }

  private async activeTicketIn(q: BranchQueue, tx: BranchTransaction, ticketId: string): Promise<TicketEntity> {
    const t = q.ticket(ticketId) ?? (await this.repo.ticket(tx.em, ticketId));
    if (!t || t.branchId !== q.branch.id) throw notFound('ticket', ticketId);
    return t;
  }

  /** Loads the ticket under the branch lock, checks the state machine, applies `apply`, saves and records the event. */
  private async change(
    p: Principal,
    ticketId: string,
    action: TicketAction,
    apply: (tx: BranchTransaction, q: BranchQueue, t: TicketEntity) => Promise<'ticket.recalled' | 'ticket.serving' | 'ticket.finished' | 'ticket.no_show' | 'ticket.cancelled' | 'ticket.transferred'>,
    extra: () => Record<string, unknown> = () => ({}),
  ): Promise<TicketDto> {
    const branchId = await this.branchOfTicket(p, ticketId);
    return this.txs.run(branchId, principalLabel(p), async (tx) => {
      const q = await BranchQueue.inTx(this.repo, tx);
      const t = await this.activeTicketIn(q, tx, ticketId);
      assertTransition(t, action);
      const type = await apply(tx, q, t);
      await this.repo.saveTicket(tx, t);
      q.put(t);
      const dto = q.ticketDto(t);
      tx.record(type, { ticket: dto, queue: q.stats(), ...extra() });
      return dto;
    }, BranchQueue.lockedRead(branchId));
  }
}
