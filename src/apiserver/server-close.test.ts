import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Registry } from '../api/registry.js';
import { allKinds } from '../api/kinds/index.js';
import { MemoryStore } from '../store/memory.js';
import { ApiServer } from './server.js';
import { loadOrCreatePki } from './pki.js';

test('close() does not wait for a client that connected and never sent a byte (it would hold knet down until SIGKILL)', async () => {
  const server = new ApiServer({ store: new MemoryStore(), registry: new Registry(allKinds), pki: await loadOrCreatePki(undefined), port: 0 });
  const port = await server.listen();
  const idle = connect(port, '127.0.0.1');
  idle.on('error', () => undefined);
  await once(idle, 'connect');
  const closed = once(idle, 'close');
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([server.close().then(() => 'closed'), new Promise((ok) => { timer = setTimeout(() => ok('still waiting after 3 s'), 3000); })]);
    assert.equal(r, 'closed');
    await closed;
  } finally {
    clearTimeout(timer);
    idle.destroy();
  }
});
