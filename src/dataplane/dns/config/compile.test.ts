import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corefileHandler, rr } from '../testutil.js';
import { defaultCorefile } from './default.js';

const compile = (text: string, log?: (l: string) => void) => corefileHandler(text, { log }).config;

test('plugins run in plugin.cfg order, not in the order of the file', () => {
  const cfg = compile('.:53 {\n  forward . /etc/resolv.conf\n  cache\n  log\n  kubernetes cluster.local\n  rewrite name a.example b.example\n  errors\n  hosts {\n    fallthrough\n  }\n}\n');
  assert.deepEqual(cfg.servers.get(53)?.[0]?.plugins, ['errors', 'log', 'cache', 'rewrite', 'hosts', 'kubernetes', 'forward']);
  assert.equal(cfg.reuse, false, 'a log plugin makes every query run the chain');
});

test('kubeadm\'s Corefile compiles with its settings: health lameduck 5s, ready, prometheus :9153, reload 30s ± 15s', () => {
  const cfg = compile(defaultCorefile('cluster.local'));
  assert.deepEqual(cfg.servers.get(53)?.[0]?.plugins, ['errors', 'loadbalance', 'cache', 'kubernetes', 'forward']);
  assert.deepEqual(cfg.settings, { health: { port: 8080, lameduckMs: 5000 }, ready: { port: 8181 }, prometheus: { port: 9153 }, reload: { intervalMs: 30_000, jitterMs: 15_000 } });
  assert.match(cfg.sha512, /^[0-9a-f]{128}$/);
  assert.deepEqual(cfg.warnings, []);
});

test('queries go to the server block with the most specific zone; no zone is REFUSED', async () => {
  const h = corefileHandler('example.org {\n  template IN A {\n    answer "{{ .Name }} 60 IN A 192.0.2.1"\n  }\n}\nsub.example.org:53 {\n  template IN A {\n    answer "{{ .Name }} 60 IN A 192.0.2.2"\n  }\n}\n');
  assert.deepEqual((await h.ask('www.example.org')).answers?.map(rr), ['A 192.0.2.1']);
  assert.deepEqual((await h.ask('www.sub.example.org')).answers?.map(rr), ['A 192.0.2.2']);
  assert.equal((await h.ask('example.com')).rcode, 'REFUSED');
});

test('blocks on other ports are kept apart', () => {
  const cfg = compile('.:53 {\n  whoami\n}\nexample.org:5353 {\n  loop\n}\n');
  assert.deepEqual([...cfg.servers.keys()], [53, 5353]);
  assert.deepEqual(cfg.warnings, ['[WARNING] plugin/whoami: not supported by knet; ignored']);
});

test('an unknown directive is logged in CoreDNS\'s words and the rest is served', async () => {
  const h = corefileHandler('.:53 {\n  errors\n  foo bar\n  hosts {\n    192.0.2.9 x.test\n  }\n}\n');
  assert.deepEqual(h.config.warnings, ["[WARNING] Corefile:3 - Error during parsing: Unknown directive 'foo'"]);
  assert.deepEqual((await h.ask('x.test')).answers?.map(rr), ['A 192.0.2.9']);
});

// [name, Corefile, CoreDNS's error]
const errors: [string, string, RegExp][] = [
  ['zone defined twice', 'example.org {\n}\nexample.org:53 {\n}\n', /^cannot serve dns:\/\/example\.org\.:53 - it is already defined$/],
  ['bad port', 'example.org:http {\n}\n', /invalid port "http"/],
  ['forward to nothing usable', '. {\n  forward . x\n}\n', /^plugin\/forward: not an IP address or file: "x"$/],
  ['forward without a target', '. {\n  forward .\n}\n', /^plugin\/forward: Corefile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'forward'$/],
  ['unknown property', '. {\n  cache {\n    nonsense 1\n  }\n}\n', /^plugin\/cache: Corefile:3 - Error during parsing: unknown property 'nonsense'$/],
  ['reload too often', '. {\n  reload 1s\n}\n', /^plugin\/reload: interval value must be greater or equal to 2s$/],
  ['bad duration', '. {\n  health {\n    lameduck soon\n  }\n}\n', /^plugin\/health: time: invalid duration "soon"$/],
  ['kubernetes ttl out of range', '. {\n  kubernetes cluster.local {\n    ttl 4000\n  }\n}\n', /ttl must be in range \[0, 3600\]: 4000/],
  ['bad pods mode', '. {\n  kubernetes {\n    pods maybe\n  }\n}\n', /value 'maybe' for pod mode is invalid/],
  ['bad regex', '. {\n  rewrite name regex (unclosed x\n}\n', /^plugin\/rewrite: Corefile:2 - Error during parsing: invalid regex pattern in a rule: \(unclosed/],
  ['syntax error', '. {\n  log\n', /^Corefile:2 - Error during parsing: Unexpected EOF$/],
];

test('bad Corefiles fail with CoreDNS\'s errors (table)', () => {
  for (const [name, text, want] of errors) assert.throws(() => compile(text), { message: want }, name);
});

