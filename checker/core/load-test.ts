/**
 * A short, fair load test of a server on 127.0.0.1: autocannon with keep-alive connections, a
 * warm-up first, then a measured run. The same client for every server, so the numbers compare.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  /** Error responses (4xx, 5xx), failed and timed-out requests: a run with any does not count. */
  errors: number;
}

export async function loadTest(url: string, options: { seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const run = (duration: number) =>
    autocannon({ url, connections: 32, duration, headers: options.headers ?? {}, timeout: 5 }) as unknown as Promise<autocannon.Result>;
  await run(1); // warm-up: JIT, file caches
  const result = await run(options.seconds);
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result['4xx'] + result['5xx'] + result.errors + result.timeouts,
  };
}

/**
 * The conditional headers a browser would send on its second visit to `url`: If-None-Match and
 * If-Modified-Since with the validators the server gives now. Each is left out if the server gave
 * none. A kept-alive connection the server has closed meanwhile gets one more try.
 */
export async function revalidationHeaders(url: string): Promise<Record<string, string>> {
  const response = await fetch(url).catch(() => fetch(url));
  await response.arrayBuffer();
  const headers: Record<string, string> = {};
  const etag = response.headers.get('etag');
  const modified = response.headers.get('last-modified');
  if (etag) headers['If-None-Match'] = etag;
  if (modified) headers['If-Modified-Since'] = modified;
  return headers;
}
