// End-to-end: the seed tutorials' `kubectl run test --image=alpine --rm -it -- sh`, driven through a
// pseudo-terminal (util-linux `script`): install curl with apk, curl a pod, exit; the pod is gone after.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Knet, kubectlPath } from './harness.js';

/** Runs a command in a pty, typing each line after the previous output settles; resolves with the transcript. */
function inPty(cmd: string, lines: { waitFor: RegExp; type: string }[], env: Record<string, string>, timeoutMs = 40_000): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let step = 0;
    const onData = (d: Buffer) => {
      out += d.toString();
      const next = lines[step];
      if (next && next.waitFor.test(out)) { step++; p.stdin.write(next.type); }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => { clearTimeout(timer); resolve({ out, code }); });
  });
}

describe('kubectl run -it --rm', () => {
  const knet = new Knet();
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  for (const version of ['default', '1.27', '1.33']) {
    it(`alpine shell with apk add curl, curl a pod, exit (kubectl ${version})`, async () => {
      const k = (...a: string[]) => knet.kubectl(a, { version });
      if (version === 'default') {
        await k('run', 'web', '--image=nginx');
        await k('wait', '--for=condition=Ready', 'pod/web', '--timeout=30s');
      }
      const ip = (await k('get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}')).stdout;
      const name = `test-${version.replace('.', '')}`;
      const cmd = [kubectlPath(version), '--kubeconfig', knet.kubeconfig, '--cache-dir', join(knet.dir, `cache-${version}`),
        'run', name, '--image=alpine', '--rm', '-it', '--', 'sh'].join(' ');
      const r = await inPty(cmd, [
        { waitFor: /try pressing enter\.\r?\n/, type: '\r' },
        { waitFor: /\/ # $/, type: 'apk add --no-cache curl\r' },
        { waitFor: /OK: [\d.]+ MiB in \d+ packages[\s\S]*\/ # $/, type: `curl ${ip}\r` },
        { waitFor: /<\/html>[\s\S]*\/ # $/, type: 'exit\r' },
      ], { HOME: knet.dir });
      assert.match(r.out, /If you don't see a command prompt, try pressing enter\./, r.out);
      assert.match(r.out, /fetch https:\/\/dl-cdn\.alpinelinux\.org\/alpine\/v[\d.]+\/main\/x86_64\/APKINDEX\.tar\.gz/, r.out);
      assert.match(r.out, /<title>Welcome to nginx!<\/title>/, r.out);
      assert.match(r.out, new RegExp(`pod "${name}" deleted`), r.out);
      assert.equal(r.code, 0, r.out);
      const gone = await k('get', 'pod', name);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /NotFound/);
    });
  }
});
