// Webhook configurations: defaults (pkg/apis/admissionregistration/v1/defaults.go), validation with
// kube-apiserver's field paths and messages (pkg/apis/admissionregistration/validation), printer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../errors.js';
import { mutatingWebhookConfigurationDef as mdef, validatingWebhookConfigurationDef as vdef } from './webhook.js';
import type { Webhook, WebhookConfiguration } from './webhook-schema.js';

const base = (h: Partial<Webhook> = {}): Webhook => ({
  name: 'a.example.com', sideEffects: 'None', admissionReviewVersions: ['v1'],
  clientConfig: { service: { namespace: 'ns', name: 'svc' } },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], ...h,
});
const config = (...webhooks: Webhook[]): WebhookConfiguration => ({ metadata: { name: 'c', creationTimestamp: '2026-01-01T00:00:00Z' }, webhooks });
const errs = (c: WebhookConfiguration, d = vdef) => (d.validate?.(c, { operation: 'create' }) ?? []).map(formatFieldError);

test('defaults: failurePolicy Fail, matchPolicy Equivalent, empty selectors, timeout 10, scope *, port 443, reinvocationPolicy Never (mutating)', () => {
  const v = config(base());
  vdef.default!(v);
  assert.deepEqual(v.webhooks![0], {
    ...base(), failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, timeoutSeconds: 10,
    clientConfig: { service: { namespace: 'ns', name: 'svc', port: 443 } },
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }],
  });
  const m = config(base({ failurePolicy: 'Ignore', timeoutSeconds: 3 }));
  mdef.default!(m);
  assert.equal(m.webhooks![0]!.reinvocationPolicy, 'Never');
  assert.equal(m.webhooks![0]!.failurePolicy, 'Ignore');
  assert.equal(m.webhooks![0]!.timeoutSeconds, 3);
});

test('names: fully qualified with three segments, unique', () => {
  assert.deepEqual(errs(config(base(), base({ name: 'k8s.io' }), base({ name: '' }), base()) ), [
    'webhooks[1].name: Invalid value: "k8s.io": should be a domain with at least three segments separated by dots',
    'webhooks[2].name: Required value',
    'webhooks[3].name: Duplicate value: "a.example.com"',
  ]);
  assert.deepEqual(errs(config(base({ name: 'Bad_Name.example.com' }))), [
    'webhooks[0].name: Invalid value: "Bad_Name.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
  ]);
});

test('clientConfig: exactly one of url or service; https only; service path segments', () => {
  assert.deepEqual(errs(config(base({ clientConfig: {} }))), ['webhooks[0].clientConfig: Required value: exactly one of url or service is required']);
  assert.deepEqual(errs(config(base({ clientConfig: { url: 'http://x.example.com/a?b=c#d' } }))), [
    'webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]',
    'webhooks[0].clientConfig.url: Invalid value: "d": fragments are not permitted in the URL',
    'webhooks[0].clientConfig.url: Invalid value: "b=c": query parameters are not permitted in the URL',
  ]);
  assert.deepEqual(errs(config(base({ clientConfig: { service: { namespace: 'ns', name: 'svc', path: 'foo//Bar', port: 0 } } }))), [
    'webhooks[0].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
    'webhooks[0].clientConfig.service.path: Invalid value: "foo//Bar": must start with a \'/\'',
    'webhooks[0].clientConfig.service.path: Invalid value: "foo//Bar": segment[1] may not be empty',
    'webhooks[0].clientConfig.service.path: Invalid value: "foo//Bar": segment[2]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
  ]);
});

test('rules, policies, sideEffects, timeouts and review versions', () => {
  assert.deepEqual(errs(config(base({
    rules: [{ operations: ['GET', '*'], apiGroups: [], apiVersions: ['*', 'v1'], resources: ['*', 'pods'], scope: 'Everywhere' }],
    failurePolicy: 'Maybe', matchPolicy: 'Fuzzy', sideEffects: 'Some', timeoutSeconds: 0, admissionReviewVersions: ['v2', 'v2'],
  }))), [
    'webhooks[0].rules[0].operations: Invalid value: ["GET","*"]: if \'*\' is present, must not specify other operations',
    'webhooks[0].rules[0].operations[0]: Unsupported value: "GET": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
    'webhooks[0].rules[0].apiGroups: Required value',
    'webhooks[0].rules[0].apiVersions: Invalid value: ["*","v1"]: if \'*\' is present, must not specify other API versions',
    'webhooks[0].rules[0].resources: Invalid value: ["*","pods"]: if \'*\' is present, must not specify other resources without subresources',
    'webhooks[0].rules[0].scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"',
    'webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
    'webhooks[0].matchPolicy: Unsupported value: "Fuzzy": supported values: "Equivalent", "Exact"',
    'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
    'webhooks[0].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds',
    'webhooks[0].admissionReviewVersions[1]: Invalid value: "v2": duplicate version',
    'webhooks[0].admissionReviewVersions: Invalid value: ["v2","v2"]: must include at least one of v1, v1beta1',
  ]);
  const noSide = { ...base() } as Partial<Webhook>;
  delete noSide.sideEffects;
  assert.deepEqual(errs(config(noSide as Webhook)), ['webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun']);
  assert.deepEqual(errs(config(base({ matchConditions: [{ name: 'ok', expression: "object.metadata.name == 'x'" }, { name: 'ok', expression: 'object.metadata.name ==' }] }))), [
    'webhooks[0].matchConditions[1].name: Duplicate value: "ok"',
    'webhooks[0].matchConditions[1].expression: Invalid value: "object.metadata.name ==": compilation failed: ERROR: <input>:1:22: found = but expecting end of input',
  ]);
});

test('matchConditions whose estimated cost exceeds the budget are refused at write time (Forbidden)', () => {
  const nested = 'object.spec.containers.all(c, object.spec.containers.all(d, c.name != d.name || c == d))';
  assert.deepEqual(errs(config(base({ matchConditions: [{ name: 'pairs', expression: nested }] }))), [
    'webhooks[0].matchConditions[0].expression: Forbidden: estimated expression cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)',
  ]);
  assert.deepEqual(errs(config(base({ matchConditions: [{ name: 'one', expression: "object.spec.containers.all(c, c.name != 'x')" }] }))), []);
});

test('an update keeps what the stored configuration already had (sideEffects Some stays allowed)', () => {
  const old = config(base({ sideEffects: 'Some' }));
  assert.deepEqual(vdef.validateUpdate!(config(base({ sideEffects: 'Some' })), old), []);
  assert.equal(vdef.validateUpdate!(config(base({ sideEffects: 'Some' })), config(base())).length, 1);
});

test('printer: NAME WEBHOOKS AGE', () => {
  assert.deepEqual(vdef.columns.map((c) => c.name), ['Name', 'Webhooks', 'Age']);
  assert.deepEqual(mdef.row(config(base(), base({ name: 'b.example.com' })), new Date('2026-01-01T00:05:00Z')), ['c', 2, '5m']);
});
