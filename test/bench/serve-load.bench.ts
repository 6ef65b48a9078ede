// Benchmark of `steward serve`'s intake, run by `npm run bench`: 1,000 webhook deliveries in 10 s
// on loopback (700 Alertmanager deliveries for 100 alert groups: first firing, repeats with
// reworded text, one alert resolved; 300 signed GitHub pushes: 100 heads, each delivered twice
// under two ids, plus 100 redeliveries of an id). The server runs in its own process (the real
// listener, queue and worker), so client and server do not share an event loop. Goals: every
// delivery acknowledged, p99 acknowledgement latency <= 50 ms, each incident and each head queued once.
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { alertmanagerPayload, githubExample, signedGitHubRequest } from '../serve/webhook-fixtures.js';

const CHILD = fileURLToPath(new URL('../serve/fixtures/serve-child.ts', import.meta.url));
const DELIVERIES = 1_000;
const WINDOW_MS = 10_000;
const GOAL_P99_MS = 50;

interface Delivery {
  path: string;
  init: RequestInit;
}

async function planDeliveries(): Promise<Delivery[]> {
  const alerts: Delivery[] = [];
  for (let round = 0; round < 7; round++) {
    for (let group = 0; group < 100; group++) {
      const specs = [
        { name: 'Down', fingerprint: `g${group}a`, ...(round === 6 ? { status: 'resolved' as const } : {}), annotations: { summary: `round ${round}: reworded` } },
        { name: 'Slow', fingerprint: `g${group}b` },
      ];
      alerts.push({ path: '/alertmanager', init: { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify(alertmanagerPayload(`group-${group}`, specs)) } });
    }
  }
  const push = githubExample('push', (e) => e.ref === 'refs/heads/master');
  const github: Delivery[] = [];
  for (let i = 0; i < 300; i++) {
    const head = ((i % 100) + 1).toString(16).padStart(40, 'c');
    const id = i < 200 ? `delivery-${i}` : `delivery-${i - 200}`;
    github.push({ path: '/github', init: await signedGitHubRequest('s', 'push', id, { ...push, after: head }) });
  }
  // Interleave: three GitHub deliveries per seven alert deliveries.
  const out: Delivery[] = [];
  while (alerts.length || github.length) {
    out.push(...alerts.splice(0, 7), ...github.splice(0, 3));
  }
  return out.slice(0, DELIVERIES);
}

async function readServerTimes(file: string): Promise<number[]> {
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error('the server did not report its times');
    await new Promise((r) => setTimeout(r, 20));
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as number[]).sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchServeLoad(options: { log: (s: string) => void }): Promise<{ lines: string[]; p99Ms: number; acknowledged: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-serve-bench-'));
  const urlFile = path.join(dir, 'url');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path.join(dir, 'state.db'), path.join(dir, 'jobs.log'), urlFile], { stdio: 'inherit' });
  try {
    const deadline = Date.now() + 60_000;
    while (!existsSync(urlFile) || !readFileSync(urlFile, 'utf8')) {
      if (Date.now() > deadline) throw new Error('serve did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const url = readFileSync(urlFile, 'utf8');
    const deliveries = await planDeliveries();
    options.log(`bench: serve intake, ${deliveries.length} deliveries over ${WINDOW_MS / 1000} s`);
    const interval = WINDOW_MS / deliveries.length;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const latencies: number[] = [];
    let acknowledged = 0;
    await Promise.all(
      deliveries.map(async (d, i) => {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t0 = performance.now();
        const response = await fetch(`${url}${d.path}`, d.init);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status === 202 || response.status === 200) acknowledged++;
      }),
    );
    const elapsed = performance.now() - started;
    loop.disable();
    child.kill('SIGUSR2');
    const handled = await readServerTimes(`${urlFile}.times`);
    latencies.sort((a, b) => a - b);
    const queue = new SqliteServeQueue({ file: path.join(dir, 'state.db') });
    const jobs = queue.jobs();
    queue.close();
    const incidents = new Map<string, number>();
    for (const j of jobs.filter((j) => j.payload.kind === 'incident')) incidents.set(j.incidentKey!, (incidents.get(j.incidentKey!) ?? 0) + 1);
    const deploys = jobs.filter((j) => j.payload.kind === 'deploy').length;
    const onceEach = incidents.size === 100 && [...incidents.values()].every((n) => n === 1) && deploys === 100;
    const p99 = percentile(latencies, 99);
    return {
      p99Ms: p99,
      acknowledged,
      lines: [
        `serve intake: ${acknowledged}/${deliveries.length} acknowledged in ${(elapsed / 1000).toFixed(1)} s; ack latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (goal <= ${GOAL_P99_MS} ms), max ${latencies.at(-1)!.toFixed(1)} ms; the load generator's own event loop stalled up to ${(loop.max / 1e6).toFixed(0)} ms`,
        `serve intake: inside the server (request to last byte): p50 ${percentile(handled, 50).toFixed(1)} ms, p99 ${percentile(handled, 99).toFixed(1)} ms, max ${handled.at(-1)!.toFixed(1)} ms`,
        `serve intake: ${incidents.size} incidents queued ${[...incidents.values()].reduce((a, b) => a + b, 0)} sessions, ${deploys} deploys for 100 heads: ${onceEach ? 'each once' : 'NOT each once'}`,
      ],
    };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await benchServeLoad({ log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${result.lines.join('\n')}\n`);
}
