import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import type { ClientToServerEvents, LiveEvent, PublicLiveEvent, ServerToClientEvents, SubscribeAck, SubscribeRequest } from '@frontdesk/contracts';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { signHotlineBody } from '../hotline/hotline-signature';
import { collectRoutes, type Route } from './routes';

export interface TestApi {
  app: NestFastifyApplication;
  url: string;
  /** Every route the app registered (test-support/routes.ts). */
  routes: Route[];
  ds: DataSource;
  close(): Promise<void>;
}

/** The real API (Postgres, Redis, Socket.IO adapter) on a free port, configured like production. */
export async function startApi(env: Record<string, string> = {}): Promise<TestApi> {
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    DEMO_MODE: 'true',
    LOG_LEVEL: 'silent',
    OUTBOX_SWEEP_MS: '200',
    SYNC_INTERVAL_MS: '500',
    ...env,
  });
  const app = await createApp(config);
  const routes = collectRoutes({ app });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    routes,
    ds: app.get<DataSource>(getDataSourceToken()),
    close: async () => {
      // A test that failed before disconnecting its live clients would leave them reconnecting forever, which keeps
      // jest from exiting after the last suite (the stage then stops only at its timeout).
      for (const socket of liveClients) socket.disconnect();
      liveClients.clear();
      await app.close();
    },
  };
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny HTTP client that speaks the contract: JSON in and out, a bearer token, an optional Idempotency-Key. */
export function client(baseUrl: string, token?: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult<T>> {
    const res = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body),
    del: <T = any>(path: string) => call<T>('DELETE', path),
    key: () => ({ 'Idempotency-Key': randomUUID() }),
  };
}

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every live client of this test file, disconnected when its API closes. */
const liveClients = new Set<LiveClient>();

/** A Socket.IO client on /live that records every event it receives. */
export async function liveClient(baseUrl: string, token?: string): Promise<{ socket: LiveClient; events: (LiveEvent | PublicLiveEvent)[] }> {
  const socket: LiveClient = io(`${baseUrl}/live`, { path: '/socket.io', auth: token ? { token } : {}, transports: ['websocket'], forceNew: true });
  liveClients.add(socket);
  const events: (LiveEvent | PublicLiveEvent)[] = [];
  socket.on('event', (e) => events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return { socket, events };
}

export function subscribe(socket: LiveClient, req: SubscribeRequest): Promise<SubscribeAck> {
  return socket.timeout(5000).emitWithAck('subscribe', req);
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Posts events to the hotline webhook as the telephone system does: signed with the branch's secret over the body. */
export function postHotlineEvents(baseUrl: string, secret: string, branchId: string, events: object[]): Promise<Response> {
  const raw = JSON.stringify({ branchId, events });
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${baseUrl}/api/hotline/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signHotlineBody(secret, ts, raw) },
    body: raw,
  });
}
