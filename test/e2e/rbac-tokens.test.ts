// End-to-end: RBAC kinds (create, get, describe, validation), `kubectl auth can-i` / `whoami` answered by
// the RBAC authorizer, `kubectl create token`, and in-cluster API access over TLS with the mounted
// service-account token, ca.crt and namespace (curl and wget in the toolbox images).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Knet, runCommand, squash, until } from './harness.js';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('RBAC, access reviews and service-account tokens', () => {
  const knet = new Knet();
  const k = (...args: string[]) => knet.kubectl(args);
  const api = (path: string, token: string, body?: unknown) => runCommand('curl', ['-sk', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${token}`,
    ...(body ? ['-X', 'POST', '-H', 'Content-Type: application/json', '-d', JSON.stringify(body)] : []), `https://127.0.0.1:${knet.port}${path}`]);
  const whoamiBody = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
  before(async () => { await knet.start(); });
  after(async () => { await knet.cleanup(); });

  it('bootstraps cluster-admin for system:masters and the aggregated admin/edit/view roles', async () => {
    const crb = squash((await k('get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide')).stdout);
    assert.match(crb, /^NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS\ncluster-admin ClusterRole\/cluster-admin \d+s system:masters$/);
    const roles = (await k('get', 'clusterroles')).stdout;
    assert.match(roles.split('\n')[0]!, /^NAME\s+CREATED AT$/);
    for (const r of ['admin', 'cluster-admin', 'edit', 'view']) assert.match(roles, new RegExp(`^${r}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`, 'm'));
    // view aggregates system:aggregate-to-view; edit also view's rules; admin also edit's.
    const count = async (r: string) => (JSON.parse((await k('get', 'clusterrole', r, '-o', 'json')).stdout) as { rules?: unknown[] }).rules?.length ?? 0;
    await until('aggregated rules', async () => ((await count('view')) > 0 && (await count('edit')) > (await count('view')) && (await count('admin')) > (await count('edit')) ? true : undefined));
  });

  it('creates, lists and describes roles and bindings as kube-apiserver prints them; validation as upstream', async () => {
    assert.equal((await k('create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods')).stdout.trim(), 'role.rbac.authorization.k8s.io/pod-reader created');
    assert.equal((await k('create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=default:reader', '--user=jane', '--group=devs')).stdout.trim(),
      'rolebinding.rbac.authorization.k8s.io/read-pods created');
    assert.equal((await k('create', 'clusterrole', 'ns-viewer', '--verb=get,list', '--resource=namespaces')).stdout.trim(), 'clusterrole.rbac.authorization.k8s.io/ns-viewer created');
    assert.equal((await k('create', 'clusterrolebinding', 'ns-viewers', '--clusterrole=ns-viewer', '--serviceaccount=default:reader')).stdout.trim(),
      'clusterrolebinding.rbac.authorization.k8s.io/ns-viewers created');
    assert.match(squash((await k('get', 'roles')).stdout), /^NAME CREATED AT\npod-reader \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(squash((await k('get', 'rolebindings')).stdout), /^NAME ROLE AGE\nread-pods Role\/pod-reader \d+s$/);
    assert.match(squash((await k('get', 'rolebindings', '-o', 'wide')).stdout), /^NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS\nread-pods Role\/pod-reader \d+s jane devs default\/reader$/);
    assert.match(squash((await k('describe', 'role', 'pod-reader')).stdout),
      /^Name: pod-reader\nLabels: <none>\nAnnotations: <none>\nPolicyRule:\nResources Non-Resource URLs Resource Names Verbs\n--------- ----------------- -------------- -----\npods \[\] \[\] \[get list watch\]$/);
    assert.match(squash((await k('describe', 'rolebinding', 'read-pods')).stdout),
      /Role:\nKind: Role\nName: pod-reader\nSubjects:\nKind Name Namespace\n---- ---- ---------\nUser jane\nGroup devs\nServiceAccount reader default$/);
    const bad = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bad' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Secret', name: 'x' }, subjects: [{ kind: 'Robot', name: 'r2' }],
    }) });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /The RoleBinding "bad" is invalid: \n\* roleRef\.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"\n\* subjects\[0\]\.kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"/);
    const noVerbs = await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'empty' }, rules: [{ apiGroups: [''], resources: ['pods'] }],
    }) });
    assert.match(noVerbs.stderr, /The Role "empty" is invalid: rules\[0\]\.verbs: Required value: verbs must contain at least one value/);
    const change = await k('patch', 'rolebinding', 'read-pods', '--type=merge', '-p', '{"roleRef":{"name":"other"}}');
    assert.equal(change.code, 1);
    assert.match(change.stderr, /The RoleBinding "read-pods" is invalid: roleRef: Invalid value: rbac\.RoleRef\{APIGroup:"rbac\.authorization\.k8s\.io", Kind:"Role", Name:"other"\}: cannot change roleRef/);
  });

  for (const version of ['default', '1.27', '1.33']) {
    it(`kubectl ${version} auth can-i answers by RBAC, also --as a service account`, async () => {
      const can = (...args: string[]) => knet.kubectl(['auth', 'can-i', ...args], { version });
      assert.deepEqual([(await can('create', 'pods')).stdout, (await can('create', 'pods')).code], ['yes\n', 0]);
      assert.equal((await can('delete', 'nodes', '--all-namespaces')).stdout, 'yes\n');
      const asSa = '--as=system:serviceaccount:default:reader';
      assert.deepEqual([(await can('list', 'pods', asSa)).stdout, (await can('list', 'pods', asSa)).code], ['yes\n', 0]);
      const no = await can('delete', 'pods', asSa);
      assert.deepEqual([no.stdout, no.code], ['no\n', 1]);
      assert.equal((await can('list', 'pods', '-n', 'kube-system', asSa)).stdout, 'no\n', 'a RoleBinding grants in its own namespace only');
      assert.equal((await can('list', 'namespaces', asSa)).stdout, 'yes\n', 'through the ClusterRoleBinding');
      assert.equal((await can('list', 'pods', '--as=system:serviceaccount:default:default')).stdout, 'no\n');
      assert.equal((await can('get', 'pods', '--as=jane')).stdout, 'yes\n');
      assert.equal((await can('get', 'pods', '--as=bob', '--as-group=devs')).stdout, 'yes\n');
      assert.equal((await can('get', 'secrets', '--as=bob', '--as-group=devs')).stdout, 'no\n');
      const list = squash((await can('--list', asSa)).stdout);
      assert.match(list, /^Resources Non-Resource URLs Resource Names Verbs$/m);
      assert.match(list, /^pods \[\] \[\] \[get list watch\]$/m);
      assert.match(list, /^namespaces \[\] \[\] \[get list\]$/m);
      assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io \[\] \[\] \[create\]$/m);
      assert.match(squash((await can('--list')).stdout), /^\*\.\* \[\] \[\] \[\*\]$/m);
    });
  }

  it('kubectl auth whoami and create token; the API server authenticates the token and refuses bad ones', async () => {
    assert.equal(squash((await k('auth', 'whoami')).stdout), 'ATTRIBUTE VALUE\nUsername kubernetes-admin\nGroups [system:masters system:authenticated]');
    await k('create', 'serviceaccount', 'reader');
    const t = await k('create', 'token', 'reader', '--duration=15m');
    assert.equal(t.code, 0, t.stderr);
    const token = t.stdout.trim();
    const parts = token.split('.');
    assert.equal(parts.length, 3);
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims['iss'], 'https://kubernetes.default.svc.cluster.local');
    assert.equal(claims['sub'], 'system:serviceaccount:default:reader');
    assert.deepEqual(claims['aud'], ['https://kubernetes.default.svc.cluster.local']);
    assert.equal((claims['exp'] as number) - (claims['iat'] as number), 900);
    const sa = JSON.parse((await k('get', 'sa', 'reader', '-o', 'json')).stdout) as { metadata: { uid: string } };
    assert.deepEqual((claims['kubernetes.io'] as Record<string, unknown>)['serviceaccount'], { name: 'reader', uid: sa.metadata.uid });
    const who = await api('/apis/authentication.k8s.io/v1/selfsubjectreviews', token, whoamiBody);
    const [body, code] = who.stdout.split('\n');
    assert.equal(code, '201');
    const info = (JSON.parse(body!) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    assert.equal(info.username, 'system:serviceaccount:default:reader');
    assert.deepEqual(info.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    const tr = (audiences?: string[]) => api('/apis/authentication.k8s.io/v1/tokenreviews', token, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) },
    });
    const reviewed = JSON.parse((await tr()).stdout.split('\n')[0]!) as { status: { authenticated?: boolean; user: { username?: string }; audiences?: string[] } };
    assert.deepEqual([reviewed.status.authenticated, reviewed.status.user.username, reviewed.status.audiences],
      [true, 'system:serviceaccount:default:reader', ['https://kubernetes.default.svc.cluster.local']]);
    const otherAud = JSON.parse((await tr(['vault'])).stdout.split('\n')[0]!) as { status: { authenticated?: boolean; error?: string } };
    assert.equal(otherAud.status.authenticated, undefined);
    assert.match(otherAud.status.error ?? '', /^\[invalid bearer token, token audiences is invalid\]$/);
    const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:x' })).toString('base64url')}.${parts[2]}`;
    assert.equal((await api('/api', tampered)).stdout, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n401');
    const short = await k('create', 'token', 'reader', '--duration=5m');
    assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
    assert.equal((await k('create', 'token', 'nobody')).stderr.trim(), 'error: failed to create token: serviceaccounts "nobody" not found');
    await k('delete', 'sa', 'reader');
    assert.match((await api('/api', token)).stdout, /\n401$/, 'a token of a deleted service account is refused');
    assert.match((await runCommand('curl', ['-sk', '-w', '\n%{http_code}', `https://127.0.0.1:${knet.port}/version`])).stdout, /"gitVersion":"v1\.32\.5-knet".*\n200$/s, 'anonymous /version');
  });

  it('pods get the token, ca.crt and namespace; curl and wget reach the API server over TLS through the kubernetes Service', async () => {
    await k('run', 'c', '--image=curlimages/curl', '--command', '--', 'sleep', '3600');
    await k('run', 'bb', '--image=busybox', '--command', '--', 'sleep', '3600');
    await k('run', 'nomount', '--image=busybox', '--overrides={"spec":{"automountServiceAccountToken":false}}', '--command', '--', 'sleep', '3600');
    await knet.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false }) });
    await k('run', 'quiet', '--image=busybox', '--overrides={"spec":{"serviceAccountName":"quiet"}}', '--command', '--', 'sleep', '3600');
    assert.equal((await k('wait', '--for=condition=Ready', 'pod/c', 'pod/bb', 'pod/nomount', 'pod/quiet', '--timeout=60s')).code, 0);
    assert.equal((await k('get', 'pod', 'quiet', '-o', 'jsonpath={.spec.volumes}')).stdout, '', 'the service account turns the token off');
    const pod = JSON.parse((await k('get', 'pod', 'c', '-o', 'json')).stdout) as { spec: { volumes: { name: string; projected?: unknown }[]; containers: { volumeMounts: unknown[] }[] } };
    const vol = pod.spec.volumes.find((v) => /^kube-api-access-[a-z0-9]{5}$/.test(v.name));
    assert.ok(vol, 'the projected volume');
    assert.deepEqual(pod.spec.containers[0]!.volumeMounts, [{ mountPath: SA_DIR, name: vol.name, readOnly: true }]);
    const ex = (p: string, script: string) => k('exec', p, '--', 'sh', '-c', script);
    assert.equal((await ex('c', `ls ${SA_DIR}`)).stdout, 'ca.crt\nnamespace\ntoken\n');
    assert.equal((await ex('c', `cat ${SA_DIR}/namespace`)).stdout, 'default');
    const caCM = JSON.parse((await k('get', 'cm', 'kube-root-ca.crt', '-o', 'json')).stdout) as { data: { 'ca.crt': string } };
    assert.equal((await ex('c', `cat ${SA_DIR}/ca.crt`)).stdout, caCM.data['ca.crt']);
    const r = await ex('c', `curl -sS --cacert ${SA_DIR}/ca.crt -H "Authorization: Bearer $(cat ${SA_DIR}/token)" https://kubernetes.default.svc/api`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{"kind":"APIVersions","versions":\["v1"\],"serverAddressByClientCIDRs":\[\{"clientCIDR":"0\.0\.0\.0\/0","serverAddress":"127\.0\.0\.1:\d+"\}\]\}$/);
    const ssr = await ex('c', `curl -sS --cacert ${SA_DIR}/ca.crt -H "Authorization: Bearer $(cat ${SA_DIR}/token)" -H 'Content-Type: application/json' ` +
      `-d '${JSON.stringify(whoamiBody)}' https://kubernetes.default.svc/apis/authentication.k8s.io/v1/selfsubjectreviews`);
    const podUid = (JSON.parse((await k('get', 'pod', 'c', '-o', 'json')).stdout) as { metadata: { uid: string } }).metadata.uid;
    const ui = (JSON.parse(ssr.stdout) as { status: { userInfo: { username: string; extra: Record<string, string[]> } } }).status.userInfo;
    assert.equal(ui.username, 'system:serviceaccount:default:default');
    assert.deepEqual([ui.extra['authentication.kubernetes.io/pod-name'], ui.extra['authentication.kubernetes.io/pod-uid']], [['c'], [podUid]]);
    assert.match((await ex('c', 'curl -sk https://kubernetes.default.svc/version')).stdout, /^\{"major":"1","minor":"32","gitVersion":"v1\.32\.5-knet"/);
    assert.equal((await ex('c', 'curl -sk -H "Authorization: Bearer nope" https://kubernetes.default.svc/api')).stdout,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
    const untrusted = await ex('c', 'curl -sS https://kubernetes.default.svc/version');
    assert.equal(untrusted.code, 60);
    assert.match(untrusted.stderr, /^curl: \(60\) SSL certificate problem: unable to verify the first certificate\nMore details here: https:\/\/curl\.se\/docs\/sslcerts\.html/);
    const w = await ex('bb', `wget -qO- --ca-certificate=${SA_DIR}/ca.crt https://kubernetes.default.svc/version`);
    assert.match(w.stdout, /"gitVersion":"v1\.32\.5-knet"/, w.stderr);
    assert.match((await ex('bb', 'wget -qO- --no-check-certificate https://kubernetes.default.svc/healthz')).stdout, /^ok$/);
    const wbad = await ex('bb', 'wget -qO- https://kubernetes.default.svc/version');
    assert.equal(wbad.code, 1);
    assert.match(wbad.stderr, /certificate verify failed.*\nssl_client: SSL_connect\nwget: error getting response: Connection reset by peer\ncommand terminated with exit code 1\n$/);
    const bound = await k('create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=bb');
    const bbUid = (JSON.parse((await k('get', 'pod', 'bb', '-o', 'json')).stdout) as { metadata: { uid: string } }).metadata.uid;
    const boundClaims = JSON.parse(Buffer.from(bound.stdout.trim().split('.')[1]!, 'base64url').toString()) as { 'kubernetes.io': { pod?: unknown } };
    assert.deepEqual(boundClaims['kubernetes.io'].pod, { name: 'bb', uid: bbUid }, bound.stderr);
    const none = await ex('nomount', `ls ${SA_DIR}`);
    assert.equal(none.code, 1);
    assert.equal((await ex('quiet', `ls ${SA_DIR}`)).code, 1);
    // The pod-bound token stops working once its pod is gone.
    const podToken = (await ex('c', `cat ${SA_DIR}/token`)).stdout;
    assert.match((await api('/api', podToken)).stdout, /\n200$/);
    await k('delete', 'pod', 'c', '--grace-period=0', '--force');
    await until('pod gone', async () => ((await k('get', 'pod', 'c')).code === 1 ? true : undefined));
    assert.match((await api('/api', podToken)).stdout, /\n401$/);
  });
});
