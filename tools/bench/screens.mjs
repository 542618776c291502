// One process of wall displays for tools/bench.mjs (started with fork): connects its share of Socket.IO clients,
// subscribes them to a branch's lobby view and notes when each event arrives. The displays are spread over several
// such processes so that the load generator, one Node thread per process, is not what the figures measure.
// Messages from the parent: {cmd: 'report'} → {seqs, arrivals, startSeqs}; {cmd: 'close'} → disconnects and exits.

import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const [url, token, branchId, count] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const screens = [];

async function connect() {
  const batch = 100;
  for (let i = 0; i < Number(count); i += batch) {
    const part = await Promise.all(
      Array.from({ length: Math.min(batch, Number(count) - i) }, async () => {
        const s = { socket: null, seqs: [], arrivals: [], seen: new Set(), startSeq: 0 };
        s.socket = io(`${url}/live`, { path: '/socket.io', auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false });
        s.socket.on('event', (e) => {
          const t = now();
          s.seqs.push(e.seq);
          const key = e.data?.ticket?.number;
          if (key && !s.seen.has(key)) {
            s.seen.add(key);
            s.arrivals.push([key, t]);
          }
        });
        await new Promise((res, rej) => {
          s.socket.once('connect', res);
          s.socket.once('connect_error', rej);
        });
        const ack = await s.socket.timeout(20_000).emitWithAck('subscribe', { branchId, view: 'display' });
        s.startSeq = ack.seq ?? 0;
        return s;
      }),
    );
    screens.push(...part);
  }
}

process.on('message', (m) => {
  if (m.cmd === 'report') {
    process.send({ screens: screens.map((s) => ({ seqs: s.seqs, arrivals: s.arrivals, startSeq: s.startSeq })) });
  } else if (m.cmd === 'close') {
    for (const s of screens) s.socket.disconnect();
    setTimeout(() => process.exit(0), 100);
  }
});

connect().then(
  () => process.send({ ready: screens.length }),
  (err) => {
    process.send({ error: String(err?.message ?? err) });
    process.exit(1);
  },
);
