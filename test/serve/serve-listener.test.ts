// `steward serve`'s listener against real deliveries: Alertmanager v4 (firing, grouped, repeated,
// resolved) with bearer and basic auth, GitHub's example payloads with good and bad signatures.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServeListener, type ServeListener, type ServeListenerOptions } from '../../src/adapters/http-serve/serve-listener.js';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { silentLogger } from '../../src/ports/logger.js';
import { alertmanagerPayload, githubExample, signedGitHubRequest } from './webhook-fixtures.js';

const TOKEN = 'am-token-0123456789';
const SECRET = 'gh-webhook-secret';
const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let queue: SqliteServeQueue;
let listener: ServeListener;
let files = 0;

async function start(overrides: Partial<ServeListenerOptions> = {}) {
  queue = new SqliteServeQueue({ file: path.join(dir, `state-${++files}.db`) });
  listener = await startServeListener(
    { queue, logger: silentLogger },
    { host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, requestTimeoutMs: 10_000, alertmanager: { type: 'bearer', token: TOKEN }, github: { secret: SECRET, mainBranch: 'master' }, ...overrides },
  );
}

afterEach(async () => {
  await listener.close();
  queue.close();
});

const postAlerts = (payload: unknown, auth = `Bearer ${TOKEN}`) =>
  fetch(`${listener.url}/alertmanager`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(payload) });

