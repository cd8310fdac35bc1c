/**
 * In-process API server with a fake pod-stream backend, for the streaming e2e tests: exec
 * echoes/cats/exits, attach echoes, logs prints fixed lines (and ticks with follow), port 80 echoes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import { Registry } from '../../src/api/registry.js';
import { allKinds } from '../../src/api/kinds/index.js';
import { errors } from '../../src/api/errors.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { ApiServer } from '../../src/apiserver/server.js';
import { generatePki } from '../../src/apiserver/pki.js';
import { namespaceLifecycle } from '../../src/apiserver/admission.js';
import { Client } from '../../src/client/client.js';
import { writeKubeconfig } from '../../src/runtime/kubeconfig.js';
import type { IncomingMessage } from 'node:http';
import { createUpgradeHandler, type UpgradeHandler, type UpgradeServer } from '../../src/apiserver/streams/upgrade.js';
import { streamHandlers } from '../../src/apiserver/streams/handlers.js';
import { execNotFoundMessage, type LogOptions, type PodStreamBackend, type StreamIO } from '../../src/apiserver/streams/backend.js';

function line(out: Writable | null, s: string): void { out?.write(`${s}\n`); }

/** The fake backend used by the streaming tests. */
export const fakeBackend: PodStreamBackend = {
  async exec(_ns, _pod, container, command, io: StreamIO) {
    const [cmd, ...args] = command;
    if (cmd === 'notrunning') throw errors.badRequest(`container "${container}" in pod "${_pod}" is waiting to start: ContainerCreating`);
    switch (cmd) {
      case 'echo': line(io.stdout, args.join(' ')); return 0;
      case 'false': return 1;
      case 'exit': return Number(args[0] ?? '0');
      case 'warn': line(io.stderr, `warning: ${args.join(' ')}`); line(io.stdout, 'out'); return 0;
      case 'cat': {
        if (!io.stdin) return 0;
        for await (const c of io.stdin) io.stdout?.write(c as Buffer);
        return 0;
      }
      case 'tty': {
        const size = await new Promise<string>((r) => { if (io.resize) io.resize((c, rows) => r(`${c}x${rows}`)); else r('none'); });
        line(io.stdout, `tty=${io.tty} size=${size} stderr=${io.stderr !== null}`);
        return 0;
      }
      case 'big': io.stdout?.write(Buffer.alloc(Number(args[0]), 'x')); return 0;
      default: throw new Error(execNotFoundMessage('0123abcd', cmd ?? ''));
    }
  },
  async attach(_ns, pod, _container, io) {
    line(io.stdout, `attached to ${pod}`);
    if (io.stdin) for await (const c of io.stdin) io.stdout?.write(`echo:${(c as Buffer).toString()}`);
    return 0;
  },
  async portForward(_ns, _pod, port): Promise<Duplex> {
    if (port === 80) return new PassThrough();
    throw new Error(`error forwarding port ${port} to pod 4c9f, uid : failed to connect to localhost:${port} inside namespace "4c9f": connection refused`);
  },
  async logs(_ns, _pod, o: LogOptions, out, signal) {
    const all = [1, 2, 3, 4, 5].map((i) => `${o.container} line ${i}`);
    const ts = (i: number) => (o.timestamps ? `2024-01-01T00:00:0${i}.000000000Z ` : '');
    const lines = o.tailLines !== undefined ? all.slice(all.length - o.tailLines) : all;
    lines.forEach((l) => out.write(`${ts(all.indexOf(l))}${l}\n`));
    if (!o.follow) return;
    for (let i = 1; !signal.aborted; i++) {
      await new Promise((r) => setTimeout(r, 50));
      out.write(`${o.container} tick ${i}\n`);
    }
  },
};

/** One upgrade request as the server saw it. */
export interface UpgradeSeen { ua: string; sub: string; transport: string; switched: boolean }

/** A running in-process API server with pods `web` (one container) and `duo` (two). */
export class StreamFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'knet-streams-'));
  readonly kubeconfig = join(this.dir, 'kubeconfig');
  private server?: ApiServer;
  private store?: Store;
  /** Every upgrade request, with whether it was answered 101. */
  readonly upgrades: UpgradeSeen[] = [];

  /** Starts the server and creates the pods with Running status. */
  async start(): Promise<this> {
    const registry = new Registry(allKinds);
    const store = await openStore({ ephemeral: true });
    this.store = store;
    const pki = await generatePki();
    const backend = fakeBackend;
    const server = new ApiServer({
      store, registry, pki, port: 0, hooks: namespaceLifecycle(store),
      resourceContext: { connect: streamHandlers(backend, { store, registry }) },
      upgrade: this.recording(createUpgradeHandler({ backend, store, registry })),
    });
    this.server = server;
    const port = await server.listen();
    writeKubeconfig(this.kubeconfig, 'knet', `https://127.0.0.1:${port}`, pki);
    const client = new Client(store, registry, namespaceLifecycle(store), 'test');
    await client.create({ resource: 'namespaces' }, { metadata: { name: 'default' } });
    for (const [name, containers] of [['web', ['app']], ['duo', ['main', 'side']], ['pending', ['app']]] as const) {
      const pod = await client.create({ resource: 'pods' }, {
        metadata: { name, namespace: 'default' },
        spec: { ...(name === 'pending' ? {} : { nodeName: 'knet-worker' }), containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
      } as never);
      if (name === 'pending') continue;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      (pod as { status?: unknown }).status = {
        phase: 'Running', podIP: '10.244.1.5', startTime: now,
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        containerStatuses: containers.map((c) => ({ name: c, image: 'busybox', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
      };
      await client.update({ resource: 'pods' }, pod, 'status');
    }
    return this;
  }

  private recording(h: UpgradeHandler): UpgradeHandler {
    const wrapped = (server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const seen = { ua: req.headers['user-agent'] ?? '', sub: (req.url ?? '').split('?')[0]!.split('/').pop() ?? '', transport: (req.headers.upgrade ?? '').toLowerCase(), switched: false };
      this.upgrades.push(seen);
      const write = socket.write.bind(socket) as (b: unknown) => boolean;
      (socket as { write: unknown }).write = (b: unknown, ...rest: unknown[]) => {
        if (String(b).startsWith('HTTP/1.1 101')) seen.switched = true;
        return (write as (...a: unknown[]) => boolean)(b, ...rest);
      };
      h(server, req, socket, head);
    };
    return Object.assign(wrapped, { closeAll: () => h.closeAll() });
  }

  /** Stops the server and removes the directory. */
  async stop(): Promise<void> {
    await this.server?.close();
    await this.store?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
