import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRequest {
  at: number;
  key: string;
  body: string;
  headers: IncomingMessage['headers'];
  /** The status the gateway answered with; absent while held, or when the connection was reset. */
  status?: number;
}

export type GatewayReply = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export const reply =
  (status: number, body: unknown = {}): GatewayReply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
/** Never answers: the client's timeout (or its death) ends the request. */
export const hang: GatewayReply = () => undefined;
/** Drops the connection without an answer, as a gateway behind a failing load balancer does. */
export const reset: GatewayReply = (req) => req.socket.destroy();

/**
 * A local SMS gateway on loopback, like a real one: it records every request and delivers once per
 * Idempotency-Key (a repeated key is answered 200 with the first message id and not delivered again).
 */
export async function startGateway(script: GatewayReply[] = [reply(200)]) {
  const requests: GatewayRequest[] = [];
  const delivered = new Map<string, string>();
  const hung = new Set<{ request: GatewayRequest; res: ServerResponse }>();
  let replies = script;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      requests.push({ at: Date.now(), key, body, headers: req.headers });
      const n = requests.length - 1;
      const r = replies[Math.min(n, replies.length - 1)];
      if (r === hang) {
        const h = { request: requests[n], res };
        hung.add(h);
        res.on('close', () => hung.delete(h));
        return;
      }
      // Deliver when the scripted reply is a success.
      const origEnd = res.end.bind(res);
      res.end = ((chunk?: unknown) => {
        requests[n].status = res.statusCode;
        if (res.statusCode < 300) {
          if (!delivered.has(key)) delivered.set(key, `gw-${delivered.size + 1}`);
          return origEnd(JSON.stringify({ id: delivered.get(key) }));
        }
        return origEnd(chunk as string);
      }) as typeof res.end;
      r(req, res, n);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return {
    url,
    requests,
    delivered,
    setScript: (s: GatewayReply[]) => (replies = s),
    /** Requests held by `hang` whose connection is still open: sends the client is stuck in right now. */
    held: (): GatewayRequest[] => [...hung].map((h) => h.request),
    /** Resets the connection of every held request (the client sees a broken connection). */
    dropHeld: () => {
      for (const h of hung) h.res.socket?.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
export type Gateway = Awaited<ReturnType<typeof startGateway>>;
