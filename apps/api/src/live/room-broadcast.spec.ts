import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Namespace, type Socket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { RoomBroadcast } from './room-broadcast';

/** A real Socket.IO server (in-memory adapter) and screens connected to it, each joined to the room it asks for. */
describe('RoomBroadcast: messages for rooms written to real Socket.IO connections', () => {
  let http: HttpServer;
  let server: Server;
  let ns: Namespace;
  let url: string;
  const screens: { client: ClientSocket; got: unknown[]; server: Socket; tcpWrites: () => number }[] = [];

  async function screen(room: string, transport: 'websocket' | 'polling') {
    const joined = new Promise<Socket>((resolve) => ns.once('connection', resolve));
    const client = io(`${url}/live`, { path: '/socket.io', auth: { room }, transports: [transport], forceNew: true, reconnection: false });
    const got: unknown[] = [];
    client.on('event', (e: unknown) => got.push(e));
    const socket = await joined;
    await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
    // Counts the writes to a websocket's TCP connection: one a socket and flush is what the broadcast promises.
    let writes = 0;
    const tcp = (socket.conn.transport as unknown as { socket?: { _socket?: { write: (...a: unknown[]) => boolean } } }).socket?._socket;
    if (tcp) {
      const write = tcp.write.bind(tcp);
      tcp.write = (...a: unknown[]) => {
        writes++;
        return write(...a);
      };
    }
    const s = { client, got, server: socket, tcpWrites: () => writes };
    screens.push(s);
    return s;
  }

  /** A round trip on each screen: anything written to it before has arrived once this resolves. */
  const roundTrips = (list: { client: ClientSocket }[]) => Promise.all(list.map((s) => s.client.timeout(5000).emitWithAck('ping')));

  beforeAll(async () => {
    http = createServer();
    server = new Server(http, { path: '/socket.io' });
    ns = server.of('/live');
    ns.on('connection', (socket) => {
      void socket.join(String((socket.handshake.auth as { room?: string }).room));
      socket.on('ping', (ack: () => void) => ack());
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const s of screens) s.client.disconnect();
    await server.close();
  });

  it('gives websocket and long-polling screens the same messages in order, a websocket all of them in one write', async () => {
    const lobby = [
      await screen('lobby', 'websocket'),
      await screen('lobby', 'websocket'),
      await screen('lobby', 'websocket'),
      await screen('lobby', 'polling'),
    ];
    const staff = await screen('staff', 'websocket');
    const before = [...lobby, staff].map((s) => s.tcpWrites());

    const b = new RoomBroadcast(ns);
    expect(b.add('lobby', 'event', { seq: 1, text: '请 A012 到 3 号柜台' })).toBe(true);
    expect(b.add('staff', 'event', { seq: 1, staff: true })).toBe(true);
    expect(b.add('lobby', 'event', { seq: 2 })).toBe(true);
    expect(b.add('nobody-here', 'event', { seq: 3 })).toBe(false);
    // Five sockets: two a slice.
    expect(b.write(2)).toBe(false);
    expect(b.write(2)).toBe(false);
    expect(b.write(2)).toBe(true);
    // Counted before the round trips below, whose answers are writes too.
    const writes = [...lobby, staff].map((s, i) => s.tcpWrites() - before[i]);
    expect(writes.slice(0, 3)).toEqual([1, 1, 1]);
    expect(writes[4]).toBe(1);
    await roundTrips([...lobby, staff]);

    for (const s of lobby) expect(s.got).toEqual([{ seq: 1, text: '请 A012 到 3 号柜台' }, { seq: 2 }]);
    expect(staff.got).toEqual([{ seq: 1, staff: true }]);
  });

  it('reaches the sockets that were in the room when it was planned, skipping any that left meanwhile', async () => {
    const stays = await screen('wall', 'websocket');
    const leaves = await screen('wall', 'websocket');
    const b = new RoomBroadcast(ns);
    b.add('wall', 'event', { seq: 7 });
    const late = await screen('wall', 'websocket');
    await leaves.server.leave('wall');
    expect(b.write()).toBe(true);
    await roundTrips([stays, leaves, late]);
    expect(stays.got).toEqual([{ seq: 7 }]);
    expect(leaves.got).toEqual([]);
    expect(late.got).toEqual([]);
  });

  it('has nothing to write for rooms nobody is in', () => {
    const b = new RoomBroadcast(ns);
    b.add('empty-room', 'event', { seq: 1 });
    expect(b.empty).toBe(true);
    expect(b.write(0)).toBe(true);
  });
});
