import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argvFor, isStandIn, ImageRegistry, standInImage } from './registry.js';
import { parseImageRef } from './ref.js';
import { MemoryFileSystem } from './fs.js';
import type { ImageDef } from './types.js';

const images = new ImageRegistry();

test('image references are split into registry, repository, tag and digest', () => {
  assert.deepEqual(parseImageRef('nginx'), { registry: 'docker.io', repository: 'nginx' });
  assert.deepEqual(parseImageRef('docker.io/library/nginx:1.27'), { registry: 'docker.io', repository: 'nginx', tag: '1.27' });
  assert.deepEqual(parseImageRef('localhost:5000/app:v1@sha256:abc'), { registry: 'localhost:5000', repository: 'app', tag: 'v1', digest: 'sha256:abc' });
  assert.deepEqual(parseImageRef('hashicorp/http-echo'), { registry: 'docker.io', repository: 'hashicorp/http-echo' });
});

test('images resolve by repository name with any registry, tag or digest', () => {
  const repo = (i: string): string | undefined => images.resolve(i)?.repositories[0];
  assert.equal(repo('nginx'), 'nginx');
  assert.equal(repo('docker.io/library/nginx:1.27'), 'nginx');
  assert.equal(repo('nginx@sha256:0123456789abcdef'), 'nginx');
  assert.equal(repo('nginx:1.27-alpine'), 'nginx');
  assert.equal(repo('httpd:2.4'), 'httpd');
  assert.equal(repo('registry.k8s.io/e2e-test-images/agnhost:2.53'), 'e2e-test-images/agnhost');
  assert.equal(repo('hashicorp/http-echo:1.0'), 'hashicorp/http-echo');
  assert.equal(repo('traefik/whoami'), 'traefik/whoami');
  assert.equal(repo('registry.k8s.io/pause:3.10'), 'pause');
  assert.equal(repo('myorg/api:1.2'), undefined);
  assert.ok(images.resolve('busybox:1.36')?.programs.sh, 'toolbox images are registered');
  assert.equal(repo('bitnami/nginx'), undefined);
});

test('a registered image is resolvable in its own registry only, and wins over a built-in of the same repository', () => {
  const a = new ImageRegistry(), b = new ImageRegistry();
  const app: ImageDef = { repositories: ['myorg/api'], entrypoint: ['/api'], cmd: [], programs: { api: async () => 0 } };
  const nginx: ImageDef = { repositories: ['nginx'], entrypoint: ['/mine'], cmd: [], programs: { mine: async () => 0 } };
  a.register(app);
  a.register(nginx);
  assert.equal(a.resolve('docker.io/myorg/api:1.2'), app);
  assert.equal(b.resolve('myorg/api:1.2'), undefined);
  assert.equal(a.resolve('nginx:1.27'), nginx);
  assert.deepEqual(b.resolve('nginx:1.27')?.entrypoint, ['/docker-entrypoint.sh']);
  assert.equal(new ImageRegistry().resolve('myorg/api'), undefined, 'a new registry starts with the built-in images only');
});

test('built-in image definitions cannot be changed through a registry', () => {
  const img = images.resolve('nginx');
  assert.ok(img && Object.isFrozen(img));
  assert.throws(() => { (img as { cmd: string[] }).cmd = ['evil']; }, TypeError);
  assert.throws(() => { img.programs['sh'] = async () => 0; }, TypeError);
  assert.throws(() => { img.cmd.push('evil'); }, TypeError);
});

test("argv follows Kubernetes' command/args rules", () => {
  const img = images.resolve('nginx');
  assert.ok(img);
  assert.deepEqual(argvFor(img), ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  assert.deepEqual(argvFor(img, ['sh', '-c', 'echo hi']), ['sh', '-c', 'echo hi']);
  assert.deepEqual(argvFor(img, ['nginx'], ['-v']), ['nginx', '-v']);
  assert.deepEqual(argvFor(img, undefined, ['nginx', '-t']), ['/docker-entrypoint.sh', 'nginx', '-t']);
  assert.deepEqual(argvFor(img, [], []), ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  const ag = images.resolve('registry.k8s.io/e2e-test-images/agnhost:2.53');
  assert.ok(ag);
  assert.deepEqual(argvFor(ag), ['/agnhost', 'pause']);
  assert.deepEqual(argvFor(ag, undefined, ['netexec', '--http-port=8080']), ['/agnhost', 'netexec', '--http-port=8080']);
  const s = standInImage('myorg/api:1.2');
  assert.ok(isStandIn(s));
  assert.equal(isStandIn(img), false);
  assert.equal(isStandIn({ ...img }), false, 'stand-in-ness is a property of the def');
  assert.deepEqual(argvFor(s, ['node', 'server.js']), ['/knet-stand-in']);
  assert.ok(s.programs.sh && img.programs.sh && img.programs.cat, 'base tools are present');
});

test('MemoryFileSystem layers over a parent', () => {
  const pod = new MemoryFileSystem({ '/etc/hosts': 'pod hosts\n' });
  const fs = new MemoryFileSystem({ '/usr/share/nginx/html/index.html': 'hi' }, pod);
  assert.equal(fs.read('/etc/hosts')?.toString(), 'pod hosts\n');
  assert.deepEqual(fs.list('/'), ['etc', 'usr']);
  assert.deepEqual(fs.list('/usr/share/nginx/html'), ['index.html']);
  assert.equal(fs.list('/usr/share/nginx/html/index.html'), undefined);
  assert.ok(fs.exists('/usr/share/../share/nginx'));
  fs.write('/etc/hosts', 'mine');
  assert.equal(pod.read('/etc/hosts')?.toString(), 'pod hosts\n');
  assert.equal(fs.read('etc/hosts')?.toString(), 'mine');
  assert.ok(fs.remove('/etc/hosts'));
  assert.equal(fs.read('/etc/hosts'), undefined);
  assert.deepEqual(fs.list('/etc'), []);
  assert.equal(fs.remove('/nope'), false);
});
