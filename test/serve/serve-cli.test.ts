// `steward serve` as systemd runs it: secrets from the environment or a credentials directory,
// the listening line on stderr, a queued incident handed to the session runner, SIGTERM stops it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { CLI, runCli } from '../helpers/cli.js';
import { alertmanagerPayload } from './webhook-fixtures.js';
import { waitFor } from '../helpers/wait-for.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-serve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = path.join(dir, 'repo');
mkdirSync(repo);
execFileSync('git', ['init', '-q', repo]);
writeFileSync(path.join(repo, 'steward.json'), JSON.stringify({ serve: { alertmanager: { auth: { type: 'bearer', tokenEnv: 'AM_TOKEN' } }, github: {} } }));

describe('steward serve (CLI)', () => {
  it('refuses to start without the secrets of its routes (exit 2), naming each', async () => {
    const result = await runCli(['serve', '--repo', repo, '--listen', '127.0.0.1:0', '--state', path.join(dir, 'none.db')], { env: { AM_TOKEN: '', STEWARD_GITHUB_WEBHOOK_SECRET: '', CREDENTIALS_DIRECTORY: '' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('set AM_TOKEN');
    expect(result.stderr).toContain('set STEWARD_GITHUB_WEBHOOK_SECRET');
  });

  it('reads secrets from systemd credentials, queues an alert, hands it to the session runner, stops on SIGTERM', async () => {
    const credentials = path.join(dir, 'credentials');
    mkdirSync(credentials);
    writeFileSync(path.join(credentials, 'AM_TOKEN'), 'cred-token\n');
    writeFileSync(path.join(credentials, 'STEWARD_GITHUB_WEBHOOK_SECRET'), 'gh-secret');
    const state = path.join(dir, 'state.db');
    const child = execa(process.execPath, [CLI, 'serve', '--repo', repo, '--listen', '127.0.0.1:0', '--state', state], {
      reject: false,
      env: { ...process.env, AM_TOKEN: '', STEWARD_GITHUB_WEBHOOK_SECRET: '', CREDENTIALS_DIRECTORY: credentials },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const url = await waitFor('the listening line', () => /listening on (http:\/\/\S+)/.exec(stderr)?.[1]);
      const response = await fetch(`${url}/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer cred-token' }, body: JSON.stringify(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }])) });
      expect(response.status).toBe(202);
      const queue = new SqliteServeQueue({ file: state });
      try {
        const job = await waitFor('the session to run', () => queue.jobs().find((j) => j.finishedAt !== null));
        // Whatever runner is connected (src/cli/serve-runtime.ts), the incident reached it as a session.
        expect(job.result?.summary).toMatch(/^session \S+ \((llm|rules-only)\)/);
        expect(job.payload).toMatchObject({ kind: 'incident', alerts: [{ fingerprint: 'f1' }] });
      } finally {
        queue.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(stderr).not.toContain('cred-token');
  });
});
