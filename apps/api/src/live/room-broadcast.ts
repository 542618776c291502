import type { Namespace } from 'socket.io';
import { writeFramesDirect } from './direct-frames';

/**
 * Sockets written in one turn of the event loop by a RoomBroadcast: between turns the loop reads requests and
 * database replies. At this VM's 8–20 µs a write (docs/live-events.md), 250 sockets are 2–5 ms.
 */
export const SLICE_SOCKETS = 250;

/** What socket.io's adapter does for a broadcast: the options its `_encode` fills with the pre-encoded frame. */
interface PacketOptions {
  preEncoded: true;
  wsPreEncodedFrame?: Buffer[];
}

/** The parts of socket.io's in-memory adapter (socket.io-adapter 2.5) a broadcast is made of. */
interface AdapterInternals {
  rooms: Map<string, Set<string>>;
  _encode(packet: object, opts: PacketOptions): unknown[];
}

interface EngineClient {
  writeToEngine(encoded: unknown[], opts: PacketOptions): void;
}

/** One room's part: its members when the broadcast was planned and the packets they get, in order. */
interface RoomPart {
  room: string;
  ids: string[];
  packets: { encoded: unknown[]; opts: PacketOptions }[];
  /**
   * Every packet's websocket frame, joined once for all the room's sockets when its first slice is written; null when
   * a packet has none (binary), undefined until joined.
   */
  frames: Buffer | null | undefined;
}

/** Socket.IO's packet type of an event (socket.io-parser's PacketType.EVENT). */
const EVENT = 2;

/**
 * Messages for rooms, written to their sockets a slice at a time (`write`), as socket.io's adapter would broadcast them:
 * each packet encoded once (`_encode`, with its pre-encoded websocket frame) and handed to every member.
 *
 * Unlike one `to(room).emit` per message:
 * - a socket gets all of a room's messages in one write (`writeFramesDirect`) where the adapter, with no cork, made one
 *   a message;
 * - the members are those of the moment the broadcast was planned, so slices written later reach the same sockets. A
 *   screen that joins in between reads the queue after its join (LiveGateway.subscribe), so nothing it is not sent is
 *   missing from its answer; one that left or disconnected is skipped;
 * - a socket that cannot take the frames directly (polling, something queued in engine.io) gets the packets through
 *   socket.io's own path, so bytes and order are the same for every transport.
 */
export class RoomBroadcast {
  private readonly parts: RoomPart[] = [];
  private part = 0;
  private next = 0;

  constructor(private readonly ns: Namespace) {}

  /** Adds `event` with `payload` for the sockets now in `room`; false when nobody is there (nothing is encoded). */
  add(room: string, event: string, payload: unknown): boolean {
    const adapter = this.ns.adapter as unknown as AdapterInternals;
    let part = this.parts.find((p) => p.room === room);
    if (!part) {
      const members = adapter.rooms.get(room);
      if (!members || members.size === 0) return false;
      part = { room, ids: [...members], packets: [], frames: undefined };
      this.parts.push(part);
    }
    const opts: PacketOptions = { preEncoded: true };
    part.packets.push({ encoded: adapter._encode({ type: EVENT, data: [event, payload], nsp: this.ns.name }, opts), opts });
    part.frames = undefined;
    return true;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Writes to at most `budget` more sockets; true when every socket has had its messages. */
  write(budget = Infinity): boolean {
    const sockets = this.ns.sockets;
    while (this.part < this.parts.length) {
      const part = this.parts[this.part];
      if (part.frames === undefined) part.frames = joinedFrames(part);
      while (this.next < part.ids.length) {
        if (budget-- <= 0) return false;
        const socket = sockets.get(part.ids[this.next++]);
        if (!socket || !socket.rooms.has(part.room)) continue;
        if (part.frames && writeFramesDirect(socket, part.frames)) continue;
        const client = socket.client as unknown as EngineClient;
        for (const p of part.packets) client.writeToEngine(p.encoded, p.opts);
      }
      this.part++;
      this.next = 0;
    }
    return true;
  }
}

function joinedFrames(part: RoomPart): Buffer | null {
  const frames: Buffer[] = [];
  for (const p of part.packets) {
    if (!p.opts.wsPreEncodedFrame) return null;
    frames.push(...p.opts.wsPreEncodedFrame);
  }
  return Buffer.concat(frames);
}
