import type { CounterStatus, PublicCounterDto, PublicTicketDto, ServiceQueueStat, TicketDto, CounterDto } from '@frontdesk/contracts';
import { estimateWaitSeconds, recentServiceSeconds } from './estimate';
import type { WaitingTicket } from './queue-order';

export interface StatService {
  id: string;
  defaultServiceSeconds: number;
}
export interface StatCounter {
  status: CounterStatus;
  serviceIds: readonly string[];
}

/** Open counters that serve a service: the divisor of the estimate, recomputed when counters open or close. */
export function openCountersFor(serviceId: string, counters: readonly StatCounter[]): number {
  return counters.filter((c) => c.status === 'open' && c.serviceIds.includes(serviceId)).length;
}

/** Waiting count, longest wait and the estimate a new ticket would get, per service. */
export function serviceQueueStats(input: {
  services: readonly StatService[];
  counters: readonly StatCounter[];
  waiting: readonly WaitingTicket[];
  recentDurations: ReadonlyMap<string, readonly number[]>;
  now: Date;
}): ServiceQueueStat[] {
  return input.services.map((s) => {
    const mine = input.waiting.filter((t) => t.serviceId === s.id);
    const oldest = mine.reduce<number | null>((min, t) => (min === null || t.createdAt.getTime() < min ? t.createdAt.getTime() : min), null);
    const openCounters = openCountersFor(s.id, input.counters);
    return {
      serviceId: s.id,
      waiting: mine.length,
      longestWaitSeconds: oldest === null ? 0 : Math.max(0, Math.round((input.now.getTime() - oldest) / 1000)),
      estimatedWaitSeconds: estimateWaitSeconds({
        peopleAhead: mine.length,
        openCounters,
        recentServiceSeconds: recentServiceSeconds(input.recentDurations.get(s.id) ?? [], s.defaultServiceSeconds),
      }),
      openCounters,
    };
  });
}

/** What a lobby screen may see of a ticket: no id, no phone. */
export function publicTicket(t: TicketDto): PublicTicketDto {
  return {
    number: t.number,
    serviceId: t.serviceId,
    serviceCode: t.serviceCode,
    status: t.status,
    counterId: t.counterId,
    counterName: t.counterName,
    calledAt: t.calledAt,
    recallCount: t.recallCount,
  };
}

export function publicCounter(c: CounterDto): PublicCounterDto {
  return { id: c.id, name: c.name, status: c.status, ticket: c.ticket ? publicTicket(c.ticket) : null };
}
