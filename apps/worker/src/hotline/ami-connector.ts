import { connect, type Socket } from 'node:net';
import type { HotlineEventInput } from '@frontdesk/contracts';
import { AmiEventMapper } from './ami-mapper';
import { amiAction, AmiFrameParser } from './ami-parser';

export interface AmiConnectionConfig {
  /** The branch whose hotline this Asterisk serves. */
  branchId: string;
  host: string;
  port: number;
  username: string;
  secret: string;
}

export interface AmiConnectorOptions {
  /** Where the normalized events go (the signed HTTP sink in production, an array in tests). */
  onEvents: (events: HotlineEventInput[]) => void;
  log?: (line: string) => void;
  /** Reconnect backoff: minDelayMs doubling up to maxDelayMs, with ±20 % jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  leaveGraceMs?: number;
  now?: () => Date;
}

export type AmiState = 'connecting' | 'logging_in' | 'connected' | 'waiting' | 'stopped';

/**
 * One Asterisk Manager Interface connection: TCP, `Action: Login` with `Events: agent,call` (queue events),
 * map each queue event to the hotline's events; on close, refusal or a failed login, reconnect with backoff.
 */
export class AmiConnector {
  state: AmiState = 'waiting';
  /** How many times a connection was (re)opened; tests and logs read it. */
  connects = 0;
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private readonly mapper: AmiEventMapper;

  constructor(
    private readonly config: AmiConnectionConfig,
    private readonly options: AmiConnectorOptions,
  ) {
    this.mapper = new AmiEventMapper({ leaveGraceMs: options.leaveGraceMs, idPrefix: `ami` });
  }

  start(): void {
    if (this.state === 'stopped') return;
    this.flushTimer ??= setInterval(() => this.emit(this.mapper.flush(this.now())), 500);
    this.flushTimer.unref();
    this.open();
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.timer = null;
    this.flushTimer = null;
    this.socket?.destroy();
    this.socket = null;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private log(line: string): void {
    this.options.log?.(`ami ${this.config.host}:${this.config.port} (branch ${this.config.branchId}): ${line}`);
  }

  private emit(events: HotlineEventInput[]): void {
    if (events.length) this.options.onEvents(events);
  }

  private open(): void {
    this.state = 'connecting';
    this.connects += 1;
    const parser = new AmiFrameParser();
    const socket = connect({ host: this.config.host, port: this.config.port });
    this.socket = socket;
    socket.setKeepAlive(true, 30_000);
    socket.setNoDelay(true);
    let loggedIn = false;
    socket.on('connect', () => {
      this.state = 'logging_in';
      socket.write(amiAction({ Action: 'Login', ActionID: 'fdl-login', Username: this.config.username, Secret: this.config.secret, Events: 'agent,call' }));
    });
    socket.on('data', (chunk) => {
      for (const msg of parser.feed(chunk)) {
        const response = msg.get('Response');
        if (!loggedIn && response) {
          if (response.toLowerCase() === 'success') {
            loggedIn = true;
            this.state = 'connected';
            this.failures = 0;
            this.log(`logged in (${parser.banner ?? 'no banner'})`);
          } else {
            this.log(`login refused: ${msg.get('Message') ?? response}`);
            socket.destroy();
          }
          continue;
        }
        if (loggedIn) this.emit(this.mapper.map(msg, this.now()));
      }
    });
    socket.on('error', (err) => this.log(`connection error: ${err.message}`));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (this.state === 'stopped') return;
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    this.state = 'waiting';
    this.failures += 1;
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.failures - 1, 10)) * (0.8 + Math.random() * 0.4);
    this.log(`disconnected; reconnecting in ${Math.round(delay)} ms`);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
    this.timer.unref();
  }
}
