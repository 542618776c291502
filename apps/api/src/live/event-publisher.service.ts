import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import type { LiveEvent } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENTS_CHANNEL, EventStoreRepository } from '@frontdesk/db';
import { LiveConnections } from './live-connections.service';
import { eventsPublished } from '../health/metrics';

/**
 * Publishes committed events: this process's own at once after their commit, and, by a sweep, those that
 * other processes (the worker) committed without pushing. The worker's commit sends a Postgres NOTIFY, so the
 * sweep runs as soon as they are committed; the timer catches the rest (a notification lost while the listening
 * connection was down, an API process that died between its commit and its emit). A screen that misses an event
 * notices through the `sync` beacon and replays it from the log.
 */
@Injectable()
export class EventPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  /** A notification came in during a sweep: sweep again when it ends. */
  private again = false;
  private listener: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly store: EventStoreRepository,
    private readonly live: LiveConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.OUTBOX_SWEEP_MS);
    this.timer.unref();
    void this.listen(0);
  }

  /** Stops sweeping before Nest closes the Socket.IO server and its Redis connections. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnect) clearTimeout(this.reconnect);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
  }

  /** Pushes events this process committed (they were written as published: see runBranchTransaction). */
  publish(events: LiveEvent[]): void {
    if (events.length === 0) return;
    if (this.live.emit(events)) eventsPublished.inc(events.length);
  }

  /** `olderThanMs` 0 after a notification: the events it announces are committed and nobody else pushes them. */
  async sweep(olderThanMs = this.config.OUTBOX_SWEEP_MS): Promise<number> {
    if (!this.live.namespace) return 0;
    if (this.sweeping) {
      if (olderThanMs === 0) this.again = true;
      return 0;
    }
    this.sweeping = true;
    try {
      const events = await this.store.claimUnpublished(olderThanMs, 500);
      if (events.length) {
        this.live.emit(events);
        eventsPublished.inc(events.length);
        this.logger.debug(`outbox sweep published ${events.length} event(s)`);
      }
      return events.length;
    } catch (err) {
      this.logger.warn(`outbox sweep failed: ${String(err)}`);
      return 0;
    } finally {
      this.sweeping = false;
      if (this.again) {
        this.again = false;
        void this.sweep(0);
      }
    }
  }

  /** LISTENs on its own connection; lost (Postgres restarted), it comes back after a pause while the timer goes on. */
  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'frontdesk-api-events' });
    const retry = (err: unknown) => {
      if (this.stopped || this.listener !== client) return;
      this.listener = null;
      this.logger.warn(`event notifications lost (${String((err as Error)?.message ?? err)}); the outbox sweep covers them until they are back`);
      void client.end().catch(() => undefined);
      this.reconnect = setTimeout(() => void this.listen(attempt + 1), Math.min(500 * 2 ** attempt, 10_000));
      this.reconnect.unref();
    };
    this.listener = client;
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection ended')));
    client.on('notification', () => void this.sweep(0));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) return void client.end().catch(() => undefined);
      attempt = 0;
      // Whatever was committed while nobody listened.
      void this.sweep(0);
    } catch (err) {
      retry(err);
    }
  }
}
