// End-to-end (issue 10, finding 13): 2,000 `kubectl exec` runs, 16 at a time, with the real kubectl
// (the default one, which speaks WebSocket v5 to this server, and 1.30): every run gets its whole
// output, its stderr and its exit code; none prints `Unknown stream id N, discarding message` or
// `error: closed all streams` (client-go < 1.34 reads before it creates its streams:
// kubernetes/kubernetes#131189). Stream 2 is the earlier flake of pods.test (curl's stderr).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, type Run } from './harness.js';

const RUNS = 2000;
const PARALLEL = 16;

describe('exec under load', () => {
  const knet = new Knet();
  const k = (...args: string[]) => knet.kubectl(args);
  before(async () => {
    await knet.start();
    assert.equal((await k('run', 'ag', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', 'netexec')).code, 0);
    assert.equal((await k('run', 'bb', '--image=busybox', '--', 'sleep', '3600')).code, 0);
    const w = await k('wait', '--for=condition=Ready', 'pod/ag', 'pod/bb', '--timeout=30s');
    assert.equal(w.code, 0, w.stderr);
  });
  after(async () => { await knet.cleanup(); });

  it(`${RUNS} execs (${PARALLEL} at a time, kubectl default and 1.30): 0 stream errors`, { timeout: 300_000 }, async () => {
    const ip = (await k('get', 'pod', 'ag', '-o', 'jsonpath={.status.podIP}')).stdout;
    assert.match(ip, /^10\.244\./);
    const kinds: { args: string[]; want: Run }[] = [
      // the reproduction: agnhost connect prints nothing and exits 0
      { args: ['ag', '--', '/agnhost', 'connect', '--timeout=5s', `${ip}:8080`], want: { code: 0, stdout: '', stderr: '' } },
      // output on streams 1 and 2, the exit code on 3
      { args: ['bb', '--', 'sh', '-c', 'echo o; echo e >&2; exit 3'], want: { code: 3, stdout: 'o\n', stderr: 'e\ncommand terminated with exit code 3\n' } },
    ];
    const failures: string[] = [];
    let streamErrors = 0;
    let next = 0;
    const t0 = Date.now();
    const worker = async () => {
      for (let i = next++; i < RUNS; i = next++) {
        const kind = kinds[i % kinds.length]!;
        const version = (i >> 1) % 2 === 0 ? 'default' : '1.30';
        const r = await knet.kubectl(['exec', ...kind.args], { version, timeoutMs: 60_000 });
        if (/Unknown stream id|closed all streams/.test(r.stderr)) streamErrors++;
        if (r.code !== kind.want.code || r.stdout !== kind.want.stdout || r.stderr !== kind.want.stderr) {
          failures.push(`#${i} kubectl ${version} exec ${kind.args.join(' ')}: code ${r.code}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const secs = (Date.now() - t0) / 1000;
    console.log(`# ${RUNS} execs in ${secs.toFixed(1)} s (${(RUNS / secs).toFixed(1)}/s), ${streamErrors} stream errors`);
    assert.equal(streamErrors, 0, failures.slice(0, 5).join('\n'));
    assert.deepEqual(failures.slice(0, 5), []);
  });
});
