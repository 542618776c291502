import type { CounterDto, QueueSettings, ServiceQueueStat, TicketDto } from '@frontdesk/contracts';
import { orderWaiting, positionInService, serviceQueueStats, ticketStages, maskPhone, openCountersFor, recentServiceSeconds, estimateWaitSeconds } from '@frontdesk/domain';
import type { EntityManager } from 'typeorm';
import { branchSettings } from '../branch-settings';
import { RecordNotFoundError } from '../errors';
import type { BranchEntity } from '../entities/branch.entity';
import type { CounterEntity } from '../entities/counter.entity';
import type { ServiceEntity } from '../entities/service.entity';
import type { TicketEntity } from '../entities/ticket.entity';
import type { BranchTransaction, LockedRead } from '../events/branch-transaction';
import { QueueRepository, type QueueState } from './queue.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Per branch, the queue the last change of this process left and the stamp it left (see BranchQueue.inTx). */
const kept = new Map<string, { queueTx: string; queue: BranchQueue }>();
/** A process serving more branches than this starts over (a full read each) rather than grow. */
const KEPT_MAX = 2_000;

/**
 * The lobby of one branch as loaded inside a transaction: services, counters and today's active tickets.
 * Changes are made to these objects and saved; the queue picture for the event is computed from them.
 */
export class BranchQueue {
  private constructor(
    readonly branch: BranchEntity,
    readonly settings: QueueSettings,
    readonly day: string,
    readonly services: ServiceEntity[],
    readonly counters: CounterEntity[],
    readonly tickets: TicketEntity[],
    readonly recentDurations: Map<string, number[]>,
    readonly now: Date,
    /** Order numbers of the repairs today's fast-lane pickup tickets were taken for (staff views only). */
    readonly repairOrderNos: Map<string, string> = new Map(),
    /** The last ticket number given today per service. */
    readonly daySeqs: Map<string, number> = new Map(),
  ) {}

  static async load(repo: QueueRepository, em: EntityManager, branchId: string, now: Date): Promise<BranchQueue> {
    // One round trip; the local day is the branch's, computed by Postgres from its time zone.
    return BranchQueue.of(branchId, await repo.loadQueueState(em, branchId, now), now);
  }

  /**
   * The LockedRead of a branch transaction that works on the queue: it is then read in the lock's round trip. Its
   * parameters are taken when the transaction sends it (a getter), so they name the copy kept by the change that
   * committed just before, not one kept when the request came in.
   */
  static lockedRead(branchId: string): LockedRead {
    const { sql, name } = QueueRepository.queueStateRead(branchId, null);
    return {
      sql,
      name,
      get params() {
        const k = kept.get(branchId);
        return QueueRepository.queueStateRead(branchId, null, k ? { queueTx: k.queueTx, day: k.queue.day } : null).params;
      },
      // With a kept copy the change is made on it and sent in one round trip (runBranchTransaction's `speculate`).
      expect: () => {
        const k = kept.get(branchId);
        return k ? { queueTx: k.queueTx, day: k.queue.day, lastNow: k.queue.now } : null;
      },
    };
  }

  /**
   * The queue as the transaction's LockedRead found it (or loaded now, for a transaction started without it). In a
   * batch of changes, the one queue they share: each sees the changes made before it.
   *
   * The API keeps the queue a change leaves (per branch, in this process) and the next change of the branch starts
   * from it instead of reading it again, as long as nothing else wrote it since: the LockedRead compares the copy's
   * stamp with the branch's (every write to the tables the queue read reads stamps it: migration QueueVersion) and
   * its local day with today's, and reads the whole queue only if either moved. The copy is taken out while a change
   * works on it and put back, with the stamp read just before COMMIT, only once the COMMIT succeeded; a change that
   * fails or is rolled back leaves no copy, and the next one reads the queue.
   */
  static async inTx(repo: QueueRepository, tx: BranchTransaction): Promise<BranchQueue> {
    const shared = tx.memo?.get('queue') as BranchQueue | undefined;
    if (shared) return shared;
    let q: BranchQueue;
    if (tx.lockedRows) {
      const row = tx.lockedRows[0] as { full?: boolean; queue_tx?: string | null; day?: string } | undefined;
      const k = kept.get(tx.branchId);
      kept.delete(tx.branchId);
      if (row?.full === false && k && k.queueTx === row.queue_tx && k.queue.day === row.day) q = k.queue.at(tx.now);
      else if (row?.full === false) q = await BranchQueue.load(repo, tx.em, tx.branchId, tx.now);
      else q = BranchQueue.of(tx.branchId, QueueRepository.queueState(tx.em, tx.lockedRows), tx.now);
      const branchId = tx.branchId;
      tx.readAtCommit(QueueRepository.queueTxRead(branchId), (rows) => {
        const queueTx = rows[0]?.queue_tx;
        if (typeof queueTx !== 'string') return;
        if (kept.size >= KEPT_MAX) kept.clear();
        kept.set(branchId, { queueTx, queue: q });
      });
    } else {
      q = await BranchQueue.load(repo, tx.em, tx.branchId, tx.now);
    }
    tx.memo?.set('queue', q);
    return q;
  }

