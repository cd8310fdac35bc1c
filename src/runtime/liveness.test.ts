import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { alive, processState } from './liveness.js';
import { zombie } from './zombie-testkit.js';

test('a running process is alive; this process too', () => {
  assert.equal(alive(process.pid), true);
  assert.equal(alive(process.ppid), true);
});

test('an exited and reaped process, pid 0, negative and non-integer pids are not alive', async () => {
  const p = spawn('true');
  await once(p, 'exit');
  assert.equal(alive(p.pid!), false);
  for (const pid of [0, -1, -process.pid, Number.NaN, 1.5]) assert.equal(alive(pid), false, String(pid));
});

test('a zombie (killed, not yet reaped by its parent) is not alive, although signal 0 still reaches it', async () => {
  const { pid, reaper } = await zombie();
  try {
    assert.equal(processState(pid), 'Z', 'the test made a zombie');
    assert.doesNotThrow(() => process.kill(pid, 0), 'the kernel still knows the pid');
    assert.equal(alive(pid), false);
  } finally {
    reaper.kill('SIGKILL');
  }
});

test('processState reads the state after the last parenthesis (a command name may hold ") R (")', () => {
  assert.equal(processState(process.pid), 'R');
  assert.equal(processState(2 ** 22 + 12345), null, 'no such pid');
});