describe('steward serve: routes and bad input', () => {
  beforeEach(() => start());

  it('answers /healthz, 404 for unknown paths and 405 for the wrong method', async () => {
    expect((await fetch(`${listener.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${listener.url}/nope`)).status).toBe(404);
    const wrong = await fetch(`${listener.url}/alertmanager`);
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('refuses Alertmanager requests without the credential (401), bad JSON and other payloads (400), too large bodies (413)', async () => {
    const payload = alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }]);
    expect((await postAlerts(payload, 'Bearer wrong')).status).toBe(401);
    expect((await fetch(`${listener.url}/alertmanager`, { method: 'POST', body: '{}' })).status).toBe(401);
    const bad = await fetch(`${listener.url}/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{not json' });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'body is not JSON' }]);
    const v3 = await postAlerts({ ...payload, version: '3' });
    expect(v3.status).toBe(400);
    expect(((await v3.json()) as { error: string }).error).toMatch(/version 4.*version/);
    const huge = await postAlerts({ ...payload, commonAnnotations: { description: 'x'.repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect(queue.jobs()).toEqual([]);
  });

  it('answers 408 to a client that never finishes its body', async () => {
    await listener.close();
    queue.close();
    await start({ requestTimeoutMs: 300 });
    const url = new URL(listener.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(`POST /alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100\r\n\r\n{`));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('serves only the routes that are configured', async () => {
    await listener.close();
    queue.close();
    await start({ alertmanager: undefined, github: undefined });
    expect((await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }]))).status).toBe(404);
    expect((await fetch(`${listener.url}/github`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('steward serve: Alertmanager', () => {
  beforeEach(() => start());

  it('queues one session per incident: repeats and new alerts of a queued session add nothing, resolution closes it', async () => {
    const first = await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }]));
    expect(first.status).toBe(202);
    const opened = (await first.json()) as { incidentKey: string };
    expect(opened).toMatchObject({ newAlerts: 1, queued: 'new-job', resolved: false });
    // Alertmanager's repeat_interval: the same alerts again, same (fingerprint, startsAt).
    expect(await (await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1', annotations: { summary: 'reworded text' } }]))).json()).toMatchObject({ newAlerts: 0, queued: 'none' });
    // The group grows: the queued session takes the new alert.
    expect(await (await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }, { name: 'Slow', fingerprint: 'f2' }]))).json()).toMatchObject({ incidentKey: opened.incidentKey, newAlerts: 1, queued: 'merged' });
    const jobs = queue.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: 'queued', incidentKey: opened.incidentKey, payload: { kind: 'incident', incidentKey: opened.incidentKey } });
    expect(jobs[0]?.payload.kind === 'incident' && jobs[0].payload.alerts.map((a) => a.fingerprint)).toEqual(['f1', 'f2']);
    // One alert resolves: still open. Both resolve: the incident closes, its unstarted session is superseded.
    expect(await (await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1', status: 'resolved' }, { name: 'Slow', fingerprint: 'f2' }]))).json()).toMatchObject({ resolved: false });
    expect(await (await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1', status: 'resolved' }, { name: 'Slow', fingerprint: 'f2', status: 'resolved' }]))).json()).toMatchObject({ resolved: true });
    expect(queue.jobs().map((j) => [j.payload.kind, j.state])).toEqual([['incident', 'superseded'], ['resolve', 'queued']]);
    // The group fires again later: a new incident with a new key.
    const again = (await (await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1', startsAt: '2026-12-04T12:00:00.000Z' }]))).json()) as { incidentKey: string };
    expect(again.incidentKey).not.toBe(opened.incidentKey);
  });

  it('keeps groups apart and accepts basic credentials when configured', async () => {
    await listener.close();
    queue.close();
    await start({ alertmanager: { type: 'basic', username: 'am', password: 'pw' } });
    const auth = `Basic ${Buffer.from('am:pw').toString('base64')}`;
    expect((await postAlerts(alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }]), auth)).status).toBe(202);
    expect((await postAlerts(alertmanagerPayload('web', [{ name: 'Down', fingerprint: 'f9' }]), auth)).status).toBe(202);
    expect((await postAlerts(alertmanagerPayload('web', [{ name: 'Down', fingerprint: 'f9' }]), `Bearer pw`)).status).toBe(401);
    expect(new Set(queue.jobs().map((j) => j.incidentKey)).size).toBe(2);
  });
});

describe('steward serve: GitHub', () => {
  beforeEach(() => start());
  const post = async (event: string, delivery: string, payload: unknown, secret = SECRET) => fetch(`${listener.url}/github`, await signedGitHubRequest(secret, event, delivery, payload));

  it('refuses a missing or wrong signature (401) and a delivery without its headers (400)', async () => {
    const push = githubExample('push', (e) => e.ref === 'refs/heads/master');
    expect((await post('push', 'd-1', push, 'another-secret')).status).toBe(401);
    expect((await fetch(`${listener.url}/github`, { method: 'POST', headers: { 'x-github-event': 'push', 'x-github-delivery': 'd-1' }, body: JSON.stringify(push) })).status).toBe(401);
    const request = await signedGitHubRequest(SECRET, 'push', 'd-1', push);
    const { 'x-github-delivery': _, ...headers } = request.headers;
    expect((await fetch(`${listener.url}/github`, { ...request, headers })).status).toBe(400);
    expect(queue.jobs()).toEqual([]);
  });

  it('queues a deploy for a push to the main branch, once per delivery and once per head', async () => {
    const push = githubExample('push', (e) => e.ref === 'refs/heads/master');
    const first = await post('push', 'd-1', push);
    expect([first.status, await first.json()]).toEqual([202, { status: 'queued', jobId: 1 }]);
    expect(await (await post('push', 'd-1', push)).json()).toEqual({ status: 'duplicate-delivery' });
    expect(await (await post('push', 'd-2', push)).json()).toEqual({ status: 'duplicate-job', jobId: 1 });
    const tag = await post('push', 'd-3', githubExample('push', (e) => e.ref.startsWith('refs/tags/')));
    expect(tag.status).toBe(200);
    expect(queue.jobs().map((j) => j.payload)).toEqual([{ kind: 'deploy', head: push.after, ref: 'refs/heads/master' }]);
  });

  it('queues a review for a pull request opened or updated, and an approval when an approval pull request closes', async () => {
    const opened = githubExample('pull_request', (e) => e.action === 'opened');
    const labeled = githubExample('pull_request', (e) => e.action === 'labeled');
    const closed = githubExample('pull_request', (e) => e.action === 'closed');
    closed.pull_request.head.ref = 'steward/approve/0123456789ab';
    closed.pull_request.merged = true;
    expect((await post('pull_request', 'p-1', opened)).status).toBe(202);
    expect((await post('pull_request', 'p-2', labeled)).status).toBe(200);
    expect((await post('pull_request', 'p-3', closed)).status).toBe(202);
    expect((await post('ping', 'p-4', githubExample('ping'))).status).toBe(200);
    expect(queue.jobs().map((j) => j.payload)).toEqual([
      { kind: 'review', pr: opened.number, head: opened.pull_request.head.sha, base: opened.pull_request.base.sha },
      { kind: 'approval', pr: closed.number, commit: '0123456789ab', merged: true },
    ]);
  });
});

describe('steward serve: Alertmanager payload edge cases', () => {
  beforeEach(() => start());

  it('takes an alert listed twice in one payload once', async () => {
    const payload = alertmanagerPayload('db', [{ name: 'Down', fingerprint: 'f1' }, { name: 'Down', fingerprint: 'f1' }]);
    const response = await postAlerts(payload);
    expect([response.status, await response.json()]).toMatchObject([202, { newAlerts: 1, queued: 'new-job' }]);
  });
});
