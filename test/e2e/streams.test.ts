// End-to-end: kubectl exec/attach/logs/port-forward (1.27 SPDY … 1.33 WebSocket) against an
// in-process API server with a fake pod-stream backend.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { kubectlPath, runCommand, type Run } from './harness.js';
import { StreamFixture } from './streams-fixture.js';

/** Two distinct free loopback ports (held together while chosen). */
async function freePorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return [ports[0]!, ports[1]!];
}

/** Sends bytes to a local port and collects the reply until `want` bytes came back. */
function echoThrough(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const sock = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    let n = 0;
    sock.on('data', (d: Buffer) => { got.push(d); n += d.length; if (n >= payload.length) { sock.end(); ok(Buffer.concat(got)); } });
    sock.on('error', fail);
    sock.on('close', () => ok(Buffer.concat(got)));
    sock.write(payload);
  });
}

const fx = new StreamFixture();
before(async () => { await fx.start(); });
after(async () => { await fx.stop(); });

const cases: { version: string; env?: Record<string, string>; label: string }[] = [
  { version: '1.27', label: 'SPDY' },
  { version: '1.29', label: 'SPDY offering v5' },
  { version: '1.30', label: 'WebSocket exec, SPDY port-forward' },
  { version: '1.33', label: 'WebSocket exec and port-forward' },
  { version: '1.33', label: 'SPDY fallbacks forced', env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false', KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' } },
];

