import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { CallbackOutcome, RepairStatus, WarrantyStatus } from '@frontdesk/contracts';
import {
  decideWarranty,
  deviceKey,
  followUpDueAt,
  imeiFrom,
  formatRepairOrderNo,
  isChargeable,
  REPEAT_REPAIR_DAYS,
  repairTransition,
  type RepairGate,
} from '@frontdesk/domain';
import { lognormal, weighted } from './demo-history-model';

/**
 * The repairs and callbacks of a made-up past day (demo history): a share of the day's intake customers leave a
 * phone, each repair goes through the product's state machine (`repairTransition` refuses any step it would refuse)
 * in working hours, is picked up with a satisfaction card now and then, and gets its follow-up callback; abandoned
 * calls get theirs. Nothing here is later than `now`: a follow-up or a retry not yet due then is scheduled, and a
 * repair not picked up by then is not made up at all, so the demo starts with no open repair nobody can collect (its
 * pickup code would be unknown) and no overdue callback.
 */

export interface CustomerRow {
  id: string;
  phone: string;
  name: string;
  createdAt: Date;
}
export interface RepairRow {
  id: string;
  orderNo: string;
  daySeq: number;
  customerId: string;
  customerName: string;
  customerPhone: string;
  brand: string;
  model: string;
  imei: string;
  deviceKey: string;
  fault: string;
  accessories: string[];
  purchaseDate: string;
  warranty: { status: WarrantyStatus; reason: string; reasonZh: string };
  ticketId: string;
  status: RepairStatus;
  promisedAt: Date;
  repeatOf: string | null;
  technicianId: string | null;
  diagnosisNote: string;
  partsNote: string | null;
  quote: { amount: number; decision: 'approved' | 'refused'; quotedAt: Date; decidedAt: Date } | null;
  payment: { amount: number; method: string; paidAt: Date } | null;
  survey: { score: number; at: Date } | null;
  createdAt: Date;
  updatedAt: Date;
  readyAt: Date | null;
  closedAt: Date | null;
}
export interface RepairHistoryRow {
  repairId: string;
  at: Date;
  /** The technician works the repair; the front desk takes it in, passes QA, records the customer's answer and hands it over. */
  by: 'technician' | 'frontdesk';
  kind: string;
  from: string | null;
  to: string | null;
  note: string | null;
}
export interface CallbackRow {
  id: string;
  phone: string;
  name: string | null;
  dueAt: Date;
  reason: 'follow_up' | 'abandoned';
  repairId: string | null;
  callId: string | null;
  note: string | null;
  status: 'scheduled' | 'done';
  outcome: CallbackOutcome | null;
  attempts: number;
  createdBy: string;
  createdAt: Date;
  completedAt: Date | null;
}

/** Devices repaired before, for repeat repairs (the same phone back within REPEAT_REPAIR_DAYS). */
export interface KnownDevice {
  repairId: string;
  customer: CustomerRow;
  imei: string;
  brand: string;
  model: string;
  at: Date;
}

export interface RepairDayInput {
  day: string;
  timeZone: string;
  now: Date;
  /** The day's finished intake tickets (service A), when the customer left the counter. */
  intakes: { ticketId: string; finishedAt: Date }[];
  /** Updated: devices repaired so far, and phone numbers taken. */
  devices: KnownDevice[];
  phones: Set<string>;
  technicianId: string | null;
  followUpDays: number;
  callbackHour: number;
  rand: () => number;
}

