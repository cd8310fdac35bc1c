// explain and the truth table over a snapshot model: the same pipeline (service proxy, then the
// policy filter) a running cluster uses; outputs compared with golden files in testdata/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { explain } from './explain.js';
import { parseRef } from './refs.js';
import { buildModel } from './model.js';
import { tablePods, tableKeys, truthTable } from './matrix.js';
import { checkExpected, compareTables, formatTable, parseExpected, tally } from './table-format.js';
import { policy, snapshot } from './testkit.js';

const golden = (name: string): string => readFileSync(fileURLToPath(new URL(`../../../src/analysis/testdata/${name}`, import.meta.url)), 'utf8');

const DENY_Y = policy('y', 'allow-from-x-a', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } }, podSelector: { matchLabels: { pod: 'a' } } }], ports: [{ port: 'serve-80-tcp' }] }] });

test('explain through a Service: the path, the proxy hop, both policy sides with rule indexes; exit status follows the verdict', () => {
  const m = buildModel(snapshot([DENY_Y]));
  const ok = explain(m, 'x/a', 's-y-a.y.svc.cluster.local:80');
  assert.equal(ok.text, golden('explain-allowed.txt'));
  assert.equal(ok.allowed, true);
  const no = explain(m, 'x/b', 'svc/s-y-a', 'y');
  assert.equal(no.text, golden('explain-dropped.txt'));
  assert.equal(no.allowed, false);
  assert.equal(explain(m, 'x/b', 'y/a:81').allowed, false);
  assert.equal(explain(m, 'y/b', 'x/a:81').allowed, true);
});

test('explain refuses what it cannot resolve, with the fix', () => {
  const m = buildModel(snapshot([]));
  assert.throws(() => explain(m, 'x/zz', 'y/a:80'), /pod "zz" not found in namespace "x"/);
  assert.throws(() => explain(m, 'x/a', 'nowhere.example.com:80'), /cannot resolve "nowhere.example.com"/);
  assert.throws(() => explain(m, 'x/a:80', 'y/a:80'), /takes no port/);
  assert.throws(() => explain(m, 'x/a', 'y/a:http'), /port must be a number/);
});

test('the truth table: golden grid, --expect in grid, TSV and YAML forms, every differing cell listed', () => {
  const m = buildModel(snapshot([DENY_Y]));
  const pods = tablePods(m, []);
  const keys = tableKeys(pods, [], []);
  assert.deepEqual(keys.map((k) => `${k.protocol}/${k.port}`), ['TCP/80', 'TCP/81']);
  const t = truthTable(m, pods, keys);
  const text = formatTable(t);
  assert.equal(text, golden('connectivity.txt'));
  assert.deepEqual(compareTables(t, parseExpected(text, 'same.txt', 'TCP/80')), []);
  const tsv = '-\tx/a\tx/b\ty/a\ty/b\nx/a\t.\t.\t.\t.\nx/b\t.\t.\t.\t.\ny/a\t.\t.\t.\t.\ny/b\t.\t.\t.\t?\n';
  assert.deepEqual(compareTables(t, parseExpected(tsv, 'e2e.tsv', 'TCP/80')), [
    'TCP/80 x/b -> y/a: expected . (allowed), computed X (blocked)',
    'TCP/80 y/b -> y/a: expected . (allowed), computed X (blocked)',
  ]);
  const yaml = 'TCP/81:\n  x/a:\n    y/a: "."\n';
  assert.deepEqual(compareTables(t, parseExpected(yaml, 'e.yaml', 'TCP/80')), ['TCP/81 x/a -> y/a: expected . (allowed), computed X (blocked)']);
  assert.throws(() => parseExpected('TCP/80:\n  x/a:\n    y/a: maybe\n', 'bad.yaml', 'TCP/80'), /bad.yaml: TCP\/80 x\/a -> y\/a: a cell must be/);
});