describe('kubectl streams', { concurrency: true }, () => {
  after(() => {
    // Which transport each version really used (a failed WebSocket upgrade falls back silently).
    const used = (v: string, sub: string, t: string) => fx.upgrades.filter((u) => u.ua.startsWith(`kubectl.${v}/`) && u.sub === sub && u.transport === t && u.switched).length;
    assert.equal(used('1.27', 'exec', 'websocket') + used('1.29', 'exec', 'websocket'), 0);
    assert.ok(used('1.27', 'exec', 'spdy/3.1') >= 8 && used('1.29', 'exec', 'spdy/3.1') >= 8);
    assert.ok(used('1.30', 'exec', 'websocket') >= 8 && used('1.30', 'attach', 'websocket') >= 1);
    assert.equal(used('1.30', 'exec', 'spdy/3.1'), 0);
    assert.ok(used('1.30', 'portforward', 'spdy/3.1') >= 1);
    assert.ok(used('1.33', 'portforward', 'websocket') >= 1 && used('1.33', 'portforward', 'spdy/3.1') >= 1);
    assert.ok(used('1.33', 'exec', 'spdy/3.1') >= 8);
  });
  for (const c of cases) {
    describe(`kubectl ${c.version} (${c.label})`, () => {
      const cache = join(fx.dir, `cache-${c.version}-${c.env ? 'spdy' : 'default'}`);
      const base = () => ['--kubeconfig', fx.kubeconfig, '--cache-dir', cache];
      const k = (args: string[], input?: string): Promise<Run> =>
        runCommand(kubectlPath(c.version), [...base(), ...args], { input, timeoutMs: 20_000, env: { HOME: fx.dir, ...c.env } });

      it('exec: output, stderr, stdin, exit codes, missing binary, bad container', async () => {
        const hi = await k(['exec', 'web', '--', 'echo', 'hi', 'there']);
        assert.deepEqual([hi.code, hi.stdout, hi.stderr], [0, 'hi there\n', '']);
        const warn = await k(['exec', 'web', '--', 'warn', 'x']);
        assert.deepEqual([warn.code, warn.stdout, warn.stderr], [0, 'out\n', 'warning: x\n']);
        const cat = await k(['exec', '-i', 'web', '--', 'cat'], 'line one\nline two\n');
        assert.deepEqual([cat.code, cat.stdout], [0, 'line one\nline two\n']);
        const big = await k(['exec', 'web', '--', 'big', '300000']);
        assert.equal(big.stdout.length, 300000);
        const f = await k(['exec', 'web', '--', 'false']);
        assert.equal(f.code, 1, `${c.version} ${c.label}: ${f.stderr}`);
        assert.equal(f.stderr, 'command terminated with exit code 1\n');
        const e3 = await k(['exec', 'web', '--', 'exit', '3']);
        assert.deepEqual([e3.code, e3.stderr], [3, 'command terminated with exit code 3\n']);
        const nope = await k(['exec', 'web', '--', 'nope']);
        assert.equal(nope.code, 1);
        assert.equal(nope.stderr, 'error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "0123abcd": OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown\n');
        const bad = await k(['exec', 'duo', '-c', 'zzz', '--', 'echo']);
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /container zzz is not valid for pod duo/);
        const notRunning = await k(['exec', 'web', '--', 'notrunning']);
        assert.deepEqual([notRunning.code, notRunning.stderr], [1, 'Error from server (BadRequest): container "app" in pod "web" is waiting to start: ContainerCreating\n']);
        const pending = await k(['exec', 'pending', '--', 'echo']);
        assert.match(pending.stderr, /Error from server \(BadRequest\): pod pending does not have a host assigned/);
      });

      it('exec -it through a pseudo-terminal sends the size', async () => {
        const cmd = `stty cols 100 rows 30; ${kubectlPath(c.version)} ${base().join(' ')} exec -it web -- tty`;
        const r = await runCommand('script', ['-qec', cmd, '/dev/null'], { timeoutMs: 20_000, env: { HOME: fx.dir, ...c.env } });
        assert.match(r.stdout, /tty=true size=100x30 stderr=false/);
        assert.equal(r.code, 0, r.stdout + r.stderr);
      });

      it('attach with stdin', async () => {
        const a = await k(['attach', '-i', 'web'], 'hello\n');
        assert.equal(a.code, 0, a.stderr);
        assert.match(a.stdout, /attached to web\n/);
        assert.match(a.stdout, /echo:hello\n/);
      });

      it('logs: plain, --tail, --timestamps, -c, -f', async () => {
        assert.equal((await k(['logs', 'web'])).stdout, 'app line 1\napp line 2\napp line 3\napp line 4\napp line 5\n');
        assert.equal((await k(['logs', 'web', '--tail=2'])).stdout, 'app line 4\napp line 5\n');
        assert.match((await k(['logs', 'web', '--timestamps', '--tail=1'])).stdout, /^2024-01-01T00:00:04\.000000000Z app line 5\n$/);
        assert.equal((await k(['logs', 'duo', '-c', 'side', '--tail=1'])).stdout, 'side line 5\n');
        const bad = await k(['logs', 'duo', '-c', 'nah']);
        assert.match(bad.stderr, /container nah is not valid for pod duo/);
        const p = spawn(kubectlPath(c.version), [...base(), 'logs', '-f', 'web', '--tail=1'], { env: { ...process.env, HOME: fx.dir } });
        let out = '';
        await new Promise<void>((ok) => {
          p.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('tick 3')) ok(); });
          p.on('close', () => ok());
        });
        p.kill();
        assert.match(out, /^app line 5\napp tick 1\napp tick 2\napp tick 3\n/);
      });

      it('port-forward: TCP through the tunnel, and a refused port', async () => {
        const [local, refused] = await freePorts();
        const p = spawn(kubectlPath(c.version), [...base(), 'port-forward', 'pod/web', `${local}:80`, `${refused}:81`], { env: { ...process.env, HOME: fx.dir, ...c.env } });
        let out = '';
        let err = '';
        p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
        await new Promise<void>((ok, fail) => {
          p.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes(`${refused} -> 81`)) ok(); });
          p.on('close', () => fail(new Error(`port-forward exited: ${out} ${err}`)));
        });
        try {
          const payload = Buffer.alloc(200_000, 'k');
          payload.write('hello');
          assert.deepEqual(await echoThrough(local, payload), payload);
          assert.deepEqual(await echoThrough(local, Buffer.from('again')), Buffer.from('again'));
          assert.deepEqual(await echoThrough(refused, Buffer.from('x')), Buffer.alloc(0));
          for (let i = 0; i < 50 && !err.includes('refused'); i++) await new Promise((r) => setTimeout(r, 20));
          assert.match(err, new RegExp(`an error occurred forwarding ${refused} -> 81: error forwarding port 81 to pod 4c9f`));
        } finally {
          p.kill();
        }
      });
    });
  }
});
