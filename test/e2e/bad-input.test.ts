// End-to-end: malformed, invalid and hostile requests get the Kubernetes Status a real cluster
// sends (over raw HTTPS and through kubectl), change nothing, and never take the server down;
// plus a seeded fuzz run (KNET_FUZZ_SEED=<n> repeats one; KNET_FUZZ_LOG=1 prints every request).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Knet } from './harness.js';
import { client, jsonBody, loadCreds, type RawOptions, type RawResponse } from './rawhttp.js';
import { Rng, randomRequest, manifests, namespaced as fuzzPaths } from './fuzz-gen.js';

type Req = (method: string, path: string, opts?: RawOptions) => Promise<RawResponse>;
interface Status { kind: string; apiVersion: string; status: string; code: number; reason?: string; message?: string }

/** Asserts a Kubernetes Status response with the given code and reason (and message). */
function assertStatus(r: RawResponse, code: number, reason: string, message?: string | RegExp): Status {
  assert.equal(r.status, code, r.text);
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const s = r.json as Status;
  assert.equal(s?.kind, 'Status', r.text);
  assert.equal(s.apiVersion, 'v1');
  assert.equal(s.status, 'Failure');
  assert.equal(s.code, code);
  assert.equal(s.reason, reason, r.text);
  if (typeof message === 'string') assert.equal(s.message, message);
  else if (message) assert.match(s.message ?? '', message);
  return s;
}

const svc = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });
const SVCS = '/api/v1/namespaces/default/services';
const CMS = '/api/v1/namespaces/default/configmaps';

