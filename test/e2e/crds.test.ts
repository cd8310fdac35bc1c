// End-to-end: CustomResourceDefinitions with the real kubectl against `knet up`: the Gateway API and
// MetalLB fixtures (our own files with the kinds and structure of the published ones; set
// KNET_TEST_GATEWAY_API_YAML / KNET_TEST_METALLB_YAML to a real upstream manifest to run it instead),
// printer columns, explain, CEL rules, defaulting, pruning, status and scale subresources, deletion.
// Expected texts are what kubectl prints against a real cluster.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Knet, repoRoot, squash, until } from './harness.js';

const fx = (f: string) => join(repoRoot, 'test', 'e2e', 'fixtures', 'crds', f);
const gatewayCRDs = process.env['KNET_TEST_GATEWAY_API_YAML'] || join(repoRoot, 'test', 'fixtures', 'gateway-api-crds.yaml');
const metallbCRDs = process.env['KNET_TEST_METALLB_YAML'] || join(repoRoot, 'test', 'fixtures', 'metallb-crds.yaml');

describe('CustomResourceDefinitions', () => {
  const knet = new Knet();
  const k = (...args: string[]) => knet.kubectl(args);
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('kubectl apply of the Gateway API and MetalLB CRDs succeeds and they become Established', async () => {
    for (const f of [gatewayCRDs, metallbCRDs]) {
      const r = await k('apply', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/\S+ created/);
    }
    const w = await k('wait', '--for', 'condition=established', '--timeout=30s', 'crd/httproutes.gateway.networking.k8s.io', 'crd/ipaddresspools.metallb.io');
    assert.equal(w.code, 0, w.stderr);
    const crds = squash((await k('get', 'crd')).stdout);
    assert.match(crds, /^NAME CREATED AT$/m);
    for (const n of ['gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io', 'referencegrants.gateway.networking.k8s.io', 'ipaddresspools.metallb.io', 'l2advertisements.metallb.io', 'bgppeers.metallb.io']) {
      assert.match(crds, new RegExp(`^${n.replace(/\./g, '\\.')} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`, 'm'));
    }
    const st = await k('get', 'crd', 'httproutes.gateway.networking.k8s.io', '-o', 'jsonpath={.status.conditions[?(@.type=="NamesAccepted")].status} {.status.acceptedNames.kind} {.status.storedVersions}');
    assert.equal(st.stdout, 'True HTTPRoute ["v1"]');
  });

  it("the fixture's safe-upgrades ValidatingAdmissionPolicy is served and denies a CRD update of the group without the channel annotation", async () => {
    // kube-apiserver's printers (pkg/printers/internalversion) and the policy plugin's refusal
    // (`ValidatingAdmissionPolicy '…' with binding '…' denied request: …`, reason Invalid).
    const out = squash((await k('get', 'validatingadmissionpolicies,validatingadmissionpolicybindings')).stdout);
    assert.match(out, /^NAME VALIDATIONS PARAMKIND AGE$/m);
    assert.match(out, /^validatingadmissionpolicy\.admissionregistration\.k8s\.io\/safe-upgrades\.gateway\.networking\.k8s\.io 2 <unset> \d+s$/m);
    assert.match(out, /^NAME POLICYNAME PARAMREF AGE$/m);
    assert.match(out, /^validatingadmissionpolicybinding\.admissionregistration\.k8s\.io\/safe-upgrades\.gateway\.networking\.k8s\.io safe-upgrades\.gateway\.networking\.k8s\.io <unset> \d+s$/m);
    const crd = 'crd/referencegrants.gateway.networking.k8s.io';
    const r = await k('annotate', crd, 'gateway.networking.k8s.io/channel-');
    assert.notEqual(r.code, 0);
    // kubectl renders a 422 Invalid with one field-less cause as `The <resource> "<name>" is invalid: : <cause>`.
    assert.match(r.stderr, /The customresourcedefinitions "referencegrants\.gateway\.networking\.k8s\.io" is invalid: : ValidatingAdmissionPolicy 'safe-upgrades\.gateway\.networking\.k8s\.io' with binding 'safe-upgrades\.gateway\.networking\.k8s\.io' denied request: Replacing standard channel CRDs with CRDs of another channel is refused by the safe-upgrades policy\./);
    assert.equal((await k('get', crd, '-o', "jsonpath={.metadata.annotations['gateway\\.networking\\.k8s\\.io/channel']}")).stdout, 'standard');
    // Other annotations still change; CRDs of other groups are not concerned.
    assert.equal((await k('annotate', crd, 'example.com/note=ok')).code, 0);
    assert.equal((await k('annotate', 'crd/ipaddresspools.metallb.io', 'example.com/note=ok')).code, 0);
  });

  it('Gateway API objects are applied and listed with their printer columns', async () => {
    const r = await k('apply', '-f', fx('gateway-objects.yaml'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), ['gatewayclass.gateway.networking.k8s.io/knet created', 'gateway.gateway.networking.k8s.io/web created', 'httproute.gateway.networking.k8s.io/web created'].join('\n'));
    const out = squash((await k('get', 'gatewayclasses,gateways,httproutes')).stdout);
    assert.match(out, /^NAME CONTROLLER ACCEPTED AGE$/m);
    assert.match(out, /^gatewayclass\.gateway\.networking\.k8s\.io\/knet example\.com\/gateway-controller Unknown \d+s$/m);
    assert.match(out, /^NAME CLASS ADDRESS PROGRAMMED AGE$/m);
    assert.match(out, /^gateway\.gateway\.networking\.k8s\.io\/web knet Unknown \d+s$/m);
    assert.match(out, /^NAME HOSTNAMES AGE$/m);
    assert.match(out, /^httproute\.gateway\.networking\.k8s\.io\/web \["web\.example\.com"\] \d+s$/m);
    const wide = squash((await k('get', 'gatewayclass', 'knet', '-o', 'wide')).stdout);
    assert.match(wide, /^NAME CONTROLLER ACCEPTED AGE DESCRIPTION$/m);
  });

  it('schema defaults are visible in -o yaml (backendRef weight, kind, parentRef group)', async () => {
    const r = await k('get', 'httproute', 'web', '-o', 'jsonpath={.spec.rules[0].backendRefs[0].weight} {.spec.rules[0].backendRefs[0].kind} {.spec.parentRefs[0].group}');
    assert.equal(r.stdout, '1 Service gateway.networking.k8s.io');
    const v1beta1 = await k('get', 'httproutes.v1beta1.gateway.networking.k8s.io', 'web', '-o', 'jsonpath={.apiVersion}');
    assert.equal(v1beta1.stdout, 'gateway.networking.k8s.io/v1beta1');
  });

  it('kubectl explain httproute.spec reads the CRD schema from OpenAPI', async () => {
    const r = await k('explain', 'httproute.spec');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+HTTPRoute/);
    assert.match(r.stdout, /VERSION:\s+v1/);
    assert.match(r.stdout, /hostnames\s+<\[\]string>/);
    assert.match(r.stdout, /parentRefs\s+<\[\]Object>/);
  });

  it('CEL rules reject a bad HTTPRoute with the rule messages', async () => {
    const r = await k('apply', '-f', fx('bad-httproute.yaml'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The HTTPRoute "bad" is invalid: /);
    assert.match(r.stderr, /spec\.rules\[0\]\.matches\[0\]\.path: Invalid value: "object": value must be an absolute path and start with '\/' when type one of \['Exact', 'PathPrefix'\]/);
    assert.match(r.stderr, /spec\.rules\[0\]\.filters\[0\]: Invalid value: "object": filter\.requestHeaderModifier must be specified for RequestHeaderModifier filter\.type/);
  });

  it('a transition rule keeps GatewayClass controllerName immutable', async () => {
    const r = await k('patch', 'gatewayclass', 'knet', '--type=merge', '-p', '{"spec":{"controllerName":"example.com/other"}}');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The GatewayClass "knet" is invalid: spec\.controllerName: Invalid value: "string": Value is immutable/);
  });

  it('MetalLB: an IPAddressPool in metallb-system is listed with its columns', async () => {
    const r = await k('apply', '-f', fx('metallb-objects.yaml'));
    assert.equal(r.code, 0, r.stderr);
    const out = squash((await k('get', 'ipaddresspools', '-n', 'metallb-system')).stdout);
    assert.equal(out, 'NAME AUTO ASSIGN AVOID BUGGY IPS ADDRESSES\nfirst-pool true false ["192.168.10.0/24","192.168.9.1-192.168.9.5"]');
  });

  it('a deprecated version warns on every request (the CRD\'s deprecationWarning)', async () => {
    const r = await k('get', 'bgppeers.v1beta1.metallb.io', '-n', 'metallb-system');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: metallb\.io v1beta1 BGPPeer is deprecated, consider using v1beta2/);
    assert.doesNotMatch((await k('get', 'bgppeers.v1beta2.metallb.io', '-n', 'metallb-system')).stderr, /Warning/);
  });

  // apiextensions-apiserver estimates a rule's cost from the lists it reaches (unbounded ones as
  // large as a 3 MiB request allows) and refuses the CRD when it exceeds StaticEstimatedCostLimit.
  it('a CRD whose CEL rule nests comprehensions over an unbounded list is refused (Forbidden)', async () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata: {name: costlies.example.com}',
      'spec:', '  group: example.com', '  scope: Namespaced', '  names: {plural: costlies, singular: costly, kind: Costly, listKind: CostlyList}',
      '  versions:', '  - name: v1', '    served: true', '    storage: true', '    schema:', '      openAPIV3Schema:', '        type: object',
      '        properties:', '          spec:', '            type: object',
      '            x-kubernetes-validations:', "            - rule: 'self.a.items.all(x, self.a.items.all(y, self.a.items.all(z, true)))'",
      '            properties:', '              a:', '                type: object', '                properties:',
      '                  items: {type: array, items: {type: integer}}', '',
    ].join('\n');
    const r = await knet.kubectl(['apply', '-f', '-'], { input: crd });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The CustomResourceDefinition "costlies\.example\.com" is invalid: spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/);
  });

  describe('a CRD with defaults, a CEL rule, status and scale subresources', () => {
    before(async () => {
      const r = await k('apply', '-f', fx('widgets-crd.yaml'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await k('wait', '--for', 'condition=established', 'crd/widgets.example.com')).code, 0);
    });

    it('unknown fields: strict validation refuses, warn prunes with a warning', async () => {
      const body = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w0}\nspec: {size: 1, bogus: 1}\n';
      const strict = await knet.kubectl(['apply', '-f', '-'], { input: body });
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec\.bogus"/);
      const warn = await knet.kubectl(['apply', '--validate=warn', '-f', '-'], { input: body });
      assert.equal(warn.code, 0, warn.stderr);
      assert.match(warn.stderr, /Warning: unknown field "spec\.bogus"/);
      const y = await k('get', 'widget', 'w0', '-o', 'yaml');
      const spec = y.stdout.slice(y.stdout.indexOf('\nspec:\n'));
      assert.equal(spec, '\nspec:\n  color: red\n  max: 10\n  size: 1\n'); // pruned, then defaulted
    });

    it('the CEL rule rejects size above max', async () => {
      const r = await knet.kubectl(['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: big}\nspec: {size: 30}\n' });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /The Widget "big" is invalid: spec: Invalid value: "object": size must not exceed max/);
    });

    it('status subresource: status goes through /status only; generation counts spec changes', async () => {
      assert.equal((await k('apply', '-f', fx('widget.yaml'))).code, 0);
      const s = await k('patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":1,"conditions":[{"type":"Ready","status":"True"}]}}');
      assert.equal(s.code, 0, s.stderr);
      await k('patch', 'widget', 'w1', '--type=merge', '-p', '{"status":{"replicas":7}}');
      const got = await k('get', 'widget', 'w1', '-o', 'jsonpath={.status.replicas} {.metadata.generation}');
      assert.equal(got.stdout, '1 1');
      await k('patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":4}}');
      assert.equal((await k('get', 'widget', 'w1', '-o', 'jsonpath={.metadata.generation}')).stdout, '2');
      const table = squash((await k('get', 'widgets')).stdout);
      assert.match(table, /^NAME SIZE READY AGE\n(w0 1 \d+s\n)?w1 4 True \d+s/m);
    });

    it('kubectl scale sets the replicas path', async () => {
      const r = await k('scale', 'widget', 'w1', '--replicas=3');
      assert.equal(r.stdout.trim(), 'widget.example.com/w1 scaled', r.stderr);
      assert.equal((await k('get', 'widget', 'w1', '-o', 'jsonpath={.spec.replicas}')).stdout, '3');
    });

    it('strategic merge patch is refused for custom resources (415)', async () => {
      const r = await k('patch', 'widget', 'w1', '-p', '{"spec":{"size":5}}');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/);
    });

    it('kubectl get all includes resources in category all', async () => {
      assert.match(squash((await k('get', 'all')).stdout), /^widget\.example\.com\/w1 4 True \d+s$/m);
    });

    it('deleting the CRD deletes its objects and stops serving it', async () => {
      const d = await k('delete', 'crd', 'widgets.example.com');
      assert.equal(d.code, 0, d.stderr);
      await until('widgets gone', async () => ((await k('get', 'widgets')).code !== 0 ? true : undefined));
      assert.equal((await k('apply', '-f', fx('widgets-crd.yaml'))).code, 0);
      await k('wait', '--for', 'condition=established', 'crd/widgets.example.com');
      const r = await until('widgets served again', async () => { const x = await k('get', 'widgets'); return x.code === 0 ? x : undefined; });
      assert.match(r.stderr, /No resources found in default namespace\./);
    });
  });

  for (const version of ['1.27', '1.33']) {
    it(`kubectl ${version}: get and apply custom resources`, async () => {
      const kv = (...args: string[]) => knet.kubectl(args, { version });
      const out = squash((await kv('get', 'httproutes')).stdout);
      assert.match(out, /^NAME HOSTNAMES AGE\nweb \["web\.example\.com"\] \d+s$/m);
      const rv = (await kv('get', 'httproute', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
      const a = await kv('apply', '-f', fx('gateway-objects.yaml'));
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /gatewayclass\.gateway\.networking\.k8s\.io\/knet unchanged/);
      // Lists the server defaulted differ from the file, so kubectl's JSON merge patch replaces them
      // and it says "configured", as against a real cluster; the object itself does not change.
      assert.match(a.stdout, /httproute\.gateway\.networking\.k8s\.io\/web configured/);
      assert.equal((await kv('get', 'httproute', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout, rv);
      const body = 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: pool-' + version.replace('.', '-') + ', namespace: metallb-system}\nspec: {addresses: [10.0.0.0/28]}\n';
      const p = await knet.kubectl(['apply', '-f', '-'], { version, input: body });
      assert.equal(p.stdout.trim(), `ipaddresspool.metallb.io/pool-${version.replace('.', '-')} created`, p.stderr);
      const again = await knet.kubectl(['apply', '-f', '-'], { version, input: body.replace('10.0.0.0/28', '10.0.1.0/28') });
      assert.equal(again.stdout.trim(), `ipaddresspool.metallb.io/pool-${version.replace('.', '-')} configured`, again.stderr);
    });
  }
});

describe('CustomResourceDefinitions in a durable store', () => {
  it('custom resources are served again after a restart', async () => {
    const knet = await new Knet(['--durable']).start();
    let again: Knet | undefined;
    try {
      assert.equal((await knet.kubectl(['apply', '-f', fx('widgets-crd.yaml')])).code, 0);
      assert.equal((await knet.kubectl(['wait', '--for', 'condition=established', 'crd/widgets.example.com'])).code, 0);
      assert.equal((await knet.kubectl(['apply', '-f', fx('widget.yaml')])).code, 0);
      await knet.stop();
      again = await new Knet(['--durable'], { dir: knet.dir }).start();
      const r = await again.kubectl(['get', 'widgets', '-o', 'jsonpath={.items[*].metadata.name} {.items[*].spec.max}']);
      assert.equal(r.stdout, 'w1 10', r.stderr);
    } finally {
      await (again ?? knet).cleanup();
    }
  });
});
