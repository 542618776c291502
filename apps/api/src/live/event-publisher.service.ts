import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { LiveEvent } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EventStoreRepository } from '@frontdesk/db';
import { LiveConnections } from './live-connections.service';
import { eventsPublished } from '../health/metrics';

/**
 * Publishes committed events: this process's own at once after their commit, and, by a sweep, those that
 * other processes (the worker) committed without pushing. A screen that misses an event notices through the
 * `sync` beacon and replays it from the log.
 */
@Injectable()
export class EventPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly store: EventStoreRepository,
    private readonly live: LiveConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.OUTBOX_SWEEP_MS);
    this.timer.unref();
  }

  /** Stops sweeping before Nest closes the Socket.IO server and its Redis connections. */
  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Pushes events this process committed (they were written as published: see runBranchTransaction). */
  publish(events: LiveEvent[]): void {
    if (events.length === 0) return;
    if (this.live.emit(events)) eventsPublished.inc(events.length);
  }

  async sweep(): Promise<number> {
    if (this.sweeping || !this.live.namespace) return 0;
    this.sweeping = true;
    try {
      const events = await this.store.claimUnpublished(this.config.OUTBOX_SWEEP_MS, 500);
      if (events.length) {
        this.live.emit(events);
        eventsPublished.inc(events.length);
        this.logger.log(`outbox sweep published ${events.length} event(s)`);
      }
      return events.length;
    } catch (err) {
      this.logger.warn(`outbox sweep failed: ${String(err)}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }
}
