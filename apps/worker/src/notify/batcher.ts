/**
 * Runs many concurrent requests as few round trips: a request made while a run is under way waits for the next run,
 * which takes everything that arrived meanwhile (up to `max`). No timer: with no load a request runs at once, under
 * load the batches grow by themselves. One run at a time, so it holds at most one pooled connection.
 *
 * `run` answers one result per input, in order; if it throws, every request of that run is rejected with the error.
 * (DataLoader batches per event-loop tick instead, which under load leaves single-item batches, and caches.)
 */
export class Batcher<In, Out> {
  private waiting: { input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly max = 500,
  ) {}

  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.running ??= this.drain().finally(() => (this.running = null));
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.max);
      try {
        const out = await this.run(batch.map((w) => w.input));
        batch.forEach((w, i) => w.resolve(out[i]));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }
}
