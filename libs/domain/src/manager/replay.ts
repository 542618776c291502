import type { TicketStatus } from '@frontdesk/contracts';

/** A ticket as the event log knows it at the replayed instant: its latest state, and when it was first called. */
export interface ReplayTicket {
  id: string;
  number: string;
  serviceId: string;
  status: TicketStatus;
  counterId: string | null;
  createdAt: Date;
  firstCalledAt: Date | null;
}

export interface TicketEventRecord {
  seq: number;
  type: string;
  ticket: { id: string; number: string; serviceId: string; status: TicketStatus; counterId: string | null; createdAt: string; calledAt: string | null };
}

/** Fold the day's ticket events (in seq order, up to the instant) into each ticket's state at that instant. */
export function foldTicketEvents(events: readonly TicketEventRecord[]): ReplayTicket[] {
  const byId = new Map<string, ReplayTicket>();
  for (const e of events) {
    const t = e.ticket;
    const prev = byId.get(t.id);
    const calledNow = e.type === 'ticket.called' && t.calledAt ? new Date(t.calledAt) : null;
    byId.set(t.id, {
      id: t.id,
      number: t.number,
      serviceId: t.serviceId,
      status: t.status,
      counterId: t.counterId,
      createdAt: new Date(t.createdAt),
      firstCalledAt: prev?.firstCalledAt ?? calledNow,
    });
  }
  return [...byId.values()];
}

/** Continuous percentile (linear interpolation), as Postgres `percentile_cont`. */
export function percentileCont(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const [a, b] = [sorted[lo] ?? 0, sorted[hi] ?? 0];
  return a + (b - a) * (pos - lo);
}

/** The lobby tiles at an instant, with the same definitions as the live tiles (DOMAIN.md). */
export function lobbyKpisAt(tickets: readonly ReplayTicket[], at: Date) {
  const waiting = tickets.filter((t) => t.status === 'waiting');
  const waits = tickets.filter((t) => t.firstCalledAt).map((t) => (t.firstCalledAt!.getTime() - t.createdAt.getTime()) / 1000);
  const noShows = tickets.filter((t) => t.status === 'no_show').length;
  const oldest = waiting.reduce<number | null>((m, t) => (m === null || t.createdAt.getTime() < m ? t.createdAt.getTime() : m), null);
  return {
    'lobby.waiting': waiting.length,
    'lobby.wait.avg': waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : null,
    'lobby.wait.p90': percentileCont(waits, 0.9),
    'lobby.wait.longest': oldest === null ? 0 : Math.max(0, (at.getTime() - oldest) / 1000),
    'lobby.noshow.rate': waits.length ? noShows / waits.length : null,
  };
}
