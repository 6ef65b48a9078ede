// `steward serve` killed with SIGKILL in the middle of its queue and started again: every
// acknowledged delivery is worked on, the interrupted job runs again, no finished job repeats.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { alertmanagerPayload, githubExample, signedGitHubRequest } from './webhook-fixtures.js';
import { waitFor } from '../helpers/wait-for.js';

const CHILD = fileURLToPath(new URL('./fixtures/serve-child.ts', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-serve-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startChild(name: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const urlFile = path.join(dir, `${name}.url`);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path.join(dir, 'state.db'), path.join(dir, 'jobs.log'), urlFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  const url = await waitFor(`${name} to listen`, () => existsSync(urlFile) && readFileSync(urlFile, 'utf8'));
  return { child, url };
}

const log = () => (existsSync(path.join(dir, 'jobs.log')) ? readFileSync(path.join(dir, 'jobs.log'), 'utf8').trim().split('\n') : []);

describe('steward serve killed mid-queue', () => {
  it('loses nothing acknowledged and repeats nothing finished', async () => {
    const first = await startChild('first', { HANG_ON_JOB: '6' });
    const push = githubExample('push', (e) => e.ref === 'refs/heads/master');
    let acknowledged = 0;
    for (let i = 0; i < 10; i++) {
      const head = (i + 1).toString(16).padStart(40, 'a');
      const github = await fetch(`${first.url}/github`, await signedGitHubRequest('s', 'push', `delivery-${i}`, { ...push, after: head }));
      const alert = await fetch(`${first.url}/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: JSON.stringify(alertmanagerPayload(`group-${i}`, [{ name: 'Down', fingerprint: `fp${i}` }])) });
      acknowledged += Number(github.status === 202) + Number(alert.status === 202);
    }
    expect(acknowledged).toBe(20);
    await waitFor('job 6 to start', () => log().includes('start 6'));
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startChild('second');
    // Redelivered after the restart (GitHub retries a delivery it is unsure of): still once.
    const again = await fetch(`${second.url}/github`, await signedGitHubRequest('s', 'push', 'delivery-0', { ...push, after: '1'.padStart(40, 'a') }));
    expect(await again.json()).toEqual({ status: 'duplicate-delivery' });
    const queue = new SqliteServeQueue({ file: path.join(dir, 'state.db') });
    try {
      await waitFor('every job to finish', () => queue.jobs().every((j) => j.state === 'done'));
      const jobs = queue.jobs();
      expect(jobs).toHaveLength(20);
      const lines = log();
      for (const job of jobs) {
        expect(lines.filter((l) => l === `done ${job.id}`)).toHaveLength(1);
        expect(lines.filter((l) => l === `start ${job.id}`)).toHaveLength(job.id === 6 ? 2 : 1);
      }
      expect(jobs.find((j) => j.id === 6)?.attempts).toBe(2);
    } finally {
      queue.close();
      second.child.kill('SIGTERM');
    }
  }, 300_000);
});

