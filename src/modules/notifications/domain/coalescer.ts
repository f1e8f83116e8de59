export interface CoalescerOptions {
  /** At most this many items per batch (default 500). */
  maxBatch?: number;
  /**
   * How long the first item of a batch waits for others (default 0: the batch leaves on the
   * next turn of the event loop, with whatever was submitted meanwhile). Under load a few
   * milliseconds gather the items of several callers into one statement and one commit.
   */
  lingerMs?: number;
}

/**
 * Groups calls made at about the same time into one batch, so many concurrent single-row
 * writes become one statement and one commit (one WAL flush instead of one per row). Each
 * caller still gets its own result, only after the batch has committed. A batch that fails
 * rejects every caller in it.
 */
export class Coalescer<I, R> {
  private pending: Array<{ item: I; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private lingering: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly maxBatch: number;
  private readonly lingerMs: number;

  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    options: CoalescerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /**
   * Adds the item to the next batch. `urgent` sends that batch on the next turn of the event
   * loop instead of after the linger, with everything already waiting in it.
   */
  submit(item: I, urgent = false): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.schedule(urgent || this.lingerMs === 0);
    });
  }

  private schedule(now: boolean): void {
    if (this.immediate) return;
    if (now) this.immediate = setImmediate(() => this.flush());
    else this.lingering ??= setTimeout(() => this.flush(), this.lingerMs);
  }

  private flush(): void {
    clearTimeout(this.lingering);
    clearImmediate(this.immediate);
    this.lingering = this.immediate = undefined;
    const batch = this.pending.splice(0, this.maxBatch);
    if (!batch.length) return;
    if (this.pending.length) this.schedule(true);
    this.run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i])),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
