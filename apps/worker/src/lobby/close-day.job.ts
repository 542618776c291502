import type { DataSource } from 'typeorm';
import type { JobOutcome } from '@frontdesk/contracts';
import { BranchQueue, EventStoreRepository, QueueRepository, runBranchTransaction } from '@frontdesk/db';
import type { JobHandler } from '../jobs/job-registry';

export const DAY_CLOSED_REASON = 'day closed: the ticket was still open at local midnight';

/**
 * Closes tickets still open from an earlier local day. Today's queue already ignores them; closing them
 * frees the counters they hold and ends their tracking pages with a clear state. Runs through the same
 * branch transaction as the API, so the cancellations get seqs in the branch's event log and the API
 * publishes them to the screens.
 */
export class CloseDayJob implements JobHandler<'lobby.close-day'> {
  readonly name = 'lobby.close-day' as const;
  private readonly repo = new QueueRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
  ) {}

  async handle(data: { branchId?: string }): Promise<JobOutcome> {
    const branchIds = data.branchId ? [data.branchId] : await this.repo.branchesWithStaleTickets(this.ds.manager);
    let closed = 0;
    for (const branchId of branchIds) {
      const { result } = await runBranchTransaction(this.ds, this.store, branchId, 'worker:lobby.close-day', async (tx) => {
        const q = await BranchQueue.load(this.repo, tx.em, branchId, tx.now);
        const stale = await this.repo.staleTickets(tx.em, branchId, q.day);
        for (const t of stale) {
          t.status = 'cancelled';
          t.closedAt = tx.now;
          t.callReason = DAY_CLOSED_REASON;
          await this.repo.saveTicket(tx.em, t);
          const counter = q.counters.find((c) => c.currentTicketId === t.id);
          if (counter) {
            counter.currentTicketId = null;
            await this.repo.saveCounter(tx.em, counter);
          }
          tx.record('ticket.cancelled', { ticket: q.ticketDto(t), queue: q.stats(), reason: DAY_CLOSED_REASON });
        }
        return stale.length;
      });
      closed += result;
    }
    return closed ? { status: 'success', detail: `closed ${closed} ticket(s) in ${branchIds.length} branch(es)` } : { status: 'skipped', detail: 'no tickets left open from earlier days' };
  }
}
