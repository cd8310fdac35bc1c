import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HtmlLinkRewriter, MAX_TAG, rewriteTag } from './html.js';
import { rewriteLocation } from './paths.js';

const P = '/api/v1/namespaces/default/services/web:80/proxy';
const rw = (u: string): string => rewriteLocation(u, P, '10.244.0.5:80', '127.0.0.1:8001');

/** Runs text through a rewriter in pieces of `size` bytes. */
async function through(html: string, size: number): Promise<string> {
  const r = new HtmlLinkRewriter(rw);
  const out: Buffer[] = [];
  r.on('data', (b: Buffer) => out.push(b));
  const buf = Buffer.from(html, 'utf8');
  for (let i = 0; i < buf.length; i += size) r.write(buf.subarray(i, i + size));
  r.end();
  await new Promise((ok) => r.on('end', ok));
  return Buffer.concat(out).toString('utf8');
}

test('URL attributes of the elements upstream lists are moved under the proxy path; others stay', () => {
  assert.equal(rewriteTag('<a href="/docs/">', rw), `<a href="${P}/docs/">`);
  assert.equal(rewriteTag("<IMG class=x SRC='/i.png' alt='/no'>", rw), `<IMG class=x SRC='${P}/i.png' alt='/no'>`);
  assert.equal(rewriteTag('<form action=/login method=post>', rw), `<form action=${P}/login method=post>`);
  assert.equal(rewriteTag('<a href="http://nginx.org/">', rw), '<a href="http://nginx.org/">');
  assert.equal(rewriteTag('<a href="relative/x">', rw), '<a href="relative/x">');
  assert.equal(rewriteTag('<div href="/x">', rw), '<div href="/x">');
});

test('a page split anywhere gives the same rewritten page; script, style and comments are not read as tags', async () => {
  const page = '<!doctype html><html><head><title><a href="/t"></title><link rel=stylesheet href="/s.css">' +
    '<script>if (a < b) document.write(\'<a href="/js">\')</script><style>a[href="/x"]{}</style></head>' +
    '<body><!-- <a href="/c"> --><p>1 < 2 ünïcode</p><a href="/a?x=1&amp;y=2">a</a><img src="/i.png"/></body></html>';
  const want = page.replace('href="/s.css"', `href="${P}/s.css"`).replace('href="/a?', `href="${P}/a?`).replace('src="/i.png"', `src="${P}/i.png"`);
  for (const size of [1, 2, 3, 7, 64, 10_000]) assert.equal(await through(page, size), want, `pieces of ${size}`);
});

test('a tag longer than MAX_TAG passes unchanged and rewriting goes on after it', async () => {
  const long = `<a title="${'x'.repeat(MAX_TAG)}" href="/long">`;
  const out = await through(`${long}<a href="/next">`, 4096);
  assert.equal(out, `${long}<a href="${P}/next">`);
});