describe('bad input', () => {
  const knet = new Knet();
  let req: Req;
  let snapshot: string[] = [];
  const refPaths = [`${SVCS}/ref`, `${CMS}/ref`];
  const file = (name: string, text: string) => { const p = join(knet.dir, name); writeFileSync(p, text); return p; };
  before(async () => {
    await knet.start();
    req = client(knet.port, loadCreds(knet.kubeconfig));
    assert.equal((await req('POST', SVCS, jsonBody(svc('ref', { selector: { app: 'ref' } })))).status, 201);
    assert.equal((await req('POST', CMS, jsonBody({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ref' }, data: { a: '1' } }))).status, 201);
    snapshot = await Promise.all(refPaths.map(async (p) => (await req('GET', p)).text));
  });
  // SIGKILL: the fuzz run deletes pods, and a SIGTERM'd knet then lingers for their grace period.
  after(async () => { await knet.stop('SIGKILL'); await knet.cleanup(); });

  it('kubectl apply of a malformed YAML file fails in kubectl with exit code 1', async () => {
    const r = await knet.kubectl(['apply', '-f', file('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\ndata: {a: 1\n')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: error parsing .*broken\.yaml: error converting YAML to JSON: yaml: /);
  });

  it('a malformed JSON body gets 400 Bad Request', async () => {
    for (const body of ['{"apiVersion": "v1", "kind": ', 'xyz', '{"a":1,}', '']) {
      const r = await req('POST', CMS, { body, headers: { 'Content-Type': 'application/json' } });
      assertStatus(r, 400, 'BadRequest');
    }
    const r = await req('POST', CMS, { body: '{"apiVersion": "v1", "kind": ', headers: { 'Content-Type': 'application/json' } });
    assertStatus(r, 400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": "v1", "kind": )');
    const long = await req('POST', CMS, { body: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {', headers: { 'Content-Type': 'application/json' } });
    assertStatus(long, 400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": "v1", "kind": " ...)');
    const comma = await req('POST', CMS, { body: '{"a":1,}', headers: { 'Content-Type': 'application/json' } });
    assertStatus(comma, 400, 'BadRequest', /json parse error: invalid character '\}' looking for beginning of object key string \(\{"a":1,\}\)$/);
    const arr = await req('POST', CMS, { body: '[1]', headers: { 'Content-Type': 'application/json' } });
    assertStatus(arr, 400, 'BadRequest', /json parse error: json: cannot unmarshal array into Go value of type struct \{ APIVersion string .* \(5b315d\)$/);
    const x = await req('POST', CMS, { body: 'xyz', headers: { 'Content-Type': 'application/json' } });
    assertStatus(x, 400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: invalid character \'x\' looking for beginning of value (78797a)');
  });

  it('fieldValidation: Strict refuses unknown fields, Warn warns, Ignore drops them', async () => {
    const body = svc('fv', { portz: 1 });
    const strict = await req('POST', `${SVCS}?fieldValidation=Strict`, jsonBody(body));
    assertStatus(strict, 400, 'BadRequest', 'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.portz"');
    const warn = await req('POST', `${SVCS}?fieldValidation=Warn`, jsonBody(body));
    assert.equal(warn.status, 201, warn.text);
    assert.equal(warn.headers['warning'], '299 - "unknown field \\"spec.portz\\""');
    assert.equal((warn.json as { spec: Record<string, unknown> }).spec['portz'], undefined);
    const ignore = await req('POST', `${SVCS}?fieldValidation=Ignore`, jsonBody(svc('fv2', { portz: 1 })));
    assert.equal(ignore.status, 201, ignore.text);
    assert.equal(ignore.headers['warning'], undefined);
    assertStatus(await req('POST', `${SVCS}?fieldValidation=Maybe`, jsonBody(svc('fv3'))), 400, 'BadRequest');
  });

  it('kubectl apply of a manifest with an unknown field prints the strict decoding error', async () => {
    const p = file('portz.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: portz\nspec:\n  portz: 1\n  ports:\n  - port: 80\n');
    const r = await knet.kubectl(['apply', '-f', p]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error from server (BadRequest): error when creating "${p}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.portz"`);
  });

  it('invalid names, ports and node ports are refused with 422 and Kubernetes messages', async () => {
    const bad = await knet.kubectl(['apply', '-f', file('bad-name.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  ports:\n  - port: 80\n')]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'The Service "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')');
    const port = await req('POST', SVCS, jsonBody(svc('p', { ports: [{ port: 70000, targetPort: 80 }] })));
    assertStatus(port, 422, 'Invalid', 'Service "p" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    const np = await req('POST', SVCS, jsonBody(svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] })));
    assertStatus(np, 422, 'Invalid', 'Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767');
    const k = await knet.kubectl(['create', 'service', 'nodeport', 'np2', '--tcp=80:80', '--node-port=29999']);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /^error: failed to create NodePort service: Service "np2" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 29999: provided port is not in the valid range\. The range of valid ports is 30000-32767$/m);
  });

  it('a 10 MiB body gets 413 (or a reset) and the server keeps serving', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(10 * 1024 * 1024) } });
    for (const [method, path] of [['POST', CMS], ['PUT', `${CMS}/ref`]] as const) {
      try {
        const r = await req(method, path, { ...jsonBody(null), body: big, timeoutMs: 20_000 });
        assertStatus(r, 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
      } catch (e) {
        assert.match(String((e as NodeJS.ErrnoException).code ?? e), /ECONNRESET|EPIPE/);
      }
    }
    assert.equal((await req('GET', '/readyz')).text, 'ok');
    assertStatus(await req('GET', `${CMS}/big`), 404, 'NotFound');
  });

  it('wrong content types get 415', async () => {
    assertStatus(await req('POST', CMS, { body: 'hello', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType',
      /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/);
    assertStatus(await req('PUT', `${CMS}/ref`, { body: '{}', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
    assertStatus(await req('PATCH', `${CMS}/ref`, jsonBody({ data: { a: '2' } })), 415, 'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
  });

  it('a body of the wrong apiVersion or kind gets 400', async () => {
    assertStatus(await req('POST', SVCS, jsonBody({ ...svc('k'), kind: 'ConfigMap' })), 400, 'BadRequest');
    assertStatus(await req('POST', SVCS, jsonBody({ ...svc('k'), apiVersion: 'apps/v1' })), 400, 'BadRequest');
    assertStatus(await req('PUT', `${SVCS}/ref`, jsonBody({ ...svc('ref'), kind: 'Pod' })), 400, 'BadRequest');
  });

  it('unknown resources and missing namespaces get 404', async () => {
    assertStatus(await req('POST', '/api/v1/namespaces/default/widgets', jsonBody({})), 404, 'NotFound', 'the server could not find the requested resource');
    assertStatus(await req('POST', '/apis/nope.io/v1/namespaces/default/things', jsonBody({})), 404, 'NotFound');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'k' } };
    assertStatus(await req('POST', '/api/v1/namespaces/nope/configmaps', jsonBody(cm)), 404, 'NotFound', 'namespaces "nope" not found');
    const k = await knet.kubectl(['create', 'configmap', 'k', '-n', 'nope']);
    assert.equal(k.code, 1);
    assert.equal(k.stderr.trim(), 'error: failed to create configmap: namespaces "nope" not found');
  });

  it('duplicate creates get 409 AlreadyExists, stale updates 409 Conflict', async () => {
    assertStatus(await req('POST', SVCS, jsonBody(svc('ref'))), 409, 'AlreadyExists', 'services "ref" already exists');
    const cur = (await req('GET', `${CMS}/ref`)).json as { metadata: { resourceVersion: string } };
    const stale = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ref', resourceVersion: String(Number(cur.metadata.resourceVersion) - 1) }, data: { a: 'changed' } };
    assertStatus(await req('PUT', `${CMS}/ref`, jsonBody(stale)), 409, 'Conflict',
      'Operation cannot be fulfilled on configmaps "ref": the object has been modified; please apply your changes to the latest version and try again');
    const k = await knet.kubectl(['create', 'configmap', 'ref']);
    assert.equal(k.code, 1);
    assert.equal(k.stderr.trim(), 'error: failed to create configmap: configmaps "ref" already exists');
  });

  it('requests without credentials get 401', async () => {
    for (const [m, p] of [['GET', SVCS], ['POST', CMS], ['DELETE', `${CMS}/ref`], ['GET', '/api']] as const) {
      assertStatus(await req(m, p, { ...jsonBody({}), anonymous: true }), 401, 'Unauthorized', 'Unauthorized');
    }
    assertStatus(await req('GET', SVCS, { anonymous: true, headers: { Authorization: 'Bearer wrong' } }), 401, 'Unauthorized');
  });

  it('hostile bodies (deep nesting, null list items, non-string kinds) get 4xx and the server stays up', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const json = (body: string) => ({ body, headers: { 'Content-Type': 'application/json' } });
    assertStatus(await req('POST', CMS, json(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"x":${deep(5000)}}`)), 400, 'BadRequest', /json parse error: exceeded max depth \(/);
    assertStatus(await req('POST', CMS, json(`{"metadata":{"name":"d"},"x":${deep(20_000)}}`)), 400, 'BadRequest', /exceeded max depth/);
    assertStatus(await req('PATCH', `${CMS}/ref`, { body: `{"data":${deep(5000)}}`, headers: { 'Content-Type': 'application/merge-patch+json' } }), 400, 'BadRequest');
    let block = '';
    for (let i = 0; i < 900; i++) block += `${' '.repeat(i)}a:\n`;
    const apply = { body: block, headers: { 'Content-Type': 'application/apply-patch+yaml' } };
    assertStatus(await req('PATCH', `${CMS}/ref?fieldManager=x`, apply), 400, 'BadRequest', /^error converting YAML to JSON: yaml: exceeded max depth/);
    assertStatus(await req('PATCH', `${CMS}/ref?fieldManager=x`, { ...apply, body: `{"a":${'[{"a":'.repeat(3000)}` }), 400, 'BadRequest');
    assertStatus(await req('POST', SVCS, jsonBody({ ...svc('nullport'), spec: { ports: [null] } })), 422, 'Invalid', /^Service "nullport" is invalid: .*spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive/);
    assertStatus(await req('POST', CMS, jsonBody({ apiVersion: 5, kind: 'ConfigMap', metadata: { name: 'n' } })), 400, 'BadRequest',
      /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: json: cannot unmarshal number into Go struct field \.apiVersion of type string \(/);
    assert.equal((await req('GET', '/readyz')).text, 'ok');
  });

  it('without fieldValidation, unknown fields are dropped with a warning (the server default is Warn)', async () => {
    const r = await req('POST', SVCS, jsonBody(svc('dflt', { portz: 1 })));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers['warning'], '299 - "unknown field \\"spec.portz\\""');
  });

  it('the server is still ready and nothing was changed by a refused request', async () => {
    assert.equal((await req('GET', '/readyz')).text, 'ok');
    assert.deepEqual(await Promise.all(refPaths.map(async (p) => (await req('GET', p)).text)), snapshot);
    const list = (await req('GET', SVCS)).json as { items: { metadata: { name: string } }[] };
    assert.deepEqual(list.items.map((i) => i.metadata.name).filter((n) => n !== 'kubernetes').sort(), ['dflt', 'fv', 'fv2', 'ref']);
  });

  it('fuzz: random and mutated requests never get a 5xx or a non-Status error', async (t) => {
    const seed = Number(process.env['KNET_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    t.diagnostic(`fuzz seed ${seed} (repeat with KNET_FUZZ_SEED=${seed})`);
    const rng = new Rng(seed);
    assert.equal((await req('POST', '/api/v1/namespaces', jsonBody({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz' } }))).status, 201);
    for (const [res, m] of Object.entries(manifests)) {
      if (res === 'namespaces') continue;
      const path = fuzzPaths.find((p) => p.endsWith(`/${res}`))!;
      const r = await req('POST', path, jsonBody({ ...(m as object), metadata: { name: 'ref' } }));
      assert.equal(r.status, 201, r.text);
    }
    const counts: Record<number, number> = {};
    for (let i = 0; i < 500; i++) {
      const f = randomRequest(rng);
      const where = `#${i} (seed ${seed}): ${f.method} ${f.path} [${f.contentType ?? '-'}] ${String(f.body ?? '').slice(0, 200)}`;
      let r: RawResponse;
      const started = Date.now();
      try {
        r = await req(f.method, f.path, { body: f.body, headers: f.contentType ? { 'Content-Type': f.contentType } : {}, timeoutMs: 10_000 });
      } catch (e) {
        assert.fail(`${where}: ${String(e)}\nknet output:\n${knet.output.slice(-3000)}`);
      }
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      const ms = Date.now() - started;
      if (ms > 1000) t.diagnostic(`slow (${ms} ms): ${where.slice(0, 300)}`);
      if (process.env['KNET_FUZZ_LOG']) t.diagnostic(`${r.status} ${where.slice(0, 160)} => ${r.text.slice(0, 160)}`);
      // kube-apiserver itself answers 500 when a server-side apply body does not fit the schema.
      const k8s500 = r.status === 500 && /^failed to create typed patch object /.test((r.json as { message?: string } | undefined)?.message ?? '');
      assert.ok(r.status < 500 || k8s500, `${where}: ${r.status} ${r.text.slice(0, 500)}`);
      if (r.status === 404 && r.text === '404 page not found\n') continue; // non-resource paths, as kube-apiserver
      assert.ok(r.json && typeof r.json === 'object', `${where}: not JSON: ${r.text.slice(0, 300)}`);
      const body = r.json as { kind?: string; code?: number; apiVersion?: string };
      if (r.status >= 400) {
        assert.equal(body.kind, 'Status', where);
        assert.equal(body.code, r.status, where);
      } else {
        assert.ok(typeof body.kind === 'string' && typeof body.apiVersion === 'string', `${where}: ${r.text.slice(0, 300)}`);
      }
    }
    t.diagnostic(`status codes: ${JSON.stringify(counts)}`);
    assert.equal((await req('GET', '/readyz')).text, 'ok');
    assert.deepEqual(await Promise.all(refPaths.map(async (p) => (await req('GET', p)).text)), snapshot);
    assert.equal((await req('GET', '/api/v1/namespaces/fuzz/configmaps')).status, 200);
  });
});
