/** Rates shared by the network benchmarks. */
import { once } from 'node:events';
import type { Duplex } from 'node:stream';

/** Short connections per second for `seconds`, 8 at a time: dial, read the answer, close. */
export async function connectionRate(dial: () => Promise<Duplex>, seconds: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const c = await dial();
      c.on('error', () => undefined);
      c.resume();
      c.end();
      await once(c, 'close');
      n++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return n / ((performance.now() - t0) / 1000);
}
