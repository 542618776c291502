import type { JobOutcome } from '@frontdesk/contracts';
import { JobRegistry, type JobHandler } from './job-registry';

const handler = (outcome: JobOutcome): JobHandler<'lobby.close-day'> => ({ name: 'lobby.close-day', handle: async () => outcome });

describe('job registry', () => {
  it('refuses to start when a job name has no handler', () => {
    expect(() => new JobRegistry([], ['lobby.close-day'])).toThrow('no handler for job(s): lobby.close-day');
  });

  it('refuses to start when a job name has two handlers', () => {
    expect(() => new JobRegistry([handler({ status: 'success' }), handler({ status: 'success' })], ['lobby.close-day'])).toThrow('two handlers');
  });

  it('runs the handler of the job by name and returns its outcome', async () => {
    const reg = new JobRegistry([handler({ status: 'skipped', detail: 'nothing open' })], ['lobby.close-day']);
    await expect(reg.run({ name: 'lobby.close-day', data: {} })).resolves.toEqual({ status: 'skipped', detail: 'nothing open' });
  });
});
