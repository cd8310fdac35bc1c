// End-to-end: everyday habits inside pods with the real kubectl — `run -i --rm` streaming until the
// container exits (1.27 SPDY … 1.33 WebSocket v5), `attach -i` with stdin at EOF, `kubectl cp` both
// ways, and DNS debugging with jessie-dnsutils and busybox:1.28.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, until } from './harness.js';

const VERSIONS = ['default', '1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

describe('pod habits', () => {
  const knet = new Knet();
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  describe('kubectl run -i --rm streams until the container exits', { concurrency: 4 }, () => {
    for (const version of VERSIONS) {
      it(`prints both lines and deletes the pod (kubectl ${version}, stdin at EOF)`, async () => {
        const name = `two-lines-${version.replace('.', '')}`;
        const t0 = Date.now();
        const r = await knet.kubectl(['run', name, '--image=busybox', '-i', '--rm', '--restart=Never', '--', 'sh', '-c', 'echo one; sleep 2; echo two'], { version });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `one\ntwo\npod "${name}" deleted\n`);
        assert.ok(Date.now() - t0 >= 2000, 'kubectl returned before the container slept');
      });
    }
  });

  it('kubectl run -i --rm with input: the command reads it, output follows its end, the exit code comes back', async () => {
    const r = await knet.kubectl(['run', 'reads', '--image=busybox', '-i', '--rm', '--restart=Never', '--', 'sh', '-c', 'cat; sleep 1; echo after; exit 3'], { version: '1.33', input: 'typed\n' });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, 'typed\nafter\npod "reads" deleted\n');
    assert.match(r.stderr, /pod default\/reads terminated \(Error\)/);
  });

  it('kubectl run --rm -i of a command that ends at once prints its output', async () => {
    const r = await knet.kubectl(['run', 'x', '--image=busybox', '--restart=Never', '--rm', '-i', '--', 'echo', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\npod "x" deleted\n');
  });

  describe('kubectl attach -i </dev/null follows a stdinOnce container to its end', { concurrency: true }, () => {
    for (const version of ['default', '1.27', '1.33']) {
      it(`kubectl ${version}`, async () => {
        const name = `attached-${version.replace('.', '')}`;
        const manifest = JSON.stringify({
          apiVersion: 'v1', kind: 'Pod', metadata: { name },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox', stdin: true, stdinOnce: true, command: ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo line $i; sleep 1; done'] }],
          },
        });
        assert.equal((await knet.kubectl(['apply', '-f', '-'], { input: manifest })).code, 0);
        await knet.kubectl(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=30s']);
        const r = await knet.kubectl(['attach', '-i', name], { version });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /line 6\n$/, 'the session ended before the container');
        await until('the pod to succeed', async () => ((await knet.kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout === 'Succeeded' ? true : undefined));
      });
    }
  });
});
