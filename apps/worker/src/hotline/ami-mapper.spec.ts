import type { HotlineEventInput } from '@frontdesk/contracts';
import { HotlineEventSchema } from '@frontdesk/contracts';
import { AmiEventMapper } from './ami-mapper';
import { AmiFrameParser } from './ami-parser';
import { serverBytes } from './fixtures/replay';

const t0 = new Date('2026-11-25T02:00:00Z');

function replay(text: string, mapper = new AmiEventMapper({ leaveGraceMs: 1000 })): HotlineEventInput[] {
  const out: HotlineEventInput[] = [];
  new AmiFrameParser().feed(text).forEach((m, i) => out.push(...mapper.map(m, new Date(t0.getTime() + i * 100))));
  out.push(...mapper.flush(new Date(t0.getTime() + 3_600_000)));
  return out;
}
const calls = (events: HotlineEventInput[]) => events.filter((e) => e.type !== 'agent_state').map((e) => [e.type, e.callId, e.queue, e.agentId ?? null]);

describe('AMI events → hotline events', () => {
  it('one answered call of Asterisk 13 (queue events only): queued, answered by SIP/777, ended; the leave before the answer is not an end', () => {
    const events = replay(serverBytes('ami-callme-ast13-queue-connect-queueonly.txt'));
    expect(calls(events)).toEqual([
      ['call_queued', '1514295827.372', 'Q1', null],
      ['call_answered', '1514295827.372', 'Q1', 'SIP/777'],
      ['call_ended', '1514295827.372', 'Q1', 'SIP/777'],
    ]);
    // "123" is an extension, not a phone number: the event has no callerNumber rather than a bad one.
    expect(events[0]).not.toHaveProperty('callerNumber');
    for (const e of events) expect(HotlineEventSchema.safeParse(e).success).toBe(true);
  });

  it('the full capture with channel noise gives the same call and the member states', () => {
    const events = replay(serverBytes('ami-callme-ast13-queue-connect-full.txt'));
    expect(calls(events)).toEqual(calls(replay(serverBytes('ami-callme-ast13-queue-connect-queueonly.txt'))));
    // 205 events; QueueMemberStatus Status 1 (not in use), 6 (ringing), 2 (in use), 1 again.
    expect(events.map((e) => (e.type === 'agent_state' ? `${e.agentId}:${e.state}` : e.type))).toEqual([
      'SIP/777:available',
      'call_queued',
      'SIP/777:available',
      'SIP/777:on_call',
      'call_answered',
      'call_ended',
      'SIP/777:available',
    ]);
  });

  it('old Asterisk names with lower-case keys: Join, Leave, AgentConnect', () => {
    const events = replay(serverBytes('ami-pami-issues-oldformat-samples.txt'));
    const call = events.filter((e) => e.callId === '1301942099.1324731');
    expect(call.map((e) => e.type)).toEqual(['call_queued', 'call_answered']);
    expect(call[0].callerNumber).toBe('3216631398');
    expect(call[1].agentId).toBe('Local/7001@from-queue/n');
  });

  it('pause and unpause of a queue member with a reason', () => {
    const events = replay(serverBytes('ami-goami2-queuepause.txt'));
    expect(events.map((e) => [e.type, e.agentId, e.queue, e.state])).toEqual([
      ['agent_state', '9921@okon.ferry.sip.com', 'Books_12', 'available'],
      ['agent_state', '9921@okon.ferry.sip.com', 'Books_12', 'paused'],
    ]);
  });

  it('an abandon (built from the documented QueueCallerAbandon fields), and a caller who left unanswered', () => {
    const text = [
      'Event: QueueCallerJoin\r\nQueue: repair\r\nPosition: 1\r\nCount: 1\r\nUniqueid: 1700000000.1\r\nCallerIDNum: 13800138000\r\n\r\n',
      'Event: QueueCallerAbandon\r\nQueue: repair\r\nPosition: 1\r\nOriginalPosition: 1\r\nHoldTime: 21\r\nUniqueid: 1700000000.1\r\nCallerIDNum: 13800138000\r\n\r\n',
      'Event: QueueCallerLeave\r\nQueue: repair\r\nCount: 0\r\nPosition: 1\r\nUniqueid: 1700000000.1\r\n\r\n',
      'Event: QueueCallerJoin\r\nQueue: repair\r\nUniqueid: 1700000000.2\r\nCallerIDNum: <unknown>\r\n\r\n',
      'Event: QueueCallerLeave\r\nQueue: repair\r\nUniqueid: 1700000000.2\r\n\r\n',
    ].join('');
    expect(calls(replay(text))).toEqual([
      ['call_queued', '1700000000.1', 'repair', null],
      ['call_abandoned', '1700000000.1', 'repair', null],
      ['call_queued', '1700000000.2', 'repair', null],
      ['call_ended', '1700000000.2', 'repair', null],
    ]);
  });

  it('uses the Timestamp field when Asterisk sends one; the same event always gets the same id', () => {
    const text = 'Event: QueueCallerJoin\r\nTimestamp: 1764036000.250000\r\nQueue: q\r\nUniqueid: 1.2\r\n\r\n';
    const [a] = replay(text);
    const [b] = replay(text);
    expect(a.at).toBe('2025-11-25T02:00:00.250Z');
    expect(a.id).toBe(b.id);
  });
});
