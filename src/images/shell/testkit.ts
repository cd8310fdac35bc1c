/** Test support: runs a program of a program table with an in-memory filesystem and captured output. */
import { PassThrough, type Readable } from 'node:stream';
import type { FileSystem, PodInfo, ProcessContext, Program } from '../types.js';
import type { NetStack } from '../../net/types.js';
import { Collector } from './streams.js';

/** The outcome of a run. */
export interface RunResult { code: number; stdout: string; stderr: string }

/** Options of a test run. */
export interface RunOptions {
  fs: FileSystem;
  net?: NetStack;
  stdin?: string | Readable;
  env?: Record<string, string>;
  tty?: boolean;
  pod?: Partial<PodInfo>;
  signal?: AbortSignal;
}

/** Default pod facts for tests. */
export const TEST_POD: PodInfo = {
  namespace: 'default', name: 'test', uid: 'uid-1', ip: '10.244.0.5', nodeName: 'kind-worker', nodeIP: '127.0.0.2',
  hostname: 'test', containerName: 'test', image: 'busybox', labels: {},
};

/** Runs argv[0] from `programs` the way the node agent would; stdout and stderr are collected. */
export async function runProgram(programs: Record<string, Program>, argv: string[], o: RunOptions): Promise<RunResult> {
  const stdout = new Collector();
  const stderr = o.tty ? stdout : new Collector();
  let stdin: Readable | null = null;
  if (typeof o.stdin === 'string') { const p = new PassThrough(); p.end(o.stdin); stdin = p; } else if (o.stdin) stdin = o.stdin;
  const pod = { ...TEST_POD, ...o.pod };
  const net = o.net ?? ({} as NetStack);
  const find = (n: string): Program | undefined => programs[n] ?? programs[n.split('/').pop() ?? n];
  const mk = (argv: string[], io: { stdin: Readable | null; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env?: Record<string, string>; cwd?: string; signal?: AbortSignal }, tty: boolean): ProcessContext => ({
    argv, env: io.env ?? o.env ?? { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: pod.hostname, HOME: '/root' },
    cwd: io.cwd ?? '/', stdin: io.stdin, stdout: io.stdout as ProcessContext['stdout'], stderr: io.stderr as ProcessContext['stderr'],
    tty: tty ? { cols: 80, rows: 24, onResize: () => undefined } : undefined,
    signal: io.signal ?? o.signal ?? new AbortController().signal, pod, net, fs: o.fs, cluster: {},
    spawn: (av, sub) => { const p = find(av[0] ?? ''); return p ? p(mk(av, sub, false)) : Promise.resolve(127); },
  });
  const prog = find(argv[0] ?? '');
  if (!prog) return { code: 127, stdout: '', stderr: '' };
  const code = await prog(mk(argv, { stdin, stdout, stderr }, !!o.tty));
  return { code, stdout: stdout.text(), stderr: o.tty ? '' : (stderr as Collector).text() };
}

/**
 * The longest the event loop went without a turn while `run` ran (what an API request would wait),
 * counting only gaps this process spent on the CPU: a gap is the smaller of its wall time and the
 * CPU time used meanwhile, so a loaded machine descheduling the test is not mistaken for code that
 * does not yield, while code that holds the loop uses CPU all along its gap. Limits: the CPU time is
 * the whole process's (GC and pool threads count, which only makes this stricter), and a stall that
 * blocks without using CPU (spawnSync, Atomics.wait, slow synchronous I/O) is not seen; its callers
 * measure CPU-bound work.
 */
export async function loopStall(run: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let worst = 0;
  const gap = (): number => {
    const cpu = process.cpuUsage(lastCpu);
    return Math.min(performance.now() - last, (cpu.user + cpu.system) / 1000);
  };
  const timer = setInterval(() => {
    worst = Math.max(worst, gap());
    last = performance.now();
    lastCpu = process.cpuUsage();
  }, 1);
  try { await run(); } finally { clearInterval(timer); }
  return Math.max(worst, gap());
}
