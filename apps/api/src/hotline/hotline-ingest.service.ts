import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  HOTLINE_MAX_EVENTS,
  HotlineIngestSchema,
  UuidSchema,
  type HotlineEventInput,
  type HotlineIngestResponse,
} from '@frontdesk/contracts';
import { CallbackRepository, HotlineRepository, type BranchHotline, type BranchTransaction, type StoredCall } from '@frontdesk/db';
import { applyCallEvent, callStatus, gotThroughLater, localDay, maskPhone, needsAbandonCallback, queuedInstant, type CallEvent } from '@frontdesk/domain';
import { zodDetails } from '../common/http-exception.filter';
import { badRequest } from '../common/http-errors';
import { BranchTransactions } from '../live/branch-tx.service';
import { verifyHotlineSignature } from './hotline-signature';
import { HotlineMonitor, type HotlinePicture } from './hotline-monitor.service';

export interface SignedRequest {
  body: unknown;
  rawBody: Buffer | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

const CALL_EVENT_TYPES = {
  call_queued: 'hotline.call_queued',
  call_answered: 'hotline.call_answered',
  call_abandoned: 'hotline.call_abandoned',
  call_ended: 'hotline.call_ended',
} as const;

function unauthorized(path: string, message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message, details: [{ path, message }] });
}

/**
 * `POST /api/hotline/events`: authenticate the telephone system by the branch's secret, then store the new
 * events, fold them into calls and agent states, turn lost callers into callbacks, and push the numbers.
 * Every check happens before the transaction: a refused request stores nothing.
 */
