/**
 * Manifests and helpers the Ingress end-to-end tests share: backends that answer with their own
 * name (hashicorp/http-echo), nginx Deployments, Services, and curl.
 */
import assert from 'node:assert/strict';
import { runCommand, until, type Knet, type Run } from './harness.js';

/** Runs kubectl and asserts it succeeded. */
export async function kubectlOk(knet: Knet, args: string[], input?: string): Promise<Run> {
  const r = await knet.kubectl(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r;
}

/** Applies Ingresses (when `yaml` is given) and waits until each named one is served (its status has the controller's address). */
export async function serveIngresses(knet: Knet, yaml: string, names: string[]): Promise<void> {
  if (yaml) await kubectlOk(knet, ['apply', '-f', '-'], yaml);
  for (const n of names) {
    await until(`ingress ${n} to be served`, async () => ((await knet.kubectl(['get', 'ingress', n, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).stdout || undefined));
  }
}

/** A Deployment `name` (label app=name) with `replicas` of the given containers (YAML list items indented 6 spaces). */
export function deployment(name: string, replicas: number, container: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
${container}`;
}

/** A Deployment `name` (label app=name) of http-echo answering `text` on `port`. */
export function httpEcho(name: string, text: string, port = 5678, replicas = 1): string {
  return deployment(name, replicas, `      - name: echo
        image: hashicorp/http-echo
        args: ["-listen=:${port}", "-text=${text}"]
        ports:
        - containerPort: ${port}
`);
}

/** A Deployment `name` (label app=name) of nginx on port 80. */
export function nginxDeployment(name: string, replicas = 1): string {
  return deployment(name, replicas, `      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`);
}

/** A Deployment `name` of traefik/whoami (prints its hostname and the request; `/echo` is a WebSocket echo). */
export function whoami(name: string, replicas = 1): string {
  return deployment(name, replicas, `      - name: whoami
        image: traefik/whoami
        ports:
        - containerPort: 80
`);
}

/** A ClusterIP Service `name` selecting app=`app`, with [port, targetPort] pairs (named `p<port>`). */
export function service(name: string, app: string, ports: [number, number][]): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${app}
  ports:
${ports.map(([p, t]) => `  - name: p${p}\n    port: ${p}\n    targetPort: ${t}\n`).join('')}`;
}

/** A response as curl saw it: status code, headers (lower-case names) and body. */
export interface CurlResult { code: number; headers: Record<string, string>; body: string; httpVersion: string; stderr: string }

/** Runs curl once with -i-style output split into status, headers and body. */
export async function curl(args: string[]): Promise<CurlResult> {
  const r = await runCommand('curl', ['-sS', '--max-time', '15', '-D', '-', '-w', '\n__KNET__%{http_code} %{http_version}', ...args]);
  const m = /\n__KNET__(\d+) (\S+)$/.exec(r.stdout);
  const out = m ? r.stdout.slice(0, m.index) : r.stdout;
  // The last header block (curl prints one per response when following; we never follow).
  const split = out.indexOf('\r\n\r\n');
  const head = split >= 0 ? out.slice(0, split) : out;
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { code: m ? Number(m[1]) : 0, httpVersion: m?.[2] ?? '', headers, body: split >= 0 ? out.slice(split + 4) : '', stderr: r.stderr };
}

/** An Ingress of class nginx with one rule per [host, path, pathType, service, port] and optional annotations. */
export function ingress(name: string, rules: [string, string, string, string, number][], annotations: Record<string, string> = {}, extra = ''): string {
  const ann = Object.entries(annotations);
  const hosts = [...new Set(rules.map((r) => r[0]))];
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${ann.length ? `  annotations:\n${ann.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('')}` : ''}spec:
  ingressClassName: nginx
${extra}  rules:
${hosts.map((h) => `  - ${h ? `host: ${JSON.stringify(h)}\n    ` : ''}http:
      paths:
${rules.filter((r) => r[0] === h).map(([, path, type, svc, port]) => `      - path: ${JSON.stringify(path)}
        pathType: ${type}
        backend:
          service:
            name: ${svc}
            port:
              number: ${port}
`).join('')}`).join('')}`;
}
