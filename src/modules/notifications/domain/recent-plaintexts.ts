/**
 * The plaintext behind ciphertexts this process has just written, for its own worker: a
 * notification accepted here is usually claimed here a few milliseconds later, and
 * decrypting what was encrypted moments before (two AES-GCM values and a JSON parse per
 * notification) is then pure cost. Keyed by the ciphertext and the row it was written for,
 * so a hit gives exactly what decrypting the claimed row would give (the IV is random:
 * equal ciphertext for the same row, equal plaintext), and a value moved to another row
 * misses like it would fail to decrypt there; a row changed since (wiped, replaced) has
 * another ciphertext and misses. Each entry is taken once and lives at most `ttlMs` (a
 * process that accepts but does not deliver holds nothing longer); at most `max` are held.
 */
export class RecentPlaintexts<T> {
  private readonly entries = new Map<string, { owner: string; value: T; at: number }>();
  private nextSweepAt = 0;

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(owner: string, token: string, value: T): void {
    const now = this.now();
    this.entries.set(token, { owner, value, at: now });
    if (this.entries.size > this.max || now >= this.nextSweepAt) this.evict(now);
  }

  /**
   * Drops the oldest entries: over `max`, or older than `ttlMs`. Runs when full and otherwise
   * at most once a second (or once per `ttlMs`, if shorter): a Map iterates from its first
   * slot, across the holes that taken entries leave until it compacts, so a sweep on every
   * `remember` cost more than the decryption it saves. `take` checks the age itself, so an
   * entry is never used late.
   */
  private evict(now: number): void {
    this.nextSweepAt = now + Math.min(1000, this.ttlMs);
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.max && entry.at > now - this.ttlMs) break;
      this.entries.delete(key);
    }
  }

  /** The plaintext of `token` if this process wrote it recently for `owner`; forgets it either way. */
  take(owner: string, token: string): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    return entry.owner === owner && entry.at > this.now() - this.ttlMs ? entry.value : undefined;
  }

  forget(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }
}
