/**
 * Manifests and helpers the Ingress end-to-end tests share: backends that answer with their own
 * name (hashicorp/http-echo), nginx Deployments, Services, and a free loopback port for the
 * controller's host ports.
 */
import net from 'node:net';

/** A free TCP port on 127.0.0.1 (bound and released; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

/** A Deployment `name` (label app=name) of http-echo answering `text` on `port`. */
export function httpEcho(name: string, text: string, port = 5678, replicas = 1): string {
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
      - name: echo
        image: hashicorp/http-echo
        args: ["-listen=:${port}", "-text=${text}"]
        ports:
        - containerPort: ${port}
`;
}

/** A Deployment `name` (label app=name) of nginx on port 80. */
export function nginxDeployment(name: string, replicas = 1): string {
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
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`;
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
