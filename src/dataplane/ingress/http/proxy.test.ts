import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

test('proxies to the endpoints with ingress-nginx forwarded headers, and logs an access line', async () => {
  const network = createNetwork();
  const a = echoBackend(network, '10.244.1.2', 'a');
  const b = echoBackend(network, '10.244.1.3', 'b');
  const up = upstream('web', [{ ip: a.ip, port: 8080 }, { ip: b.ip, port: 8080 }]);
  const bd = bed(table([server('example.com', [location('/', up)])], (await cert).certificate), { network });
  try {
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await get(bd, '/api?x=1', { headers: { 'X-Forwarded-For': '1.2.3.4', Proxy: 'http://evil', 'User-Agent': 'curl/8.5.0' } });
      assert.equal(r.status, 200);
      const echo = r.json() as { name: string; url: string; headers: Record<string, string> };
      names.add(echo.name);
      assert.equal(echo.url, '/api?x=1');
      const h = echo.headers;
      assert.equal(h.host, 'example.com');
      assert.ok(network.host.ips.includes(h['x-real-ip'] ?? ''), 'X-Real-IP is the client address');
      assert.equal(h['x-forwarded-for'], h['x-real-ip'], 'X-Forwarded-For replaced by the client address');
      assert.equal(h['x-original-forwarded-for'], '1.2.3.4');
      assert.equal(h['x-forwarded-host'], 'example.com');
      assert.equal(h['x-forwarded-port'], '80');
      assert.equal(h['x-forwarded-proto'], 'http');
      assert.equal(h['x-forwarded-scheme'], 'http');
      assert.equal(h['x-scheme'], 'http');
      assert.match(h['x-request-id'] ?? '', /^[0-9a-f]{32}$/);
      assert.equal(h.proxy, undefined, 'httpoxy header removed');
      assert.equal(r.headers.server, undefined, 'no Server header without server-tokens');
      assert.equal(r.headers['x-backend'], echo.name);
    }
    assert.deepEqual([...names].sort(), ['a', 'b'], 'every endpoint gets traffic');
    assert.equal(bd.access.length, 4);
    const line = bd.access[0]!;
    assert.match(line, /^\S+ - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/api\?x=1 HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" \d+ \d+\.\d{3} \[default-web-80\] \[\] 10\.244\.1\.[23]:8080 \d+ \d+\.\d{3} 200 [0-9a-f]{32}$/);
  } finally { bd.close(); }
});

test('an unmatched request gets nginx 404 page and logs upstream-default-backend', async () => {
  const bd = bed(table([], (await cert).certificate));
  try {
    const r = await get(bd, '/nothing');
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'text/html');
    assert.equal(r.body, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    assert.match(bd.access[0]!, /"GET \/nothing HTTP\/1\.1" 404 \d+ "-" "-" \d+ \d+\.\d{3} \[upstream-default-backend\] \[\] - - - - [0-9a-f]{32}$/);
  } finally { bd.close(); }
});
