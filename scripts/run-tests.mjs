// Runs the compiled tests (dist/**/*.test.js), each file in its own `node --test` process, many at
// once: unit files (everything outside dist/test/e2e) with one process per core, then end-to-end
// files two at a time. Prints one line per file with its duration as it finishes (a failing
// file's whole output right after it), then a summary: counts, the slowest files, the wall time.
//
//   node scripts/run-tests.mjs [filter …]   only files whose path contains one of the filters
//   KNET_TEST_JOBS=N                         unit files at once (default: the number of cores, at least 2)
//   KNET_E2E_JOBS=N                          end-to-end files at once (default 2)
//   KNET_TEST_FILE_TIMEOUT_S=N               a file still running after N s is killed and fails (default 900)
//
// Each end-to-end cluster gets its own node and load balancer addresses, but NodePorts also listen
// on 127.0.0.1, where only one cluster can hold a port. A file whose checks use fixed NodePorts on
// 127.0.0.1 declares them in a line comment `// run-tests: needs host ports 30080 30090`; a file
// that only creates such NodePorts (and so may hold them) declares `// run-tests: binds host ports
// 30080`. A file never runs beside another that needs or binds a port it needs. Durations are kept
// in dist/.test-times.json so that the longest files start first.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import { spawn } from 'node:child_process';

const TIMES = join('dist', '.test-times.json');
const E2E = join('dist', 'test', 'e2e') + sep;

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function jobs(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`error: ${name} must be a whole number of at least 1 (got ${JSON.stringify(v)})`);
    process.exit(2);
  }
  return n;
}

/** The fixed host ports a file declares (see the header): { needs, binds }. */
function hostPorts(file) {
  const ports = { needs: new Set(), binds: new Set() };
  for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ run-tests: (needs|binds) host ports ([\d ,]+)$/gm)) {
    for (const p of m[2].split(/[ ,]+/)) if (p) ports[m[1]].add(Number(p));
  }
  return ports;
}

/** True when one of two files needs a port that the other needs or binds. */
function clash(a, b) {
  const needs = (x, y) => [...x.needs].some((p) => y.needs.has(p) || y.binds.has(p));
  return needs(a, b) || needs(b, a);
}

function readTimes() {
  try { return JSON.parse(readFileSync(TIMES, 'utf8')); } catch { return {}; }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const timeoutMs = jobs('KNET_TEST_FILE_TIMEOUT_S', 900) * 1000;
const running = new Set();

/** Runs one file; resolves with its result. */
function runFile(file) {
  const t0 = performance.now();
  // Its own process group, so that a timeout or Ctrl-C also ends the clusters it started.
  const child = spawn(process.execPath, ['--test', file], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; killGroup(child, 'SIGKILL'); }, timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const count = (what) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
      resolve({
        file, ms: performance.now() - t0, ok: code === 0 && !timedOut, output,
        why: timedOut ? `killed after ${seconds(timeoutMs)}` : signal ? `signal ${signal}` : `exit ${code}`,
        tests: count('tests'), pass: count('pass'), fail: count('fail'),
      });
    });
  });
}

function killGroup(child, signal) {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** Runs files `limit` at a time, longest (last time) first, never two that clash on a host port together. */
async function runAll(files, limit, times, onDone) {
  const pending = files.map((file) => ({ file, ports: hostPorts(file) }))
    .sort((a, b) => (times[b.file] ?? Infinity) - (times[a.file] ?? Infinity) || a.file.localeCompare(b.file));
  const busy = new Set();
  const results = [];
  await new Promise((done) => {
    const next = () => {
      if (!pending.length && !busy.size) return done();
      while (busy.size < limit) {
        const i = pending.findIndex((f) => ![...busy].some((b) => clash(f.ports, b.ports)));
        if (i < 0) break;
        const [f] = pending.splice(i, 1);
        busy.add(f);
        void runFile(f.file).then((r) => { busy.delete(f); results.push(r); onDone(r); next(); });
      }
    };
    next();
  });
  return results;
}

function report(r) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${seconds(r.ms).padStart(7)}  ${r.file}${r.ok ? '' : `  (${r.why})`}`);
  if (!r.ok) {
    console.log(`----- output of ${r.file} -----`);
    process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    console.log(`----- end of ${r.file} -----`);
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of running) killGroup(c, 'SIGTERM');
    process.exit(130);
  });
}

const filter = process.argv.slice(2);
let files = find('dist', []).sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (!files.length) {
  console.error(`error: no test files match ${filter.join(' ')}`);
  process.exit(1);
}
const times = readTimes();
const phases = [
  { name: 'unit', files: files.filter((f) => !f.startsWith(E2E)), limit: jobs('KNET_TEST_JOBS', Math.max(2, availableParallelism())) },
  { name: 'end-to-end', files: files.filter((f) => f.startsWith(E2E)), limit: jobs('KNET_E2E_JOBS', 2) },
];
const t0 = performance.now();
const all = [];
for (const phase of phases) {
  if (!phase.files.length) continue;
  const p0 = performance.now();
  console.log(`# ${phase.name} tests: ${phase.files.length} file${phase.files.length === 1 ? '' : 's'}, ${phase.limit} at a time`);
  const results = await runAll(phase.files, phase.limit, times, report);
  const sum = results.reduce((a, r) => a + r.ms, 0);
  console.log(`# ${phase.name}: wall ${seconds(performance.now() - p0)}, files' own time ${seconds(sum)}`);
  all.push(...results);
}
for (const r of all) times[r.file] = Math.round(r.ms);
try { writeFileSync(TIMES, JSON.stringify(times, null, 1) + '\n'); } catch { /* read-only dist: no ordering hints next time */ }

const failed = all.filter((r) => !r.ok);
const n = (k) => all.reduce((a, r) => a + r[k], 0);
console.log('\n# slowest files:');
for (const r of [...all].sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`#   ${seconds(r.ms).padStart(7)}  ${r.file}`);
console.log(`# files: ${all.length}, passed ${all.length - failed.length}, failed ${failed.length}; tests: ${n('tests')}, passed ${n('pass')}, failed ${n('fail')}`);
if (failed.length) console.log(`# failed files:\n${failed.map((r) => `#   ${r.file} (${r.why})`).join('\n')}`);
console.log(`# total wall time ${seconds(performance.now() - t0)}`);
process.exit(failed.length ? 1 : 0);
