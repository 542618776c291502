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
 *
 * The events' flushes (RoomBroadcast) write their frames with `writeFramesDirect`; the socket.io broadcasts of the
 * gateway (the seq beacon, revocations) come through `writeToEngine`.
 */

interface FrameOptions {
  wsPreEncodedFrame?: Buffer[];
  volatile?: boolean;
  [oneBuffer]?: Buffer;
}

interface TcpLike {
  writable: boolean;
  write(chunk: Buffer): boolean;
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

/** The TCP socket a frame can be written to directly: nothing queued in engine.io or ws, an open plain websocket. */
function directTcp(client: ClientLike): TcpLike | null {
  const conn = client.conn;
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
    return tcp;
  }
  return null;
}

function writeToEngine(this: ClientLike, encoded: unknown, opts: FrameOptions): void {
  const frame = opts.wsPreEncodedFrame;
  if (frame && !opts.volatile) {
    const tcp = directTcp(this);
    if (tcp) {
      tcp.write((opts[oneBuffer] ??= frame.length === 1 ? frame[0] : Buffer.concat(frame)));
      return;
    }
  }
  (engineWrite as ClientLike['writeToEngine']).call(this, encoded, opts);
}

/**
 * Writes `frames` (whole websocket frames, built once for all the sockets they go to) with one `write` when the socket
 * can take them directly (see above); false when it cannot, and socket.io's own path must send the packets.
 */
export function writeFramesDirect(socket: Socket, frames: Buffer): boolean {
  const tcp = directTcp(socket.client as unknown as ClientLike);
  if (!tcp) return false;
  tcp.write(frames);
  return true;
}

/** Sends this socket's broadcasts the direct way; a shared function, so it costs a socket one property. */
export function useDirectFrames(socket: Socket): void {
  const client = socket.client as unknown as ClientLike;
  if (client.writeToEngine === writeToEngine) return;
  engineWrite ??= client.writeToEngine;
  client.writeToEngine = writeToEngine;
}