const DEVICES: [string, string][] = [
  ['Huawei', 'Mate 60'],
  ['Huawei', 'P60'],
  ['Xiaomi', '14'],
  ['OPPO', 'Find X7'],
  ['vivo', 'X100'],
  ['Honor', 'Magic6'],
  ['Apple', 'iPhone 15'],
];
/** Faults with what the technician found; water and drop damage void the warranty (decideWarranty). */
const FAULTS: { fault: string; diagnosis: string; parts: number }[] = [
  { fault: '屏幕闪烁', diagnosis: '显示屏排线接触不良', parts: 0.3 },
  { fault: '无法充电', diagnosis: '尾插损坏，需更换尾插小板', parts: 0.5 },
  { fault: 'battery drains fast', diagnosis: 'battery health 71 %, replace battery', parts: 0.4 },
  { fault: '听筒无声音', diagnosis: '听筒进灰，清洁后正常', parts: 0 },
  { fault: 'camera will not focus', diagnosis: 'rear camera module faulty', parts: 0.6 },
  { fault: '手机进水后无法开机', diagnosis: '主板进水腐蚀', parts: 0.7 },
  { fault: '摔坏屏幕', diagnosis: '外屏碎裂，更换屏幕总成', parts: 0.5 },
  { fault: 'restarts by itself', diagnosis: 'software fault, reflashed firmware', parts: 0 },
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓东', '婷婷'];
/** Satisfaction cards of a centre near its targets (average 4.5 or more, nine in ten at 4 or 5). */
const SURVEY_SCORES: [number, number][] = [
  [5, 14],
  [4, 4],
  [3, 1],
  [2, 1],
];
const PAYMENT_METHODS = ['wechat', 'alipay', 'card', 'cash'];
const WEEKDAY = 5;
/** Steps the front desk takes (as in the simulator): QA passed, the device handed over or returned. */
const DESK_STEPS: readonly RepairStatus[] = ['ready_for_pickup', 'picked_up', 'returned_unrepaired'];

function madeUpImei(rand: () => number): string {
  let digits = '86';
  while (digits.length < 14) digits += String(Math.floor(rand() * 10));
  return imeiFrom(digits);
}

const minutes = (m: number) => m * 60_000;

/** The moment `ms` after `from` in working time: past 18:00 the work goes on at 09:00 the next day. */
function later(ctx: Pick<RepairDayInput, 'timeZone' | 'rand'>, from: number, ms: number): number {
  let t = DateTime.fromMillis(from + ms, { zone: ctx.timeZone });
  if (t.hour >= 18) {
    t = t
      .plus({ days: 1 })
      .set({ hour: 9, minute: 0, second: 0 })
      .plus({ minutes: ctx.rand() * 45 });
  } else if (t.hour < 9) t = t.set({ hour: 9, minute: 0, second: 0 }).plus({ minutes: ctx.rand() * 45 });
  return Math.round(t.toMillis());
}

/**
 * A callback worked as the callback desk works one: tried soon after its due time, an unreachable customer again on
 * the next two working days at the callback hour. A try not yet due at `now` leaves it scheduled for that try.
 */
function workCallback(
  ctx: Pick<RepairDayInput, 'timeZone' | 'now' | 'callbackHour' | 'rand'>,
  dueAt: number,
  c: Pick<CallbackRow, 'phone' | 'name' | 'reason' | 'repairId' | 'callId' | 'note' | 'createdBy' | 'createdAt'> & { outcome: CallbackOutcome },
): CallbackRow {
  const tries = c.outcome === 'unreachable' ? 3 : 1;
  let due = dueAt;
  for (let attempt = 0; ; attempt++) {
    const now = ctx.now.getTime();
    // Not yet due at `now`: scheduled. Due already: tried before `now` (the desk has not left it for the demo's
    // first minutes, which would open on an overdue callback nobody could have worked).
    if (due >= now) return { id: randomUUID(), ...c, dueAt: new Date(due), status: 'scheduled', outcome: null, attempts: attempt, completedAt: null };
    let tried = later(ctx, due, minutes(2 + ctx.rand() * 40));
    if (tried >= now) tried = Math.floor(due + (now - due) * ctx.rand());
    if (attempt === tries - 1) return { id: randomUUID(), ...c, dueAt: new Date(due), status: 'done', attempts: tries, completedAt: new Date(tried) };
    let next = DateTime.fromMillis(tried, { zone: ctx.timeZone }).plus({ days: 1 }).set({ hour: ctx.callbackHour, minute: 0, second: 0, millisecond: 0 });
    while (next.weekday > WEEKDAY) next = next.plus({ days: 1 });
    due = next.toMillis();
  }
}

export function simulateRepairDay(input: RepairDayInput): {
  customers: CustomerRow[];
  repairs: RepairRow[];
  history: RepairHistoryRow[];
  callbacks: CallbackRow[];
} {
  const { rand, timeZone } = input;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const after = (from: number, ms: number) => later(input, from, ms);
  const now = input.now.getTime();
  const customers: CustomerRow[] = [];
  const repairs: RepairRow[] = [];
  const history: RepairHistoryRow[] = [];
  const callbacks: CallbackRow[] = [];
  const newPhone = () => {
    for (;;) {
      const phone = `+86138${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
      if (!input.phones.has(phone)) return input.phones.add(phone) && phone;
    }
  };
  let seq = 0;
  for (const intake of input.intakes) {
    // About half of the intake customers leave their phone for repair (the rest were advised, or quoted and left).
    if (rand() >= 0.5) continue;
    const created = intake.finishedAt.getTime();
    const recent = input.devices.filter((d) => created - d.at.getTime() < REPEAT_REPAIR_DAYS * 86_400_000);
    const again = recent.length > 0 && rand() < 0.025 ? pick(recent) : null;
    const customer: CustomerRow = again?.customer ?? {
      id: randomUUID(),
      phone: newPhone(),
      name: `${pick(SURNAMES)}${pick(GIVEN)}`,
      createdAt: new Date(created),
    };
    const [brand, model] = again ? [again.brand, again.model] : pick(DEVICES);
    const imei = again ? again.imei : madeUpImei(rand);
    const f = pick(FAULTS);
    const purchaseDate = DateTime.fromMillis(created, { zone: timeZone })
      .minus({ days: Math.floor(rand() * 900) })
      .toISODate()!;
    const warranty = decideWarranty({ purchaseDate, receivedAt: new Date(created), timeZone, fault: f.fault });
    const gate: RepairGate = { warranty: warranty.status, quoteDecision: null };
    const id = randomUUID();
    const steps: { at: number; to: RepairStatus; note: string | null }[] = [];
    let status = 'received' as RepairStatus;
    const move = (at: number, to: RepairStatus, note: string | null = null) => {
      const ok = repairTransition(status, to, gate);
      if (!ok.ok) throw new Error(`demo history: ${ok.message}`);
      steps.push({ at, to, note });
      status = to;
    };
    let t = after(created, minutes(10 + rand() * 80));
    move(t, 'diagnosing');
    let quote: RepairRow['quote'] = null;
    let refused = false;
    if (isChargeable(warranty.status)) {
      const quotedAt = after(t, minutes(20 + rand() * 40));
      move(quotedAt, 'awaiting_approval', 'quote sent to the customer');
      const decidedAt = after(quotedAt, minutes(30 + rand() * 300));
      refused = rand() < 0.12;
      quote = {
        // Minor units, as the API takes them: 150 to 900 yuan in steps of 10.
        amount: 1000 * Math.round(15 + rand() * 75),
        decision: refused ? 'refused' : 'approved',
        quotedAt: new Date(quotedAt),
        decidedAt: new Date(decidedAt),
      };
      gate.quoteDecision = quote.decision;
      t = decidedAt;
    }
    let readyAt: number | null = null;
    let closedAt: number;
    let payment: RepairRow['payment'] = null;
    if (refused) {
      closedAt = after(t, minutes(60 + rand() * 1200));
      move(closedAt, 'returned_unrepaired', 'quote refused; device returned');
    } else {
      const needsParts = rand() < f.parts * 0.5;
      if (needsParts) {
        t = after(t, minutes(10 + rand() * 30));
        move(t, 'awaiting_parts');
        t = after(t, minutes(600 + rand() * 1800));
      }
      t = after(t, minutes(needsParts ? 10 : 20 + rand() * 120));
      move(t, 'repairing');
      t = after(t, minutes(30 + rand() * 200));
      move(t, 'qa');
      const qaFails = rand() < 0.06;
      if (qaFails) {
        t = after(t, minutes(10 + rand() * 20));
        move(t, 'repairing', 'QA failed: retest');
        t = after(t, minutes(30 + rand() * 90));
        move(t, 'qa');
      }
      readyAt = after(t, minutes(5 + rand() * 25));
      move(readyAt, 'ready_for_pickup', 'QA passed');
      // Collected a median 20 hours after the SMS, a few only days later.
      closedAt = after(readyAt, minutes(Math.min(5 * 24 * 60, lognormal(rand, 20 * 60, 0.8))));
      if (quote) payment = { amount: quote.amount, method: pick(PAYMENT_METHODS), paidAt: new Date(closedAt) };
      move(closedAt, 'picked_up', payment ? `paid ${payment.amount} CNY (${payment.method})` : null);
    }
    // The past ends now: a repair still in the workshop or not collected by now is not made up.
    if (closedAt >= now - minutes(10)) continue;
    const survey = rand() < 0.7 ? { score: weighted(rand, SURVEY_SCORES), at: new Date(closedAt) } : null;
    seq += 1;
    const repair: RepairRow = {
      id,
      orderNo: formatRepairOrderNo(input.day, seq),
      daySeq: seq,
      customerId: customer.id,
      customerName: customer.name,
      customerPhone: customer.phone,
      brand,
      model,
      imei,
      deviceKey: deviceKey(imei, null)!,
      fault: f.fault,
      accessories: rand() < 0.3 ? ['charger'] : [],
      purchaseDate,
      warranty: { status: warranty.status, reason: warranty.reason, reasonZh: warranty.reasonZh },
      ticketId: intake.ticketId,
      status,
      promisedAt: new Date(created + 48 * 3_600_000),
      repeatOf: again?.repairId ?? null,
      technicianId: input.technicianId,
      diagnosisNote: f.diagnosis,
      partsNote: steps.some((s) => s.to === 'awaiting_parts') ? 'part ordered from the regional warehouse' : null,
      quote,
      payment,
      survey,
      createdAt: new Date(created),
      updatedAt: new Date(closedAt),
      readyAt: readyAt === null ? null : new Date(readyAt),
      closedAt: new Date(closedAt),
    };
    repairs.push(repair);
    if (!again) customers.push(customer);
    input.devices.push({ repairId: id, customer, imei, brand, model, at: new Date(created) });
    history.push({ repairId: id, at: new Date(created), by: 'frontdesk', kind: 'created', from: null, to: 'received', note: null });
    let from: RepairStatus = 'received';
    for (const s of steps) {
      if (quote && s.to === 'awaiting_approval') {
        history.push({ repairId: id, at: new Date(s.at), by: 'technician', kind: 'quote', from: null, to: `${quote.amount} CNY`, note: 'pending' });
      }
      history.push({
        repairId: id,
        at: new Date(s.at),
        by: DESK_STEPS.includes(s.to) ? 'frontdesk' : 'technician',
        kind: 'status',
        from,
        to: s.to,
        note: s.note,
      });
      from = s.to;
    }
    if (quote) history.push({ repairId: id, at: quote.decidedAt, by: 'frontdesk', kind: 'quote', from: 'pending', to: quote.decision, note: null });
    if (survey) history.push({ repairId: id, at: survey.at, by: 'frontdesk', kind: 'survey', from: null, to: String(survey.score), note: null });
    if (status === 'picked_up' && input.followUpDays > 0) {
      const due = followUpDueAt(new Date(closedAt), timeZone, input.followUpDays, input.callbackHour);
      callbacks.push(
        workCallback(input, due.getTime(), {
          phone: customer.phone,
          name: customer.name,
          reason: 'follow_up',
          repairId: id,
          callId: null,
          note: `${repair.orderNo}: ${brand} ${model}`,
          createdBy: 'system:pickup',
          createdAt: new Date(closedAt),
          outcome: weighted(rand, FOLLOW_UP_OUTCOMES),
        }),
      );
    }
  }
  // In time order (a stable sort keeps a step's quote before its status change): the screens list a repair's history
  // by insertion, as the API appends it.
  history.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { customers, repairs, history, callbacks };
}

/** What the callback desk hears: follow-ups mostly satisfied; an abandoned caller more often unreachable. */
const FOLLOW_UP_OUTCOMES: [CallbackOutcome, number][] = [
  ['reached_satisfied', 15],
  ['reached_unsatisfied', 1],
  ['unreachable', 3],
  ['wrong_number', 1],
];
const ABANDONED_OUTCOMES: [CallbackOutcome, number][] = [
  ['reached_satisfied', 14],
  ['reached_unsatisfied', 1],
  ['unreachable', 4],
  ['wrong_number', 1],
];

/** Callbacks of the day's abandoned calls (the hotline makes one for each, due at once), worked by the desk. */
export function abandonedCallbacks(
  calls: { callId: string; callerNumber: string; abandonedAt: Date }[],
  ctx: Pick<RepairDayInput, 'timeZone' | 'now' | 'callbackHour' | 'rand'>,
): CallbackRow[] {
  return calls.map((call) =>
    workCallback(ctx, call.abandonedAt.getTime(), {
      phone: call.callerNumber,
      name: null,
      reason: 'abandoned',
      repairId: null,
      callId: call.callId,
      note: null,
      createdBy: 'hotline',
      createdAt: call.abandonedAt,
      outcome: weighted(ctx.rand, ABANDONED_OUTCOMES),
    }),
  );
}
