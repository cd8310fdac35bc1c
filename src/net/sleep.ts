/** Waiting in the one event loop: timers that a signal can cut short and that never overflow. */

/** The longest delay a Node timer honours; longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Sleeps `ms`, resolving true when the time is up and false when the signal aborts first; a delay
 * beyond a Node timer's range (`sleep infinity`) lasts until the signal.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const t = ms <= MAX_TIMER_MS ? setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(true); }, ms) : undefined;
    const onAbort = (): void => { clearTimeout(t); resolve(false); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