  /** This queue at another moment (a kept copy used by the next change): the same objects, `now` moved. */
  private at(now: Date): BranchQueue {
    return new BranchQueue(this.branch, this.settings, this.day, this.services, this.counters, this.tickets, this.recentDurations, now, this.repairOrderNos, this.daySeqs);
  }

  /** The kept copy of a branch's queue, if any (tests compare it with a fresh read). */
  static kept(branchId: string): BranchQueue | undefined {
    return kept.get(branchId)?.queue;
  }

  private static of(branchId: string, state: QueueState | null, now: Date): BranchQueue {
    if (!state) throw new RecordNotFoundError('branch', branchId);
    return new BranchQueue(state.branch, branchSettings(state.branch), state.day, state.services, state.counters, state.tickets, state.durations, now, state.repairOrderNos, state.daySeqs);
  }

  /** Takes the service's next ticket number of the day (saved with the ticket: QueueRepository.insertTicket). */
  takeDaySeq(serviceId: string): number {
    const seq = (this.daySeqs.get(serviceId) ?? 0) + 1;
    this.daySeqs.set(serviceId, seq);
    return seq;
  }

  service(id: string): ServiceEntity | undefined {
    return this.services.find((s) => s.id === id);
  }

  counter(id: string): CounterEntity {
    const c = this.counters.find((x) => x.id === id);
    if (!c) throw new RecordNotFoundError('counter', id);
    return c;
  }

  ticket(id: string): TicketEntity | undefined {
    return this.tickets.find((t) => t.id === id);
  }

  waiting(): TicketEntity[] {
    return this.tickets.filter((t) => t.status === 'waiting');
  }

  orderedWaiting(): TicketEntity[] {
    return orderWaiting(this.waiting(), this.now, this.settings);
  }

  /** Adds or replaces a ticket in the in-memory picture after it changed. */
  put(t: TicketEntity): void {
    const i = this.tickets.findIndex((x) => x.id === t.id);
    const active = t.status === 'waiting' || t.status === 'called' || t.status === 'serving';
    if (i >= 0 && active) this.tickets[i] = t;
    else if (i >= 0) this.tickets.splice(i, 1);
    else if (active) this.tickets.push(t);
  }

  position(ticketId: string): number | null {
    return positionInService(this.waiting(), ticketId, this.now, this.settings);
  }

  /** DOMAIN.md estimate for a ticket at a given position of its service. */
  estimateFor(serviceId: string, position: number): number | null {
    const svc = this.service(serviceId);
    return estimateWaitSeconds({
      peopleAhead: Math.max(0, position - 1),
      openCounters: openCountersFor(serviceId, this.counters),
      recentServiceSeconds: recentServiceSeconds(this.recentDurations.get(serviceId) ?? [], svc?.defaultServiceSeconds ?? 300),
    });
  }

  stats(): ServiceQueueStat[] {
    return serviceQueueStats({
      services: this.services,
      counters: this.counters,
      waiting: this.waiting(),
      recentDurations: this.recentDurations,
      now: this.now,
    });
  }

  ticketDto(t: TicketEntity): TicketDto {
    const svc = this.service(t.serviceId);
    const counter = t.counterId ? this.counters.find((c) => c.id === t.counterId) : undefined;
    return {
      id: t.id,
      branchId: t.branchId,
      number: t.number,
      serviceId: t.serviceId,
      serviceCode: svc?.code ?? t.number.replace(/[0-9]+$/, ''),
      status: t.status,
      priority: t.priority,
      counterId: t.counterId,
      counterName: counter?.name ?? null,
      calledAt: iso(t.calledAt),
      recallCount: t.recallCount,
      phoneMasked: maskPhone(t.phone),
      createdAt: t.createdAt.toISOString(),
      servingAt: iso(t.servingAt),
      finishedAt: iso(t.finishedAt),
      estimatedWaitSecondsAtIssue: t.estimatedWaitSeconds,
      callReason: t.callReason,
      repairId: t.repairId ?? null,
      repairOrderNo: t.repairId ? (this.repairOrderNos.get(t.repairId) ?? null) : null,
      stages: ticketStages(t),
    };
  }

  counterDto(c: CounterEntity): CounterDto {
    const current = c.currentTicketId ? this.ticket(c.currentTicketId) : undefined;
    return {
      id: c.id,
      name: c.name,
      services: c.serviceIds,
      status: c.status,
      pauseReason: c.pauseReason,
      userId: c.userId,
      ticket: current ? this.ticketDto(current) : null,
    };
  }
}
