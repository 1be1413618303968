/**
 * Token buckets keyed by learner or by address, in a map that never grows past `maxKeys`: a
 * flood of made-up keys evicts the oldest buckets instead of growing the board's memory. An
 * evicted key only starts again with a full bucket, which costs an attacker more than it gains.
 */

export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Requests allowed per second once the burst is spent. */
  perSecond: number;
  maxKeys: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions) {
    this.#options = { now: () => performance.now(), ...options };
  }

  /** Take one token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const { capacity, perSecond, maxKeys, now } = this.#options;
    const time = now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.at) / 1000) * perSecond);
      bucket.at = time;
      // Re-insert so the map's order is least recently used first.
      this.#buckets.delete(key);
    } else {
      bucket = { tokens: capacity, at: time };
      while (this.#buckets.size >= maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.#buckets.size;
  }
}
