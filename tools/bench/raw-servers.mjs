// Baselines for the benchmark, each a bare server in its own process (like the API):
//   node raw-servers.mjs socketio <port>   a bare Socket.IO server; POST /emit?n=N broadcasts N timestamped payloads
//   node raw-servers.mjs http <port>       a bare node:http hello world
//   node raw-servers.mjs nest <port>       a bare Nest hello world on Fastify, the API's framework (one controller:
//                                          no guard, pipe, interceptor, logger or database)
import 'reflect-metadata';
import http from 'node:http';
import { Server } from 'socket.io';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);

if (kind === 'http') {
  http
    .createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":"world"}');
    })
    .listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
} else if (kind === 'nest') {
  // Decorators applied by hand: this file is plain JavaScript.
  class Hello {
    hello() {
      return { hello: 'world' };
    }
  }
  Get()(Hello.prototype, 'hello', Object.getOwnPropertyDescriptor(Hello.prototype, 'hello'));
  Controller()(Hello);
  class HelloModule {}
  Module({ controllers: [Hello] })(HelloModule);
  const app = await NestFactory.create(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(port, '127.0.0.1');
  process.stdout.write('ready\n');
} else if (kind === 'socketio') {
  let seq = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/emit')) {
      // The same shape and size as a lobby ticket event.
      const at = Date.now();
      seq += 1;
      io.of('/live').to('lobby').emit('event', {
        seq,
        branchId: '00000000-0000-4000-8000-000000000000',
        type: 'ticket.created',
        at: new Date(at).toISOString(),
        sentAt: at,
        data: {
          ticket: { number: `A${String(seq).padStart(3, '0')}`, serviceId: 's', serviceCode: 'A', status: 'waiting', counterId: null, counterName: null, calledAt: null, recallCount: 0 },
          queue: [1, 2, 3, 4].map((i) => ({ serviceId: `s${i}`, waiting: 3, longestWaitSeconds: 120, estimatedWaitSeconds: 300, openCounters: 2 })),
        },
      });
      res.end(String(seq));
      return;
    }
    if (req.url === '/heap') {
      globalThis.gc?.();
      res.end(String(process.memoryUsage().heapUsed));
      return;
    }
    res.writeHead(404).end();
  });
  const io = new Server(server, { path: '/socket.io' });
  io.of('/live').on('connection', (socket) => {
    socket.on('subscribe', (_req, ack) => {
      void socket.join('lobby');
      ack?.({ ok: true, seq });
    });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
} else {
  process.stderr.write('usage: raw-servers.mjs socketio|http|nest <port>\n');
  process.exit(2);
}
