import type { DataSource } from 'typeorm';
import type { JobDataMap, JobOutcome } from '@frontdesk/contracts';
import { BranchLines, CallbackRepository, EventStoreRepository, type BranchTransaction } from '@frontdesk/db';
import type { JobHandler } from '../jobs/job-registry';

/**
 * A scheduled callback's time has come: in a branch transaction it turns `due` and `callback.due` gets the branch's
 * next seq; the API's outbox sweep pushes it to the consoles. The update only applies while the callback is still
 * scheduled for this due time, under the branch lock, so a duplicate job (or the sweep racing the job) finds nothing
 * to do and no second event is written. Callbacks of one branch falling due together commit together (BranchLines:
 * a burst of promised callbacks at 10:00 is one transaction, not one per callback behind the branch lock).
 */
export class CallbackDueJob implements JobHandler<'callback.due'> {
  readonly name = 'callback.due' as const;
  private readonly repo = new CallbackRepository();
  private readonly lines: BranchLines;

  constructor(ds: DataSource, store: EventStoreRepository) {
    // The API's outbox sweep pushes the events (NOTIFY at commit).
    this.lines = new BranchLines(ds, store, { publishesItself: false, committed: () => undefined });
  }

  async handle(data: JobDataMap['callback.due']): Promise<JobOutcome> {
    const dueAt = new Date(data.dueAt);
    const fn = async (tx: BranchTransaction): Promise<JobOutcome> => {
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
    };
    return (await this.lines.run(data.branchId, { actor: 'worker:callback.due', fn })) as JobOutcome;
  }
}