@Injectable()
export class HotlineIngestService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: HotlineRepository,
    private readonly callbacks: CallbackRepository,
    private readonly monitor: HotlineMonitor,
    private readonly txs: BranchTransactions,
  ) {}

  async ingest(req: SignedRequest): Promise<HotlineIngestResponse> {
    const body = (req.body ?? {}) as { branchId?: unknown; events?: unknown };
    if (!req.rawBody) throw badRequest('(body)', 'the body must be JSON (Content-Type: application/json)');
    const branchId = UuidSchema.safeParse(body.branchId);
    if (!branchId.success) throw badRequest('branchId', 'must be the branch UUID');
    const branch = await this.repo.branch(this.ds.manager, branchId.data);
    // The same answer for an unknown branch and a branch without hotline: nothing to learn by probing.
    if (!branch?.secret) throw unauthorized('branchId', 'no hotline webhook is configured for this branch');
    const check = verifyHotlineSignature({ secret: branch.secret, timestamp: req.timestamp, signature: req.signature, rawBody: req.rawBody, now: new Date() });
    if (!check.ok) throw unauthorized(check.path, check.message);
    if (Array.isArray(body.events) && body.events.length > HOTLINE_MAX_EVENTS) {
      const message = `at most ${HOTLINE_MAX_EVENTS} events per request (got ${body.events.length}); split the batch`;
      throw new HttpException({ statusCode: 413, error: 'Payload Too Large', message, details: [{ path: 'events', message }] }, HttpStatus.PAYLOAD_TOO_LARGE);
    }
    const parsed = HotlineIngestSchema.safeParse(body);
    if (!parsed.success) {
      const details = zodDetails(parsed.error);
      throw new HttpException({ statusCode: 400, error: 'Bad Request', message: details.map((d) => `${d.path}: ${d.message}`).join('; '), details }, HttpStatus.BAD_REQUEST);
    }
    let seqAfter = 0;
    const result = await this.txs.run(branch.id, 'hotline', (tx) =>
      this.apply(tx, branch, parsed.data.events, (picture) => {
        seqAfter = picture.lastSeq + tx.pending.length;
        this.monitor.stage(branch.id, picture, seqAfter);
      }),
    );
    if (seqAfter) this.monitor.remember(branch.id, seqAfter);
    return result;
  }

  private async apply(
    tx: BranchTransaction,
    branch: BranchHotline,
    events: HotlineEventInput[],
    onPicture: (picture: HotlinePicture) => void,
  ): Promise<HotlineIngestResponse> {
    const inserted = await this.repo.insertEvents(tx.em, branch.id, events);
    const fresh: HotlineEventInput[] = [];
    for (const e of events) {
      if (inserted.delete(e.id)) fresh.push(e); // first occurrence only: a repeat in the same batch is a duplicate
    }
    const result = { accepted: fresh.length, duplicates: events.length - fresh.length };
    if (fresh.length === 0) return result;

    const callEvents: CallEvent[] = [];
    const agentEvents: { agentId: string; queue: string | null; state: NonNullable<HotlineEventInput['state']>; at: string; eventId: string }[] = [];
    for (const e of fresh) {
      if (e.type === 'agent_state') agentEvents.push({ agentId: e.agentId!, queue: e.queue ?? null, state: e.state!, at: e.at, eventId: e.id });
      else callEvents.push({ id: e.id, type: e.type, callId: e.callId!, queue: e.queue!, at: new Date(e.at), agentId: e.agentId ?? null, callerNumber: e.callerNumber ?? null });
    }
    const changed = await this.foldCalls(tx, branch, callEvents);
    await this.repo.saveAgentStates(tx.em, branch.id, agentEvents);
    await this.abandonedCallbacks(tx, branch, changed);

    for (const e of callEvents) {
      const call = changed.get(e.callId)?.after;
      tx.record(CALL_EVENT_TYPES[e.type], {
        callId: e.callId,
        queue: call?.queue ?? e.queue,
        agentId: e.agentId ?? null,
        callerMasked: maskPhone(call?.callerNumber ?? e.callerNumber ?? null),
        at: e.at.toISOString(),
      });
    }
    for (const a of agentEvents) tx.record('hotline.agent_state', { agentId: a.agentId, queue: a.queue, state: a.state, at: new Date(a.at).toISOString() });

    const picture = await this.monitor.load(tx, branch, [...changed.values()].map((c) => c.after));
    await this.monitor.recordMetrics(tx, branch, picture);
    await this.monitor.reconcileAlerts(tx, branch, picture);
    onPicture(picture);
    return result;
  }

  /** Folds the new events into the stored calls with the engine's rule; returns each touched call before and after. */
  private async foldCalls(tx: BranchTransaction, branch: BranchHotline, events: CallEvent[]): Promise<Map<string, { before: StoredCall | undefined; after: StoredCall }>> {
    const existing = await this.repo.calls(tx.em, branch.id, [...new Set(events.map((e) => e.callId))]);
    const changed = new Map<string, { before: StoredCall | undefined; after: StoredCall }>();
    for (const e of events) {
      const entry = changed.get(e.callId);
      const current = entry?.after ?? existing.get(e.callId);
      const folded = applyCallEvent(current, e);
      const after: StoredCall = {
        ...folded,
        localDay: localDay(queuedInstant(folded), branch.timeZone),
        status: callStatus(folded, branch.settings).status,
      };
      changed.set(e.callId, { before: entry ? entry.before : existing.get(e.callId), after });
    }
    await this.repo.saveCalls(tx.em, branch.id, [...changed.values()].map((c) => c.after));
    return changed;
  }

  /**
   * A caller lost after the short-abandon threshold is called back (due at once) unless the number got through
   * later that day; a number that gets through closes its open abandoned-call callbacks of that day.
   */
  private async abandonedCallbacks(tx: BranchTransaction, branch: BranchHotline, changed: Map<string, { before: StoredCall | undefined; after: StoredCall }>): Promise<void> {
    const abandoned: StoredCall[] = [];
    const answered: StoredCall[] = [];
    for (const { before, after } of changed.values()) {
      if (!after.callerNumber || before?.status === after.status) continue;
      if (after.status === 'abandoned') abandoned.push(after);
      if (after.status === 'answered') answered.push(after);
    }
    if (abandoned.length === 0 && answered.length === 0) return;
    const touched = [...abandoned, ...answered];
    const sameNumber = await this.repo.callsByNumber(
      tx.em,
      branch.id,
      [...new Set(touched.map((c) => c.callerNumber!))],
      [...new Set(touched.map((c) => c.localDay))],
    );
    const alreadyWaiting = await this.callbacks.numbersWithOpenAbandoned(tx.em, branch.id, [...new Set(abandoned.map((c) => c.callerNumber!))]);
    for (const call of abandoned) {
      const others = sameNumber.filter((o) => o.callerNumber === call.callerNumber);
      if (alreadyWaiting.has(call.callerNumber!) || !needsAbandonCallback(call, others, branch.timeZone, branch.settings)) continue;
      const callback = await this.callbacks.create(
        tx.em,
        { branchId: branch.id, phone: call.callerNumber!, dueAt: tx.now, reason: 'abandoned', callId: call.callId, createdBy: 'hotline' },
        tx.now,
      );
      if (!callback) continue;
      alreadyWaiting.add(call.callerNumber!);
      tx.record('callback.due', { callback });
    }
    for (const call of answered) {
      const earlier = sameNumber.filter((o) => o.callerNumber === call.callerNumber && o.callId !== call.callId && gotThroughLater(call, o, branch.timeZone)).map((o) => o.callId);
      for (const callback of await this.callbacks.closeAbandonedFor(tx.em, branch.id, call.callerNumber!, earlier, tx.now)) {
        tx.record('callback.completed', { callback });
      }
    }
  }
}
