// Baseline for the jobs part of the benchmark: a bare BullMQ Queue + Worker with no-op jobs, in its own process.
//   node raw-bullmq.mjs throughput <redisUrl> <n> <concurrency>   adds n no-op jobs at once; jobs/s from the first add to the last completion
//   node raw-bullmq.mjs delayed <redisUrl> <k> <aheadMs> <spreadMs> k delayed no-op jobs due aheadMs..aheadMs+spreadMs from now;
//                                                                  how late each started past its due time
// Prints one JSON line with the figures.
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [kind, redisUrl, ...rest] = process.argv.slice(2);
const prefix = `bench-raw-${process.pid}-${Date.now()}`;
const now = () => performance.timeOrigin + performance.now();
const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
const queue = new Queue('raw', { connection, prefix });

async function run() {
  if (kind === 'throughput') {
    const [n, concurrency] = rest.map(Number);
    let done = 0;
    let last = 0;
    const finished = new Promise((resolve) => {
      worker = new Worker('raw', async () => undefined, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency, autorun: true });
      worker.on('completed', () => {
        done += 1;
        last = now();
        if (done === n) resolve();
      });
    });
    await worker.waitUntilReady();
    const t0 = now();
    for (let i = 0; i < n; i += 500) {
      await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { jobId: `j${i + j}`, removeOnComplete: true } })));
    }
    await finished;
    return { n, seconds: (last - t0) / 1000, perSecond: n / ((last - t0) / 1000) };
  }
  if (kind === 'delayed') {
    const [k, aheadMs, spreadMs] = rest.map(Number);
    const late = [];
    const finished = new Promise((resolve) => {
      worker = new Worker(
        'raw',
        async (job) => {
          late.push(Date.now() - job.data.due);
          if (late.length === k) resolve();
        },
        { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency: 4 },
      );
    });
    await worker.waitUntilReady();
    const base = Date.now() + aheadMs;
    for (let i = 0; i < k; i++) {
      const due = base + Math.round((i * spreadMs) / k);
      await queue.add('noop', { due }, { jobId: `d${i}`, delay: due - Date.now(), removeOnComplete: true });
    }
    await finished;
    return { k, late };
  }
  throw new Error('usage: raw-bullmq.mjs throughput|delayed <redisUrl> ...');
}

let worker;
run()
  .then(async (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await connection.quit();
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  });
