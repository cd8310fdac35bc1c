// Host sockets handed to pod listeners that take them (ConnectOptions.adopt, ListenOptions.hostSockets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { createNetwork } from './network.js';
import type { Conn } from './types.js';

/** A connected pair of real loopback sockets: [the client's end, the accepted end (paused)]. */
async function realPair(): Promise<[net.Socket, net.Socket, () => void]> {
  const srv = net.createServer({ pauseOnConnect: true });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
  client.on('error', () => undefined); // a reset is what some tests expect
  const [accepted] = (await once(srv, 'connection')) as [net.Socket];
  return [client, accepted, () => srv.close()];
}

test('a listener taking host sockets gets the socket itself, addressed as the flow delivered it', async () => {
  const network = createNetwork();
  const node = network.addStack(['127.1.0.1'], { kind: 'node', name: 'n' });
  const pod = network.addStack(['10.244.0.5'], { kind: 'pod', namespace: 'x', name: 'p' });
  const got: Conn[] = [];
  pod.listen(80, (c) => { got.push(c); c.end('hello'); }, { hostSockets: true });
  const [client, accepted, close] = await realPair();
  const conn = await node.connect({ ip: '10.244.0.5', port: 80 }, { client: { ip: '127.0.0.1', port: 5555 }, adopt: accepted });
  assert.equal(conn, accepted);
  assert.equal(got[0], accepted);
  assert.deepEqual([conn.remote, conn.local], [{ ip: '127.0.0.1', port: 5555 }, { ip: '10.244.0.5', port: 80 }]);
  assert.deepEqual([accepted.remoteAddress, accepted.remotePort, accepted.localAddress, accepted.localPort], ['127.0.0.1', 5555, '10.244.0.5', 80]);
  accepted.resume();
  client.resume();
  await once(client, 'end');
  client.destroy();
  close();
});

test('a listener without hostSockets gets a virtual connection; removing the pod resets adopted sockets', async () => {
  const network = createNetwork();
  const node = network.addStack(['127.1.0.1'], { kind: 'node', name: 'n' });
  const plain = network.addStack(['10.244.0.6'], { kind: 'pod', name: 'plain' });
  plain.listen(80, (c) => c.end());
  const [client, accepted, close] = await realPair();
  const conn = await node.connect({ ip: '10.244.0.6', port: 80 }, { client: { ip: '127.0.0.1', port: 1 }, adopt: accepted });
  assert.notEqual(conn, accepted);
  conn.destroy();
  const pod = network.addStack(['10.244.0.7'], { kind: 'pod', name: 'taker' });
  pod.listen(80, () => undefined, { hostSockets: true });
  const [client2, accepted2, close2] = await realPair();
  await node.connect({ ip: '10.244.0.7', port: 80 }, { client: { ip: '127.0.0.1', port: 2 }, adopt: accepted2 });
  const closed = once(accepted2, 'close');
  const reset = new Promise((ok) => client2.once('close', ok)); // not once(): the RST arrives as an error first
  network.removeStack(pod);
  await closed;
  assert.equal(accepted2.destroyed, true);
  await reset; // the client sees the connection go (RST), as when a pod's network namespace is removed
  for (const s of [client, accepted, client2]) s.destroy();
  close();
  close2();
});
