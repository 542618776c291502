import type { RepairActorDto, RepairDto, RepairHistoryEntryDto, RepairSummaryDto, PublicRepairDto } from '@frontdesk/contracts';
import { allowedRepairTransitions, isRepairOverdue, maskName, maskPhone } from '@frontdesk/domain';
import type { RepairEntity, RepairHistoryEntity, RepairLinks } from '@frontdesk/db';

/** principalLabel (user:<id>:<username>, device:<id>:<name>) back into who did it. */
export function actorOf(label: string): RepairActorDto {
  const [kind, id, ...rest] = label.split(':');
  if (kind === 'user' || kind === 'device') return { kind, id: id ?? null, name: rest.join(':') || (id ?? '') };
  return { kind: 'system', id: null, name: label };
}

export function historyDto(h: RepairHistoryEntity): RepairHistoryEntryDto {
  return {
    at: h.at.toISOString(),
    actor: actorOf(h.actor),
    kind: h.kind as RepairHistoryEntryDto['kind'],
    from: h.fromValue,
    to: h.toValue,
    note: h.note,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The board's and the events' view of a repair: everything but the full phone number and the history. */
export function repairSummary(r: RepairEntity, links: RepairLinks, now: Date): RepairSummaryDto {
  const repeat = r.repeatOf ? links.repeatOf.get(r.repeatOf) : undefined;
  return {
    id: r.id,
    branchId: r.branchId,
    orderNo: r.orderNo,
    status: r.status,
    customer: { id: r.customerId, name: r.customerName, phoneMasked: maskPhone(r.customerPhone) ?? '' },
    device: { brand: r.brand, model: r.model, imei: r.imei, serial: r.serial },
    fault: r.fault,
    condition: r.condition,
    accessories: r.accessories ?? [],
    purchaseDate: r.purchaseDate,
    warranty: {
      status: r.warrantyStatus,
      reason: r.warrantyOverrideNote ? `overridden: ${r.warrantyOverrideNote}` : r.warrantyReason,
      reasonZh: r.warrantyOverrideNote ? `人工调整：${r.warrantyOverrideNote}` : r.warrantyReasonZh,
      overridden: r.warrantyOverrideNote !== null,
      computedStatus: r.warrantyComputed,
      overrideNote: r.warrantyOverrideNote,
    },
    notify: r.notify,
    ticketId: r.ticketId,
    ticketNumber: r.ticketId ? (links.ticketNumber.get(r.ticketId) ?? null) : null,
    promisedAt: r.promisedAt.toISOString(),
    overdue: isRepairOverdue(r.status, r.promisedAt, now),
    repeatOf: repeat ? { id: repeat.id, orderNo: repeat.orderNo, status: repeat.status, createdAt: repeat.createdAt.toISOString() } : null,
    technician: r.technicianId ? { id: r.technicianId, name: links.technicianName.get(r.technicianId) ?? '' } : null,
    diagnosisNote: r.diagnosisNote,
    partsNote: r.partsNote,
    quote:
      r.quoteAmount !== null && r.quoteCurrency && r.quoteDecision && r.quotedAt
        ? { amount: r.quoteAmount, currency: r.quoteCurrency, decision: r.quoteDecision, quotedAt: r.quotedAt.toISOString(), decidedAt: iso(r.quoteDecidedAt) }
        : null,
    payment:
      r.paymentAmount !== null && r.paymentCurrency && r.paymentMethod && r.paidAt
        ? { amount: r.paymentAmount, currency: r.paymentCurrency, method: r.paymentMethod, paidAt: r.paidAt.toISOString() }
        : null,
    pickup: { locked: r.pickupLockedAt !== null, failedAttempts: r.pickupFailedAttempts },
    survey: r.surveyScore !== null && r.surveyAt ? { score: r.surveyScore, comment: r.surveyComment, at: r.surveyAt.toISOString() } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    readyAt: iso(r.readyAt),
    closedAt: iso(r.closedAt),
    allowedTransitions: allowedRepairTransitions(r.status, { warranty: r.warrantyStatus, quoteDecision: r.quoteDecision }),
  };
}

export function repairDto(r: RepairEntity, links: RepairLinks, history: RepairHistoryEntity[], now: Date): RepairDto {
  const s = repairSummary(r, links, now);
  return { ...s, customer: { ...s.customer, phone: r.customerPhone, altPhone: r.altPhone }, history: history.map(historyDto) };
}

/** The wall display's ready-for-pickup board: order number and masked name only. */
export function publicRepair(r: RepairEntity): PublicRepairDto {
  return { orderNo: r.orderNo, status: r.status, customerName: maskName(r.customerName) ?? '', readyAt: iso(r.readyAt), updatedAt: r.updatedAt.toISOString() };
}
