import type { AgentState, HotlineEventInput } from '@frontdesk/contracts';
import type { AmiMessage } from './ami-parser';

/**
 * Asterisk queue events → the hotline's normalized events (CONTRACT.md "Hotline").
 *
 * - QueueCallerJoin (Join before Asterisk 12) → call_queued; the call id is the caller channel's Uniqueid.
 * - AgentConnect → call_answered (agent: MemberName); AgentComplete → call_ended.
 * - QueueCallerAbandon → call_abandoned.
 * - QueueCallerLeave (Leave) comes just BEFORE AgentConnect when a call is answered, and after
 *   QueueCallerAbandon when the caller hangs up; on its own (queue timeout, caller sent on) it means the
 *   caller left unanswered. So a leave is held for `leaveGraceMs` and sent as call_ended only if neither
 *   an answer nor an abandon of that call arrived meanwhile.
 * - QueueMemberStatus / QueueMemberPause (QueueMemberPaused) → agent_state of the member in that queue.
 *
 * AMI events carry no time unless `timestampevents = yes` (a `Timestamp: <unix.micro>` field); otherwise the
 * receive time is used. Event ids are `ami:<Uniqueid>:<kind>` so a replay after a reconnect is a duplicate.
 */
export class AmiEventMapper {
  private readonly pendingLeaves = new Map<string, { event: HotlineEventInput; due: number }>();
  private readonly settled = new Set<string>();
  private memberSeq = 0;

  constructor(
    private readonly options: { leaveGraceMs?: number; idPrefix?: string } = {},
  ) {}

  private get prefix(): string {
    return this.options.idPrefix ?? 'ami';
  }

  map(msg: AmiMessage, receivedAt: Date): HotlineEventInput[] {
    const name = msg.get('Event');
    if (!name) return [];
    const at = eventTime(msg, receivedAt);
    const queue = msg.get('Queue');
    const uniqueid = msg.get('Uniqueid');
    switch (name.toLowerCase()) {
      case 'queuecallerjoin':
      case 'join': {
        if (!uniqueid || !queue) return [];
        const callerNumber = callerNumberOf(msg.get('CallerIDNum'));
        return [{ id: `${this.prefix}:${uniqueid}:queued`, type: 'call_queued', callId: uniqueid, queue, at, ...(callerNumber ? { callerNumber } : {}) }];
      }
      case 'agentconnect': {
        if (!uniqueid || !queue) return [];
        this.settle(uniqueid);
        const agentId = agentOf(msg);
        return [{ id: `${this.prefix}:${uniqueid}:answered`, type: 'call_answered', callId: uniqueid, queue, at, ...(agentId ? { agentId } : {}) }];
      }
      case 'queuecallerabandon': {
        if (!uniqueid || !queue) return [];
        this.settle(uniqueid);
        return [{ id: `${this.prefix}:${uniqueid}:abandoned`, type: 'call_abandoned', callId: uniqueid, queue, at }];
      }
      case 'agentcomplete': {
        if (!uniqueid || !queue) return [];
        const agentId = agentOf(msg);
        return [{ id: `${this.prefix}:${uniqueid}:ended`, type: 'call_ended', callId: uniqueid, queue, at, ...(agentId ? { agentId } : {}) }];
      }
      case 'queuecallerleave':
      case 'leave': {
        if (!uniqueid || !queue || this.settled.has(uniqueid)) return [];
        this.pendingLeaves.set(uniqueid, {
          event: { id: `${this.prefix}:${uniqueid}:left`, type: 'call_ended', callId: uniqueid, queue, at },
          due: receivedAt.getTime() + (this.options.leaveGraceMs ?? 3000),
        });
        return [];
      }
      case 'queuememberstatus':
      case 'queuememberpause':
      case 'queuememberpaused': {
        const agentId = agentOf(msg);
        const state = memberState(msg);
        if (!agentId || !state) return [];
        // Member events have no id of their own: time plus a counter keeps them apart and ordered.
        const id = `${this.prefix}:member:${agentId}:${queue ?? ''}:${Date.parse(at)}:${++this.memberSeq}`.replace(/[^A-Za-z0-9._:@/+-]/g, '_').slice(0, 128);
        return [{ id, type: 'agent_state', agentId, ...(queue ? { queue } : {}), state, at }];
      }
      default:
        return [];
    }
  }

  /** Leaves whose grace has passed with no answer or abandon: the caller left the queue unanswered. */
  flush(now: Date): HotlineEventInput[] {
    const out: HotlineEventInput[] = [];
    for (const [uniqueid, pending] of this.pendingLeaves) {
      if (pending.due <= now.getTime()) {
        out.push(pending.event);
        this.pendingLeaves.delete(uniqueid);
      }
    }
    return out;
  }

  private settle(uniqueid: string): void {
    this.pendingLeaves.delete(uniqueid);
    this.settled.add(uniqueid);
    // Bounded memory on a long-running connection.
    if (this.settled.size > 10_000) this.settled.delete(this.settled.values().next().value as string);
  }
}

function eventTime(msg: AmiMessage, receivedAt: Date): string {
  const ts = Number(msg.get('Timestamp'));
  return (Number.isFinite(ts) && ts > 0 ? new Date(ts * 1000) : receivedAt).toISOString();
}

/** Caller ID as a phone number the contract accepts, or nothing ("<unknown>", anonymous, short extensions). */
function callerNumberOf(raw: string | undefined): string | undefined {
  const v = (raw ?? '').trim();
  return /^\+?[0-9][0-9 -]{5,19}$/.test(v) ? v : undefined;
}

function agentOf(msg: AmiMessage): string | undefined {
  const v = msg.get('MemberName') ?? msg.get('Interface') ?? msg.get('Member') ?? msg.get('Location');
  return v ? v.slice(0, 64) : undefined;
}

/**
 * Queue member → agent state. Paused wins; then the device state (`Status`, Asterisk's AST_DEVICE_*):
 * 1 not in use → available, 2 in use / 3 busy / 7 ring-in-use / 8 on hold → on_call, 4 invalid / 5 unavailable → offline,
 * 6 ringing → available (offered a call, not yet on it), 0 unknown → nothing.
 */
function memberState(msg: AmiMessage): AgentState | undefined {
  if (msg.get('Paused') === '1') return 'paused';
  if (msg.get('InCall') === '1') return 'on_call';
  switch (msg.get('Status')) {
    case '1':
    case '6':
      return 'available';
    case '2':
    case '3':
    case '7':
    case '8':
      return 'on_call';
    case '4':
    case '5':
      return 'offline';
    default:
      return msg.get('Paused') === '0' ? 'available' : undefined;
  }
}
