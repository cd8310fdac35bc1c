import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCorefile, type Directive } from './parse.js';
import { lex, substituteEnv } from './lexer.js';

/** A directive tree as text: `name args [ {…} ]`. */
const show = (ds: Directive[]): string[] => ds.map((d) => [d.name, ...d.args].join(' ') + (d.block.length ? ` { ${show(d.block).join('; ')} }` : ''));

test('kubeadm\'s Corefile: one block, nested options, file order kept', () => {
  const [b, ...rest] = parseCorefile(`.:53 {
    errors
    health {
       lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    reload
}
`);
  assert.equal(rest.length, 0);
  assert.deepEqual(b?.keys, ['.:53']);
  assert.deepEqual(show(b!.directives), [
    'errors', 'health { lameduck 5s }', 'kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa }',
    'forward . /etc/resolv.conf { max_concurrent 1000 }', 'reload',
  ]);
  assert.equal(b!.directives[2]!.line, 6);
});

// [name, Corefile, blocks as "keys: directives"]
const cases: [string, string, string[]][] = [
  ['several blocks and keys, comma-separated keys', 'example.org:53, example.com {\n  whoami\n}\n. {\n forward . 1.1.1.1\n}\n', ['example.org:53 example.com: whoami', '.: forward . 1.1.1.1']],
  ['comments anywhere, # inside a token kept', '# top\n.:53 { # after brace\n  log # trailing\n  hosts {\n    10.0.0.1 a#b # c\n  }\n}\n', ['.:53: log | hosts { 10.0.0.1 a#b }']],
  ['quoted strings keep spaces and escaped quotes', '. {\n  template IN A {\n    answer "{{ .Name }} 60 IN A 1.2.3.4"\n    answer "say \\"hi\\""\n  }\n}', ['.: template IN A { answer {{ .Name }} 60 IN A 1.2.3.4; answer say "hi" }']],
  ['a single block without braces runs to the end of the file', '.:1053\nwhoami\nlog\n', ['.:1053: whoami | log']],
  ['a block closed on the directive line', '. { whoami }\n', ['.: whoami']],
  ['snippets and import', '(common) {\n  errors\n  log\n}\n. {\n  import common\n  whoami\n}\n', ['.: errors | log | whoami']],
  ['empty block', 'example.org {\n}\n', ['example.org: ']],
];

test('server blocks, keys and directives (table)', () => {
  for (const [name, text, want] of cases) {
    const got = parseCorefile(text).map((b) => `${b.keys.join(' ')}: ${show(b.directives).join(' | ')}`);
    assert.deepEqual(got, want, name);
  }
});

test('env substitution {$VAR}, {$VAR:default} and {%VAR%}', () => {
  assert.equal(substituteEnv('{$ZONE}:{$PORT:53}', { ZONE: 'example.org' }), 'example.org:53');
  assert.equal(substituteEnv('{%UP%}', { UP: '10.0.0.1' }), '10.0.0.1');
  const [b] = parseCorefile('{$ZONE} {\n  forward . {$UP}\n}', { env: { ZONE: 'example.org', UP: '127.0.0.1:5300' } });
  assert.deepEqual(b?.keys, ['example.org']);
  assert.deepEqual(b?.directives[0]?.args, ['.', '127.0.0.1:5300']);
});

test('import FILE reads through the reader; lines keep their file', () => {
  const [b] = parseCorefile('. {\n  import /etc/coredns/extra.conf\n}', { readFile: (p) => (p === '/etc/coredns/extra.conf' ? 'log\nwhoami\n' : undefined) });
  assert.deepEqual(b?.directives.map((d) => `${d.file}:${d.line} ${d.name}`), ['/etc/coredns/extra.conf:1 log', '/etc/coredns/extra.conf:2 whoami']);
});

// CoreDNS (Caddy's parser) wording: "FILE:LINE - Error during parsing: MSG".
const errors: [string, string, RegExp][] = [
  ['stray closing brace', '. {\n  log\n}\n}\n', /^Corefile:4 - Error during parsing: Unexpected '}' because no matching opening brace$/],
  ['unclosed block', '. {\n  log\n  hosts {\n', /^Corefile:3 - Error during parsing: Unexpected EOF$/],
  ['unterminated quote', '. {\n  log "abc\n}\n', /^Corefile:2 - Error during parsing: Unexpected EOF$/],
  ['import of a missing snippet or file', '. {\n  import nothere\n}', /^Corefile:2 - Error during parsing: File to import not found: nothere$/],
  ['import without argument', '. {\n  import\n}', /^Corefile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'import'$/],
  ['second block without braces', '. {\n log\n}\nexample.org\n whoami\n', /^Corefile:4 - Error during parsing: Expected '\{' after server block keys/],
  ['import cycle', '(a) {\n  import a\n}\n. {\n  import a\n}', /Import cycle/],
];

test('bad Corefiles fail with CoreDNS\'s messages (table)', () => {
  for (const [name, text, want] of errors) assert.throws(() => parseCorefile(text), { message: want }, name);
});

test('the lexer numbers lines across multi-line quotes', () => {
  const toks = lex('a "b\nc" d\ne', 'F');
  assert.deepEqual(toks.map((t) => `${t.line}:${t.text}`), ['1:a', '1:b\nc', '2:d', '3:e']);
});

test('import fan-out is capped: ten snippets each importing the next ten times fail fast with a parse error', () => {
  let text = '(s0) {\n  log\n}\n';
  for (let i = 1; i < 10; i++) text += `(s${i}) {\n${`  import s${i - 1}\n`.repeat(10)}}\n`;
  text += '. {\n  import s9\n}\n';
  const start = performance.now();
  assert.throws(() => parseCorefile(text), /Corefile:\d+ - Error during parsing: Too many tokens after expanding imports \(more than 100000\): import fans out too much$/);
  assert.ok(performance.now() - start < 1000);
  // A modest fan-out (10 × 10 = 100 directives) still parses.
  const [b] = parseCorefile('(a) {\n  log\n}\n(b) {\n' + '  import a\n'.repeat(10) + '}\n. {\n' + '  import b\n'.repeat(10) + '}\n');
  assert.equal(b?.directives.length, 100);
});
