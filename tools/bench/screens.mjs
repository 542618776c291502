// One process of wall displays for tools/bench.mjs (started with fork): connects its share of Socket.IO clients,
// subscribes them to a branch's lobby view and notes when each event arrives. The displays are spread over several
// such processes so that the load generator, one Node thread per process, is not what the figures measure.
// Messages from the parent: {cmd: 'report'} → {seqs, arrivals, startSeqs}; {cmd: 'close'} → disconnects and exits.
//
// Two clients (BENCH_SCREEN_CLIENT):
//   wire (default)  Socket.IO's protocol spoken over a `ws` WebSocket, as tools/bench/wire-client.mjs describes:
//                   the same frames on the wire as socket.io-client sends and reads, each event's JSON parsed,
//                   without socket.io-client's per-message layers (at 3,000 displays its parser and emitters took a
//                   fifth of this process's time, and GC 8 %).
//   socket.io       socket.io-client itself, as the lobby display's browser runs it. At 3,000 displays × 20 events a
//                   second this process then competes with the API for the machine's two cores, and the figures
//                   measure the load generator as much as the server (docs/benchmarks.md).

import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { connectWire } from './wire-client.mjs';

const [url, token, branchId, count] = process.argv.slice(2);
const CLIENT = process.env.BENCH_SCREEN_CLIENT ?? 'wire';
const now = () => performance.timeOrigin + performance.now();
const screens = [];

function onEvent(s, e) {
  const t = now();
  s.seqs.push(e.seq);
  const key = e.data?.ticket?.number;
  if (key && !s.seen.has(key)) {
    s.seen.add(key);
    s.arrivals.push([key, t]);
  }
}

async function connectSocketIo(s) {
  s.socket = io(`${url}/live`, { path: '/socket.io', auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false });
  s.socket.on('event', (e) => onEvent(s, e));
  await new Promise((res, rej) => {
    s.socket.once('connect', res);
    s.socket.once('connect_error', rej);
  });
  const ack = await s.socket.timeout(20_000).emitWithAck('subscribe', { branchId, view: 'display' });
  s.startSeq = ack.seq ?? 0;
  s.close = () => s.socket.disconnect();
}

async function connectWireClient(s) {
  const client = await connectWire(url, { namespace: '/live', auth: token ? { token } : {}, onEvent: (name, e) => name === 'event' && onEvent(s, e) });
  const ack = await client.emitWithAck('subscribe', { branchId, view: 'display' }, 20_000);
  s.startSeq = ack.seq ?? 0;
  s.close = () => client.close();
}

async function connect() {
  const batch = 100;
  for (let i = 0; i < Number(count); i += batch) {
    const part = await Promise.all(
      Array.from({ length: Math.min(batch, Number(count) - i) }, async () => {
        const s = { seqs: [], arrivals: [], seen: new Set(), startSeq: 0, close: () => undefined };
        await (CLIENT === 'socket.io' ? connectSocketIo(s) : connectWireClient(s));
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
    for (const s of screens) s.close();
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
