import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapePath, forwardedUri, parseProxyPath, rewriteLocation } from './paths.js';

const P = '/api/v1/namespaces/default/services/web:80/proxy';

test('proxy paths of services, pods and nodes, with and without a path after /proxy', () => {
  assert.deepEqual(parseProxyPath(`${P}/some/path/`), { resource: 'services', namespace: 'default', id: 'web:80', path: '/some/path/', prefix: P });
  assert.deepEqual(parseProxyPath(`${P}`), { resource: 'services', namespace: 'default', id: 'web:80', path: '', prefix: P });
  assert.equal(parseProxyPath('/api/v1/namespaces/x/pods/p:8080/proxy/healthz')?.resource, 'pods');
  assert.deepEqual(parseProxyPath('/api/v1/nodes/n1/proxy/healthz'), { resource: 'nodes', namespace: '', id: 'n1', path: '/healthz', prefix: '/api/v1/nodes/n1/proxy' });
  assert.equal(parseProxyPath('/api/v1/namespaces/x/services/web'), undefined);
  assert.equal(parseProxyPath('/api/v1/namespaces/x/configmaps/web/proxy/'), undefined);
  assert.equal(parseProxyPath('/apis/apps/v1/namespaces/x/services/web/proxy/'), undefined);
});

test('the backend path is escaped as Go escapes a URL path', () => {
  assert.equal(escapePath('/a b/ü/x:y@z;$&+,='), '/a%20b/%C3%BC/x:y@z;$&+,=');
  assert.equal(escapePath('/q?#'), '/q%3F%23');
});

test('X-Forwarded-Uri is the proxy prefix joined with the path, keeping a trailing slash', () => {
  assert.equal(forwardedUri(P, '/some/path'), `${P}/some/path`);
  assert.equal(forwardedUri(P, '/'), `${P}/`);
  assert.equal(forwardedUri(P, '/dir/'), `${P}/dir/`);
});

test('Location headers of the backend are moved under the proxy path (proxy/transport.go rewriteURL)', () => {
  const backend = '10.244.1.5:8080';
  assert.equal(rewriteLocation('/login?next=/x', P, backend, '127.0.0.1:8001'), `${P}/login?next=/x`);
  assert.equal(rewriteLocation('/dir/', P, backend, '127.0.0.1:8001'), `${P}/dir/`);
  assert.equal(rewriteLocation(`http://${backend}/a#f`, P, backend, '127.0.0.1:8001'), `${P}/a#f`);
  assert.equal(rewriteLocation('http://127.0.0.1:8001/a', P, backend, '127.0.0.1:8001'), `http://127.0.0.1:8001${P}/a`);
  assert.equal(rewriteLocation(`${P}/already`, P, backend, 'h'), `${P}/already`);
  // Other hosts and relative references pass unchanged.
  assert.equal(rewriteLocation('https://example.com/a', P, backend, 'h'), 'https://example.com/a');
  assert.equal(rewriteLocation('next/page', P, backend, 'h'), 'next/page');
});
