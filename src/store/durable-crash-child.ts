/**
 * Helper process for durable-crash.test.ts: writes to a DurableStore in a loop (16 writes in
 * flight) and prints `+key` / `~key` / `-key` for each acknowledged create / update / delete,
 * until it is killed. Usage: node durable-crash-child.js <dir> <round>.
 */
import { DurableStore } from './durable.js';

const [dir, round] = process.argv.slice(2);
if (!dir || !round) throw new Error('usage: durable-crash-child <dir> <round>');
const store = await DurableStore.open(dir);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function worker(w: number): Promise<never> {
  for (let i = 0; ; i++) {
    const name = `w${w}-${i}${i % 7 === 3 ? '-del' : ''}`; // '-del' keys are deleted once created
    const key = `/core/configmaps/r${round}/${name}`;
    const obj = await store.create(key, { metadata: { name }, data: { v: '1' } });
    say(`+${key}`);
    if (name.endsWith('-del')) {
      await store.delete(key);
      say(`-${key}`);
    } else if (i % 5 === 1) {
      await store.update(key, { ...obj, data: { v: '2' } }, obj.metadata.resourceVersion);
      say(`~${key}`);
    }
  }
}

await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
