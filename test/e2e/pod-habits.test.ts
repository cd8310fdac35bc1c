// End-to-end: everyday habits inside pods with the real kubectl — `run -i --rm` streaming until the
// container exits (1.27 SPDY … 1.33 WebSocket v5), `attach -i` with stdin at EOF, `kubectl cp` both
// ways, and DNS debugging with jessie-dnsutils and busybox:1.28.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Knet, kubectlPath, runCommand, until } from './harness.js';

/** Every file under a directory with its bytes, by relative path. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${n}` : n;
    if (statSync(join(dir, r)).isDirectory()) Object.assign(out, { [`${r}/`]: '' }, tree(dir, r));
    else out[r] = readFileSync(join(dir, r)).toString('base64');
  }
  return out;
}

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

  describe('kubectl run -it --rm in a terminal (util-linux script) streams until the container exits', { concurrency: true }, () => {
    for (const version of ['default', '1.27', '1.33']) {
      it(`kubectl ${version}`, async () => {
        const name = `tty-${version.replace('.', '')}`;
        const cmd = [kubectlPath(version), '--kubeconfig', knet.kubeconfig, '--cache-dir', join(knet.dir, `cache-tty-${version}`),
          'run', name, '--image=busybox', '-it', '--rm', '--restart=Never', '--', 'sh', '-c', "'echo one; sleep 2; echo two'"].join(' ');
        const r = await runCommand('script', ['-qfec', cmd, '/dev/null'], { env: { HOME: knet.dir }, timeoutMs: 40_000 });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`one\\r\\ntwo\\r\\npod "${name}" deleted\\r\\n$`), r.stdout);
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

  describe('kubectl cp both ways (busybox tar and nginx GNU tar)', () => {
    before(async () => {
      assert.equal((await knet.kubectl(['run', 'bb', '--image=busybox', '--', 'sleep', '3600'])).code, 0);
      assert.equal((await knet.kubectl(['run', 'web', '--image=nginx'])).code, 0);
      assert.equal((await knet.kubectl(['wait', '--for=condition=Ready', 'pod/bb', 'pod/web', '--timeout=30s'])).code, 0);
    });
    for (const version of ['default', '1.27']) {
      for (const pod of ['bb', 'web']) {
        it(`a text file, a binary file and a directory, byte-identical back (kubectl ${version}, ${pod})`, async () => {
          const local = join(knet.dir, `cp-${pod}-${version}`);
          mkdirSync(join(local, 'tree', 'sub'), { recursive: true });
          const bin = randomBytes(70_000);
          writeFileSync(join(local, 'local.txt'), 'hello from the laptop\n');
          writeFileSync(join(local, 'blob.bin'), bin);
          writeFileSync(join(local, 'tree', 'a.txt'), 'a\n');
          writeFileSync(join(local, 'tree', 'sub', 'b.bin'), bin.subarray(0, 999));
          const cp = async (from: string, to: string) => {
            const r = await knet.kubectl(['cp', from, to], { version });
            assert.equal(r.code, 0, `kubectl cp ${from} ${to}: ${r.stderr}`);
            return r;
          };
          const tag = `${pod}-${version.replace('.', '')}`;
          await cp(join(local, 'local.txt'), `${pod}:/tmp/x-${tag}.txt`);
          await cp(join(local, 'blob.bin'), `${pod}:/tmp/blob-${tag}.bin`);
          await cp(join(local, 'tree'), `${pod}:/tmp/tree-${tag}`);
          const cat = await knet.kubectl(['exec', pod, '--', 'cat', `/tmp/x-${tag}.txt`]);
          assert.equal(cat.stdout, 'hello from the laptop\n');
          await cp(`${pod}:/tmp/x-${tag}.txt`, join(local, 'back.txt'));
          assert.equal(readFileSync(join(local, 'back.txt'), 'utf8'), 'hello from the laptop\n');
          await cp(`${pod}:/tmp/blob-${tag}.bin`, join(local, 'back.bin'));
          assert.ok(readFileSync(join(local, 'back.bin')).equals(bin), 'binary file differs');
          await cp(`${pod}:/tmp/tree-${tag}`, join(local, 'tree-back'));
          assert.deepEqual(tree(join(local, 'tree-back')), tree(join(local, 'tree')));
          // Into an existing directory: kubectl asks `test -d` and appends the file's name.
          await cp(join(local, 'local.txt'), `${pod}:/tmp`);
          assert.equal((await knet.kubectl(['exec', pod, '--', 'cat', '/tmp/local.txt'])).stdout, 'hello from the laptop\n');
          // kubectl cp may exit before tar's warning arrives; exec shows each tar's own wording.
          const warn = await knet.kubectl(['exec', pod, '--', 'tar', 'cf', `/tmp/${tag}.tar`, `/tmp/x-${tag}.txt`]);
          assert.equal(warn.stderr, pod === 'bb' ? "tar: removing leading '/' from member names\n" : "tar: Removing leading `/' from member names\n");
          const missing = await knet.kubectl(['exec', pod, '--', 'tar', 'cf', '-', '/tmp/nope'], { version });
          assert.equal(missing.code, pod === 'bb' ? 1 : 2);
          assert.match(missing.stderr, pod === 'bb' ? /^tar: removing leading '\/' from member names\ntar: \/tmp\/nope: No such file or directory\ntar: error exit delayed from previous errors\n/
            : /^tar: Removing leading `\/' from member names\ntar: \/tmp\/nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n/);
        });
      }
    }
  });

  describe('DNS debugging as the Kubernetes docs teach it', () => {
    let svcIP = '';
    before(async () => {
      assert.equal((await knet.kubectl(['run', 'dnsutils', '--image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', '--command', '--', 'sleep', 'infinity'])).code, 0);
      assert.equal((await knet.kubectl(['run', 'bb128', '--image=busybox:1.28', '--command', '--', 'sleep', '3600'])).code, 0);
      assert.equal((await knet.kubectl(['wait', '--for=condition=Ready', 'pod/dnsutils', 'pod/bb128', '--timeout=30s'])).code, 0);
      svcIP = (await knet.kubectl(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
      assert.match(svcIP, /^\d+\.\d+\.\d+\.\d+$/);
    });
    const exec = (pod: string, ...cmd: string[]) => knet.kubectl(['exec', pod, '--', ...cmd]);
    const rev = () => `${svcIP.split('.').reverse().join('.')}.in-addr.arpa`;

    it('jessie-dnsutils: dig -x of the kubernetes Service IP answers its PTR (BIND 9.9 layout)', async () => {
      const r = await exec('dnsutils', 'dig', '-x', svcIP);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\n; <<>> DiG 9\.9\.5-9\+deb8u19-Debian <<>> -x /);
      assert.match(r.stdout, /;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+\n/);
      assert.ok(r.stdout.includes(`;; QUESTION SECTION:\n;${rev()}.\tIN\tPTR\n`), r.stdout);
      assert.ok(r.stdout.includes(`;; ANSWER SECTION:\n${rev()}.\t30\tIN\tPTR\tkubernetes.default.svc.cluster.local.\n`), r.stdout);
      assert.match(r.stdout, /;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\)\n;; WHEN: \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\n/);
      assert.equal((await exec('dnsutils', 'dig', '+short', '-x', svcIP)).stdout, 'kubernetes.default.svc.cluster.local.\n');
    });

    it('jessie-dnsutils: dig +search, nslookup and host', async () => {
      const search = await exec('dnsutils', 'dig', '+search', '+short', 'kubernetes.default');
      assert.equal(search.stdout, `${svcIP}\n`);
      const ns = await exec('dnsutils', 'nslookup', 'kubernetes.default');
      assert.equal(ns.stdout, `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: ${svcIP}\n\n`);
      const host = await exec('dnsutils', 'host', 'kubernetes.default');
      assert.equal(host.stdout, `kubernetes.default.svc.cluster.local has address ${svcIP}\n`);
      const hostRev = await exec('dnsutils', 'host', svcIP);
      assert.equal(hostRev.stdout, `${rev()} domain name pointer kubernetes.default.svc.cluster.local.\n`);
    });

    it('dig -x of a pod IP behind a Service names the endpoint (CoreDNS: dashed IP under the Service)', async () => {
      assert.equal((await knet.kubectl(['expose', 'pod', 'web', '--port=80', '--name=web-svc'])).code, 0);
      const ip = (await knet.kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}'])).stdout;
      const want = `${ip.replace(/\./g, '-')}.web-svc.default.svc.cluster.local.\n`;
      await until('the endpoint PTR', async () => ((await exec('dnsutils', 'dig', '+short', '-x', ip)).stdout === want ? true : undefined));
    });

    it('busybox:1.28 nslookup kubernetes.default answers with names for every address', async () => {
      const r = await exec('bb128', 'nslookup', 'kubernetes.default');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: ${svcIP} kubernetes.default.svc.cluster.local\n\n`);
    });
  });
});
