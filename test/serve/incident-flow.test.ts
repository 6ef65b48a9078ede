// An incident from webhook to issue: Alertmanager fires, `steward serve` queues one session, the
// session escalates (a stand-in that notifies as the session runner does), the GitHub issue opens
// and ntfy rings once; Alertmanager repeats, nothing more; it resolves, the issue closes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOctokitClient } from '../../src/adapters/github-octokit/client.js';
import { startServeListener } from '../../src/adapters/http-serve/serve-listener.js';
import { createGitHubIssueChannel } from '../../src/adapters/notify-github-issue/github-issue-channel.js';
import { createNtfyChannel } from '../../src/adapters/notify-ntfy/ntfy-channel.js';
import { SqliteNotificationLedger } from '../../src/adapters/store-sqlite/notification-ledger.js';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { SessionRunner } from '../../src/ports/session-runner.js';
import { Redactor } from '../../src/redact.js';
import { createChannelNotifier } from '../../src/stages/notify/channel-notifier.js';
import { runServeJob } from '../../src/stages/serve/run-serve-job.js';
import { startServeWorker } from '../../src/stages/serve/serve-worker.js';
import { capturingLogger, TOKEN, useSeededDouble } from '../github/fixtures.js';
import { startReceiver } from './notify-receiver.js';
import { alertmanagerPayload } from './webhook-fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-incident-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an incident through steward serve', () => {
  const gh = useSeededDouble();

  it('opens one issue and rings once per incident, and closes the issue when it resolves', async () => {
    const state = path.join(dir, 'state.db');
    const redactor = new Redactor();
    const ntfy = await startReceiver();
    const octokit = createOctokitClient({ token: TOKEN, baseUrl: gh.double.url, redactor, logger: capturingLogger(redactor), pacing: 'none', waitUnitMs: 1 });
    const notifier = createChannelNotifier({
      channels: [createGitHubIssueChannel({ octokit, repository: gh.double.state.fullName, labels: ['steward'], redactor }), createNtfyChannel({ url: `${ntfy.url}/lab`, timeoutMs: 5_000 })],
      ledger: new SqliteNotificationLedger(state),
      redactor,
    });
    let sessions = 0;
    // Stands in for the session runner: it escalates, announcing under the incident's key.
    const runner: SessionRunner = {
      async run(trigger) {
        sessions++;
        if (trigger.kind !== 'incident') throw new Error('incident expected');
        const at = new Date().toISOString();
        const notifications = await notifier.notify({ key: `incident:${trigger.incidentKey}`, kind: 'escalation', severity: 'critical', title: `${trigger.alerts[0]!.labels.alertname} on ${trigger.alerts[0]!.labels.instance}`, body: 'postgresql.service failed; a person is needed.' });
        const answer = { summary: 'escalated', findings: [], confidence: 'medium' as const, escalate: { needed: true, reason: 'critical unit' }, actionsRequested: [], knowledge: [] };
        return { id: `s${sessions}`, trigger, goal: 'incident', mode: 'rules-only', startedAt: at, finishedAt: at, answer, actions: [], escalated: true, notifications, stats: { contextTokens: 0, turns: null, toolCalls: 0, costUsd: null, durationMs: 0 } };
      },
    };
    const queue = new SqliteServeQueue({ file: state });
    const commands = { run: async () => Promise.reject(new Error('no command expected')) };
    const worker = startServeWorker(
      { queue, logger: silentLogger, identity: { owner: 'w', pid: process.pid, hostname: os.hostname() }, runJob: (job, signal) => runServeJob({ sessions: runner, notifier, commands, mainBranch: 'main' }, job, signal) },
      { leaseMs: 60_000, jobTimeoutMs: 60_000, concurrency: 2, pollMs: 50 },
    );
    const listener = await startServeListener({ queue, logger: silentLogger, onQueued: () => worker.wake() }, { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, requestTimeoutMs: 10_000, alertmanager: { type: 'bearer', token: 't' } });
    const post = (payload: unknown) => fetch(`${listener.url}/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: JSON.stringify(payload) });
    try {
      expect((await post(alertmanagerPayload('db', [{ name: 'PostgresDown', fingerprint: 'pg1' }]))).status).toBe(202);
      await until('the escalation issue', () => gh.double.state.issues.length === 1 && ntfy.received.length === 1);
      // Alertmanager's repeat_interval: the same alert again, reworded.
      expect((await post(alertmanagerPayload('db', [{ name: 'PostgresDown', fingerprint: 'pg1', annotations: { summary: 'still down' } }]))).status).toBe(202);
      expect((await post(alertmanagerPayload('db', [{ name: 'PostgresDown', fingerprint: 'pg1', status: 'resolved' }]))).status).toBe(202);
      await until('the issue to close', () => gh.double.state.issues[0]?.state === 'closed');
      await until('every job to finish', () => queue.jobs().every((j) => j.finishedAt !== null));
      expect(sessions).toBe(1);
      expect(gh.double.state.issues).toHaveLength(1);
      expect(gh.double.state.issues[0]).toMatchObject({ title: '[steward] PostgresDown on pg1:9100', state: 'closed' });
      expect(ntfy.received.map((r) => r.headers.tags)).toEqual(['rotating_light,escalation', 'white_check_mark,resolved']);
      expect(queue.jobs().map((j) => [j.payload.kind, j.state])).toEqual([['incident', 'done'], ['resolve', 'done']]);
    } finally {
      await listener.close();
      await worker.stop();
      queue.close();
      await ntfy.close();
    }
  });
});
