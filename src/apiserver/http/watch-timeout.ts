/**
 * How long a watch lasts, as kube-apiserver decides it (GetTimeoutForWatch in
 * k8s.io/apiserver/pkg/endpoints/request): `timeoutSeconds` becomes a Go time.Duration, int64
 * nanoseconds that wrap past 9223372036 s; zero or absent gives a random time between
 * --min-request-timeout (1800 s) and twice that; a negative duration ends the watch at once.
 * The parameter is parsed by the parameter codec with strconv.ParseInt(v, 10, 64), so anything
 * else is a 400 with Go's message. Node's timers hold at most 2^31-1 ms, so longer waits are chained.
 */
import { errors } from '../../api/errors.js';

/** kube-apiserver's --min-request-timeout default (s). */
export const MIN_REQUEST_TIMEOUT_S = 1800;
import { MAX_TIMER_MS } from '../../net/sleep.js';

export { MAX_TIMER_MS };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses timeoutSeconds as strconv.ParseInt(v, 10, 64); undefined when absent; throws a 400 Status with Go's message. */
export function parseTimeoutSeconds(v: string | null): bigint | undefined {
  if (v === null) return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = BigInt(v);
  if (n < INT64_MIN || n > INT64_MAX) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

/** The watch's duration in ms; 0 means it ends at once. `random` stands in for rand.Float64. */
export function watchTimeoutMs(timeoutSeconds: bigint | undefined, random: () => number = Math.random): number {
  const ns = timeoutSeconds === undefined ? 0n : BigInt.asIntN(64, timeoutSeconds * 1_000_000_000n);
  if (ns === 0n) return Math.floor(MIN_REQUEST_TIMEOUT_S * 1000 * (random() + 1));
  if (ns < 0n) return 0;
  return Number(ns / 1_000_000n);
}

/** A timer of any length (chained Node timers, unref'd); `cancel` stops it. */
export function longTimer(ms: number, fire: () => void): { cancel(): void } {
  let t: NodeJS.Timeout;
  const arm = (left: number): void => {
    t = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fire()), Math.min(left, MAX_TIMER_MS));
    t.unref();
  };
  arm(ms);
  return { cancel: () => clearTimeout(t) };
}
