import type { DataSource } from 'typeorm';
import type { JobDataMap, JobOutcome } from '@frontdesk/contracts';
import { CallbackRepository, EventStoreRepository, runBranchTransaction } from '@frontdesk/db';
import type { JobHandler } from '../jobs/job-registry';

/**
 * A scheduled callback's time has come: in a branch transaction it turns `due` and `callback.due` gets the branch's
 * next seq; the API's outbox sweep pushes it to the consoles. The update only applies while the callback is still
 * scheduled for this due time, under the branch lock, so a duplicate job (or the sweep racing the job) finds nothing
 * to do and no second event is written.
 */
export class CallbackDueJob implements JobHandler<'callback.due'> {
  readonly name = 'callback.due' as const;
  private readonly repo = new CallbackRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
  ) {}

  async handle(data: JobDataMap['callback.due']): Promise<JobOutcome> {
    const dueAt = new Date(data.dueAt);
    const { result } = await runBranchTransaction(this.ds, this.store, data.branchId, 'worker:callback.due', async (tx) => {
      const callback = await this.repo.markDue(tx.em, data.callbackId, dueAt, tx.now);
      if (callback) {
        tx.record('callback.due', { callback });
        return { status: 'success', detail: `callback ${callback.id} is due` } as const;
      }
      const current = await this.repo.find(tx.em, data.callbackId, tx.now);
      if (current?.status === 'scheduled' && new Date(current.dueAt).getTime() === dueAt.getTime()) {
        // Fired early by the database's clock: failing makes BullMQ try again after its backoff.
        return { status: 'failed', detail: `callback ${data.callbackId} is not due until ${current.dueAt}` } as const;
      }
      return { status: 'skipped', detail: `callback ${data.callbackId} is ${current ? `${current.status}, due ${current.dueAt}` : 'gone'}` } as const;
    });
    return result;
  }
}