test('checking against an expectation: the tally counts every compared cell; unknown pods and keys count as wrong', () => {
  const m = buildModel(snapshot([DENY_Y]));
  const pods = tablePods(m, []);
  const t = truthTable(m, pods, tableKeys(pods, [], []));
  const same = checkExpected(t, parseExpected(formatTable(t), 'same.txt', 'TCP/80'));
  assert.deepEqual([same.diffs, same.correct, same.total, same.ignored], [[], 24, 32, 8]);
  assert.equal(tally(same), '0 wrong, 24 correct, 8 ignored out of 32', 'a pod to itself is ignored, as upstream e2e ignores loopback');
  const yaml = 'TCP/80:\n  x/b:\n    y/a: "."\n    y/b: "."\n    q/q: "X"\nUDP/53:\n  x/a:\n    x/b: "."\n';
  const c = checkExpected(t, parseExpected(yaml, 'e.yaml', 'TCP/80'));
  assert.deepEqual(c.diffs, [
    'TCP/80 x/b -> y/a: expected . (allowed), computed X (blocked)',
    'TCP/80 x/b -> q/q: no such pod in the table',
    'UDP/53: not computed (keys: TCP/80, TCP/81)',
  ]);
  assert.equal(tally(c), '3 wrong, 1 correct out of 4');
});

test('review: references — a protocol only after a port or a slashed name; a node address as the source is that node', () => {
  assert.deepEqual(parseRef('x/tcp'), { ref: 'x/tcp', port: undefined, protocol: undefined });
  assert.deepEqual(parseRef('svc/udp'), { ref: 'svc/udp', port: undefined, protocol: undefined });
  assert.deepEqual(parseRef('web:53/udp'), { ref: 'web', port: 53, protocol: 'UDP' });
  assert.deepEqual(parseRef('x/a/sctp'), { ref: 'x/a', port: undefined, protocol: 'SCTP' });
  const m = buildModel(snapshot([policy('x', 'deny', { podSelector: {}, ingress: [] })]));
  const fromNode = explain(m, '127.1.0.1', 'x/a:80');
  assert.equal(fromNode.allowed, true, fromNode.text);
  assert.match(fromNode.text, /ingress of x\/a: allowed: traffic from the pod's own node is always allowed/);
});

test('review: expected tables — Cyclonus\'s Combined table, lowercase keys, comments and tab indents read; malformed ones refused with the line', () => {
  const m = buildModel(snapshot([DENY_Y]));
  const pods = tablePods(m, []);
  const t = truthTable(m, pods, tableKeys(pods, [], []));
  const grid = (rows: string[][]): string => rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  const cyclonus = ['# from cyclonus', 'Ingress:', grid([[' ', 'X/A'], ['x/a', 'X']]), '', 'Combined:', grid([[' ', 'X/A', 'Y/A'], ['x/b', '.', '.']]), ''].join('\n');
  assert.deepEqual(compareTables(t, parseExpected(cyclonus, 'c.txt', 'TCP/80')), ['TCP/80 x/b -> y/a: expected . (allowed), computed X (blocked)']);
  const lower = 'tcp/81:\n\t-\tx/a\ty/a\n\tx/a\t.\tX\n';
  assert.deepEqual(compareTables(t, parseExpected(lower, 'l.tsv', 'TCP/80')), []);
  assert.throws(() => parseExpected('-\tx/a\nx/a\t.\nx/a\tX\n', 'dup.tsv', 'TCP/80'), /dup.tsv:3: a second row for x\/a/);
  assert.throws(() => parseExpected('-\tx/a\nx/a\t.\t.\n', 'wide.tsv', 'TCP/80'), /wide.tsv:2: 2 cells for 1 destinations/);
  assert.throws(() => parseExpected('-\tx/a\n\nx/a\t.\n', 'gap.tsv', 'TCP/80'), /gap.tsv:1: a table with a header and no rows/);
  assert.throws(() => parseExpected('# nothing here\n', 'empty.txt', 'TCP/80'), /empty.txt: /);
});

test('review: explain a Service port given without protocol means TCP when both exist (kube-dns 53)', () => {
  const s = snapshot([]);
  s.services.push({ ...s.services[0]!, metadata: { ...s.services[0]!.metadata, name: 'dns' }, spec: { ...s.services[0]!.spec, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }] } });
  const m = buildModel(s);
  assert.match(explain(m, 'x/a', 'svc/dns:53', 'x').text, /^to: {3}Service x\/dns 10\.96\.0\.10:53\/TCP$/m);
  assert.match(explain(m, 'x/a', 'svc/dns:53/udp', 'x').text, /^to: {3}Service x\/dns 10\.96\.0\.10:53\/UDP$/m);
});
