import type { Socket } from 'socket.io';

/**
 * Broadcasts written straight to each display's TCP socket.
 *
 * socket.io's adapter already encodes a broadcast once (`wsPreEncodedFrame`), but then hands it to every socket
 * through engine.io and ws: a packet object, a write buffer, flush/drain events, a cork/uncork `writev`, a write
 * callback and a nextTick per socket. At 1,000 displays that per-socket bookkeeping was about a quarter of the API's
 * CPU (profile in docs/live-events.md). Here a socket that has nothing queued in engine.io gets the frame with one
 * `write` of a buffer built once per broadcast; anything else (a queued ack, polling, a closing socket, volatile or
 * binary packets) takes socket.io's own path, so the bytes on the wire and their order are the same.
 */

interface FrameOptions {
  wsPreEncodedFrame?: Buffer[];
  volatile?: boolean;
  [oneBuffer]?: Buffer;
}

interface TcpLike {
  writable: boolean;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
}

interface WsLike {
  readyState: number;
  _socket?: TcpLike;
  _sender?: { _state: number; _queue: unknown[] };
}

interface ClientLike {
  conn: { readyState: string; writeBuffer: unknown[]; transport: { name: string; perMessageDeflate?: unknown; socket?: WsLike } };
  writeToEngine: (this: ClientLike, encoded: unknown, opts: FrameOptions) => void;
}

/** The header and payload of a pre-encoded frame joined once per broadcast: the options object is shared by its sockets. */
const oneBuffer = Symbol('one buffer');
const WS_OPEN = 1;

let engineWrite: ClientLike['writeToEngine'] | null = null;

/** The sockets written to inside `oneWritePerSocket`, corked until it ends. */
let corked: Set<TcpLike> | null = null;

/**
 * The broadcasts `fn` makes reach each socket in one `writev` instead of one write each: several events committed
 * together (a group commit, an outbox sweep) cost a display one system call, not one per event. The frames and their
 * order are unchanged; Node joins what was written while the socket was corked.
 */
export function oneWritePerSocket(fn: () => void): void {
  if (corked) return fn();
  const sockets = (corked = new Set());
  try {
    fn();
  } finally {
    corked = null;
    for (const tcp of sockets) tcp.uncork();
  }
}

function writeToEngine(this: ClientLike, encoded: unknown, opts: FrameOptions): void {
  const frame = opts.wsPreEncodedFrame;
  if (frame && !opts.volatile) {
    const conn = this.conn;
    const transport = conn.transport;
    const ws = transport.socket;
    const tcp = ws?._socket;
    if (
      ws &&
      tcp?.writable &&
      conn.readyState === 'open' &&
      conn.writeBuffer.length === 0 &&
      transport.name === 'websocket' &&
      !transport.perMessageDeflate &&
      ws.readyState === WS_OPEN &&
      ws._sender?._state === 0 &&
      ws._sender._queue.length === 0
    ) {
      if (corked && !corked.has(tcp)) {
        tcp.cork();
        corked.add(tcp);
      }
      tcp.write((opts[oneBuffer] ??= frame.length === 1 ? frame[0] : Buffer.concat(frame)));
      return;
    }
  }
  (engineWrite as ClientLike['writeToEngine']).call(this, encoded, opts);
}

/** Sends this socket's broadcasts the direct way; a shared function, so it costs a socket one property. */
export function useDirectFrames(socket: Socket): void {
  const client = socket.client as unknown as ClientLike;
  if (client.writeToEngine === writeToEngine) return;
  engineWrite ??= client.writeToEngine;
  client.writeToEngine = writeToEngine;
}
