import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetwork } from '../../../net/network.js';
import type { AffinityConfig, CanaryConfig } from '../model.js';
import { bed, echoBackend, get, location, selfSigned, server, table, upstream } from './testing.js';

const cert = selfSigned('Kubernetes Ingress Controller Fake Certificate', ['ingress.local']);

function affinity(a: Partial<AffinityConfig> = {}): AffinityConfig {
  return { mode: 'balanced', cookieName: 'INGRESSCOOKIE', conditionalSameSiteNone: false, secure: false, changeOnFailure: false, ...a };
}

async function setup(canary: Omit<CanaryConfig, 'upstream' | 'ingress' | 'weightTotal'> & { weightTotal?: number }, aff?: AffinityConfig) {
  const network = createNetwork();
  const main = echoBackend(network, '10.244.1.2', 'main');
  const alt = echoBackend(network, '10.244.1.3', 'canary');
  const altUp = upstream('canary', [{ ip: alt.ip, port: 8080 }]);
  const bd = bed(table([server('example.com', [location('/', upstream('main', [{ ip: main.ip, port: 8080 }]), {
    canary: { upstream: altUp, ingress: { namespace: 'default', name: 'web-canary' }, weightTotal: 100, ...canary }, affinity: aff,
  })])], (await cert).certificate), { network });
  const who = async (headers: Record<string, string> = {}): Promise<string> => ((await get(bd, '/', { headers })).json() as { name: string }).name;
  return { bd, who };
}

test('canary by header: exact value, always/never, pattern; logged as the alternative upstream', async () => {
  const { bd, who } = await setup({ byHeader: 'X-Canary' });
  try {
    assert.equal(await who(), 'main');
    assert.equal(await who({ 'X-Canary': 'always' }), 'canary');
    assert.equal(await who({ 'X-Canary': 'never' }), 'main');
    assert.equal(await who({ 'X-Canary': 'other' }), 'main');
    assert.match(bd.access[1]!, /\[default-main-80\] \[default-canary-80\] 10\.244\.1\.3:8080 /);
    assert.match(bd.access[0]!, /\[default-main-80\] \[\] 10\.244\.1\.2:8080 /);
  } finally { bd.close(); }
  const v = await setup({ byHeader: 'X-Canary', byHeaderValue: 'yes' });
  try {
    assert.equal(await v.who({ 'X-Canary': 'yes' }), 'canary');
    assert.equal(await v.who({ 'X-Canary': 'always' }), 'main');
  } finally { v.bd.close(); }
  const p = await setup({ byHeader: 'X-Canary', byHeaderPattern: (s) => s.startsWith('beta') });
  try {
    assert.equal(await p.who({ 'X-Canary': 'beta-1' }), 'canary');
    assert.equal(await p.who({ 'X-Canary': 'alpha' }), 'main');
  } finally { p.bd.close(); }
});

test('canary by cookie and by weight (each side within ±10% of 400 requests at 50)', async () => {
  const c = await setup({ byCookie: 'canary' });
  try {
    assert.equal(await c.who({ Cookie: 'a=b; canary=always' }), 'canary');
    assert.equal(await c.who({ Cookie: 'canary=never' }), 'main');
    assert.equal(await c.who(), 'main');
  } finally { c.bd.close(); }
  const w = await setup({ weight: 50 });
  try {
    let n = 0;
    for (let i = 0; i < 400; i++) if (await w.who() === 'canary') n++;
    assert.ok(n >= 160 && n <= 240, `canary served ${n} of 400`);
  } finally { w.bd.close(); }
  const zero = await setup({ weight: 0, byHeader: 'X-Canary' });
  try {
    for (let i = 0; i < 20; i++) assert.equal(await zero.who(), 'main');
  } finally { zero.bd.close(); }
});

test('cookie affinity: INGRESSCOOKIE set once, requests stick to one endpoint, new clients are balanced', async () => {
  const network = createNetwork();
  const eps = [echoBackend(network, '10.244.1.2', 'a'), echoBackend(network, '10.244.1.3', 'b'), echoBackend(network, '10.244.1.4', 'c')];
  const bd = bed(table([server('example.com', [location('/app', upstream('web', eps.map((e) => ({ ip: e.ip, port: 8080 }))), {
    affinity: affinity({ maxAge: 172800, sameSite: 'Lax' }),
  })])], (await cert).certificate), { network });
  try {
    const first = await get(bd, '/app');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    assert.match(cookie, /^INGRESSCOOKIE=[0-9a-f]{32}\|[0-9a-f]{32}; Max-Age=172800; Path=\/app; HttpOnly; SameSite=Lax$/);
    const name = (first.json() as { name: string }).name;
    const value = cookie.split(';')[0]!;
    for (let i = 0; i < 10; i++) {
      const r = await get(bd, '/app', { headers: { Cookie: value } });
      assert.equal((r.json() as { name: string }).name, name);
      assert.equal(r.headers['set-cookie'], undefined, 'a valid cookie is not re-sent');
    }
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add(((await get(bd, '/app')).json() as { name: string }).name);
    assert.equal(names.size, 3, 'new clients spread over every endpoint');
    const stale = await get(bd, '/app', { headers: { Cookie: 'INGRESSCOOKIE=00000000000000000000000000000000|ffff' } });
    assert.match(stale.headers['set-cookie']?.[0] ?? '', /^INGRESSCOOKIE=/, 'a cookie for a removed endpoint is re-assigned');
  } finally { bd.close(); }
});

test('affinity to the canary side wins over the canary rules', async () => {
  const { bd, who } = await setup({ byHeader: 'X-Canary' }, affinity());
  try {
    const r = await get(bd, '/', { headers: { 'X-Canary': 'always' } });
    assert.equal((r.json() as { name: string }).name, 'canary');
    const value = (r.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    assert.equal(await who({ Cookie: value }), 'canary');
    assert.equal(await who({ Cookie: value, 'X-Canary': 'never' }), 'canary');
  } finally { bd.close(); }
});
