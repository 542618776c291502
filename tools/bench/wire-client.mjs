// A Socket.IO client for the benchmark's wall displays that speaks the protocol itself over a `ws` WebSocket: the
// frames on the wire are the ones socket.io-client exchanges with the server (Engine.IO v4, Socket.IO v5, text
// packets, websocket transport only), without its per-message layers (engine and socket emitters, packet objects,
// debug calls, the parser's state machine). Each event's JSON is still parsed, as a display's is.
//
//   server → client  0{"sid",...}            Engine.IO open
//   client → server  40/live,{"token":...}   connect to the namespace with auth
//   server → client  40/live,{"sid":...}     connected (44/live,{...} refused)
//   server → client  2 / client → server 3   ping / pong
//   client → server  42/live,7["subscribe",{...}]   an emit with ack id 7
//   server → client  43/live,7[{...}]        its ack
//   server → client  42/live,["event",{...}] an event
//   server → client  41/live,                the server disconnected the socket

import WebSocket from 'ws';

export function connectWire(httpUrl, { namespace, auth, onEvent, timeoutMs = 20_000 }) {
  const wsUrl = `${httpUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const prefix = `${namespace},`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const acks = new Map();
    let nextAck = 0;
    const timer = setTimeout(() => fail(new Error(`no connect within ${timeoutMs} ms`)), timeoutMs);
    let connected = false;
    function fail(err) {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    }
    const client = {
      emitWithAck(name, body, ms) {
        const id = nextAck++;
        ws.send(`42${prefix}${id}${JSON.stringify([name, body])}`);
        return new Promise((res, rej) => {
          const t = setTimeout(() => {
            acks.delete(id);
            rej(new Error(`${name}: no ack within ${ms} ms`));
          }, ms);
          acks.set(id, (args) => {
            clearTimeout(t);
            res(args[0]);
          });
        });
      },
      close() {
        if (ws.readyState === WebSocket.OPEN) ws.send(`41${prefix}`);
        ws.close();
      },
    };
    ws.on('error', (err) => (connected ? undefined : fail(err)));
    ws.on('message', (data) => {
      const text = data.toString();
      const type = text.charCodeAt(0);
      if (type === 50 /* 2: ping */) return ws.send('3');
      if (type !== 52 /* 4: message */) {
        if (type === 48 /* 0: open */) ws.send(`40${prefix}${JSON.stringify(auth ?? {})}`);
        return;
      }
      const kind = text[1];
      if (!text.startsWith(prefix, 2)) return;
      let i = 2 + prefix.length;
      if (kind === '2') {
        const args = JSON.parse(text.slice(i));
        onEvent(args[0], args[1]);
      } else if (kind === '3') {
        let id = 0;
        while (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) id = id * 10 + text.charCodeAt(i++) - 48;
        acks.get(id)?.(JSON.parse(text.slice(i)));
        acks.delete(id);
      } else if (kind === '0') {
        connected = true;
        clearTimeout(timer);
        resolve(client);
      } else if (kind === '4') {
        fail(new Error(`connect refused: ${text.slice(i)}`));
      }
    });
  });
}
