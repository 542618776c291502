import { createHmac } from 'node:crypto';
import { HOTLINE_MAX_EVENTS, type HotlineEventInput } from '@frontdesk/contracts';

export interface SinkOptions {
  apiUrl: string;
  branchId: string;
  secret: string;
  log?: (line: string) => void;
  fetchImpl?: typeof fetch;
}

/**
 * Sends normalized events to `POST /api/hotline/events`, signed with the branch secret, in order.
 * A batch that fails (network, 5xx, 429) is sent again with the same event ids until accepted, so nothing
 * is lost while the API restarts and nothing counts twice; a 4xx is logged and dropped.
 */
export class HotlineSink {
  private readonly queue: HotlineEventInput[] = [];
  private sending: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: SinkOptions) {}

  push(events: HotlineEventInput[]): void {
    if (events.length === 0) return;
    this.queue.push(...events);
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far was sent (or dropped). */
  async idle(): Promise<void> {
    while (this.sending) await this.sending;
  }

  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    const fetchImpl = this.options.fetchImpl ?? fetch;
    while (this.queue.length && !this.stopped) {
      const batch = this.queue.slice(0, HOTLINE_MAX_EVENTS);
      const raw = JSON.stringify({ branchId: this.options.branchId, events: batch });
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = `sha256=${createHmac('sha256', this.options.secret).update(`${ts}.${raw}`).digest('hex')}`;
      try {
        const res = await fetchImpl(`${this.options.apiUrl.replace(/\/$/, '')}/api/hotline/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signature },
          body: raw,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status >= 500 || res.status === 429) throw new Error(`HTTP ${res.status}`);
        if (res.status !== 202) this.options.log?.(`hotline events refused (${res.status}): ${text.slice(0, 300)}`);
        this.queue.splice(0, batch.length);
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        const wait = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        this.options.log?.(`hotline API unreachable (${(err as Error).message}); ${this.queue.length} events kept, retry in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
