/**
 * Groups calls made at about the same time into one batch, so many concurrent single-row
 * writes become one statement and one commit (one WAL flush instead of one per row). Each
 * caller still gets its own result, only after the batch has committed. A batch that fails
 * rejects every caller in it.
 */
export class Coalescer<I, R> {
  private pending: Array<{ item: I; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (!batch.length) return;
    if (this.pending.length && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    this.run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.resolve(results[i])),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
