import { createServer, type Server, type Socket } from 'node:net';
import type { HotlineEventInput } from '@frontdesk/contracts';
import { AmiConnector } from './ami-connector';
import { AmiFrameParser } from './ami-parser';
import { serverBytes } from './fixtures/replay';

/**
 * A local TCP server that speaks AMI: banner, checks the Login action, answers like Asterisk, then replays a
 * capture in uneven chunks. `sessions[i]` says what the i-th connection gets; the connection is closed after.
 */
async function fakeAsterisk(sessions: { secret: string; capture?: string }[], atPort = 0): Promise<{ server: Server; port: number; logins: Record<string, string>[] }> {
  const logins: Record<string, string>[] = [];
  let n = 0;
  const server = createServer((socket: Socket) => {
    const session = sessions[Math.min(n++, sessions.length - 1)];
    const parser = new AmiFrameParser();
    socket.write('Asterisk Call Manager/5.0.2\r\n');
    socket.on('data', (chunk) => {
      for (const msg of parser.feed(chunk)) {
        if (msg.get('Action')?.toLowerCase() !== 'login') continue;
        logins.push(msg.fields);
        if (msg.get('Secret') !== session.secret) {
          socket.end('Response: Error\r\nMessage: Authentication failed\r\n\r\n');
          return;
        }
        socket.write(`Response: Success\r\nActionID: ${msg.get('ActionID') ?? ''}\r\nMessage: Authentication accepted\r\n\r\n`);
        socket.write('Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n');
        const bytes = session.capture ? serverBytes(session.capture) : '';
        let i = 0;
        const next = () => {
          if (i >= bytes.length) return void socket.end();
          const size = 1 + ((i * 7919) % 301);
          socket.write(bytes.slice(i, i + size));
          i += size;
          setImmediate(next);
        };
        next();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(atPort, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, logins };
}

const waitUntil = async (probe: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('AMI connector against a local AMI server replaying real captures', () => {
  const branchId = '00000000-0000-4000-8000-000000000001';

  it('logs in, maps the replayed call, and after the server drops it reconnects and keeps going', async () => {
    const { server, port, logins } = await fakeAsterisk([
      { secret: 's3', capture: 'ami-callme-ast13-queue-connect-full.txt' },
      { secret: 's3', capture: 'ami-pami-issues-oldformat-samples.txt' },
    ]);
    const events: HotlineEventInput[] = [];
    const connector = new AmiConnector({ branchId, host: '127.0.0.1', port, username: 'fdl', secret: 's3' }, { onEvents: (e) => events.push(...e), minDelayMs: 20, leaveGraceMs: 50 });
    connector.start();
    try {
      await waitUntil(() => events.some((e) => e.callId === '1301942099.1324731' && e.type === 'call_answered'));
      expect(connector.connects).toBeGreaterThanOrEqual(2);
      expect(logins[0]).toMatchObject({ Action: 'Login', Username: 'fdl', Secret: 's3', Events: 'agent,call' });
      expect(events.filter((e) => e.callId === '1514295827.372').map((e) => e.type)).toEqual(['call_queued', 'call_answered', 'call_ended']);
    } finally {
      connector.stop();
      server.close();
    }
  });

  it('a refused login emits nothing and is retried with growing delays', async () => {
    const { server, port, logins } = await fakeAsterisk([{ secret: 'right' }]);
    const events: HotlineEventInput[] = [];
    const lines: string[] = [];
    const connector = new AmiConnector({ branchId, host: '127.0.0.1', port, username: 'fdl', secret: 'wrong' }, { onEvents: (e) => events.push(...e), minDelayMs: 20, maxDelayMs: 200, log: (l) => lines.push(l) });
    connector.start();
    try {
      await waitUntil(() => logins.length >= 3);
      expect(events).toEqual([]);
      expect(lines.some((l) => l.includes('login refused: Authentication failed'))).toBe(true);
      const delays = lines.filter((l) => l.includes('reconnecting in')).map((l) => Number(/in (\d+) ms/.exec(l)![1]));
      expect(delays[1]).toBeGreaterThan(delays[0]);
    } finally {
      connector.stop();
      server.close();
    }
  });

  it('reconnects when nothing listens yet, then connects once the server is up', async () => {
    const probe = await fakeAsterisk([{ secret: 's' }]);
    await new Promise((r) => probe.server.close(r));
    const events: HotlineEventInput[] = [];
    const connector = new AmiConnector({ branchId, host: '127.0.0.1', port: probe.port, username: 'u', secret: 's' }, { onEvents: (e) => events.push(...e), minDelayMs: 20, maxDelayMs: 50 });
    connector.start();
    let up: Awaited<ReturnType<typeof fakeAsterisk>> | null = null;
    try {
      await waitUntil(() => connector.connects >= 3);
      expect(events).toEqual([]);
      up = await fakeAsterisk([{ secret: 's', capture: 'ami-goami2-queuepause.txt' }], probe.port);
      await waitUntil(() => events.length >= 2);
      expect(events.map((e) => e.state)).toEqual(['available', 'paused']);
    } finally {
      connector.stop();
      up?.server.close();
    }
  });
});
