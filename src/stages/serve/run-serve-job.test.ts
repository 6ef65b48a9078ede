import { describe, expect, it } from 'vitest';
import type { ServeJob } from '../../model/serve-job.js';
import { silentNotifier, type Notifier } from '../../ports/notifier.js';
import type { SessionRunner } from '../../ports/session-runner.js';
import { planCommands, runServeJob, type CommandStep } from './run-serve-job.js';

const SHA = (c: string) => c.repeat(40);
const noSessions: SessionRunner = { run: async () => Promise.reject(new Error('no session expected')) };
const job = (payload: ServeJob['payload']): ServeJob => ({ id: 1, dedupKey: 'k', payload, attempts: 1, enqueuedAt: 'now' });

describe('planCommands', () => {
  it('fetches, then runs the same review and deploy a person runs, from checked fields only', () => {
    expect(planCommands({ kind: 'review', pr: 7, head: SHA('a'), base: SHA('b') }, 'main').map((s) => [s.program, ...s.args].join(' '))).toEqual([
      'git fetch --quiet origin +refs/pull/7/head:refs/remotes/origin/pr/7',
      'git fetch --quiet origin +refs/heads/main:refs/remotes/origin/main',
      `steward review --github --pr 7 --head ${SHA('a')} --base ${SHA('b')}`,
    ]);
    expect(planCommands({ kind: 'deploy', head: SHA('c'), ref: 'refs/heads/main' }, 'main').at(-1)?.args).toEqual(['deploy', '--github', '--head', SHA('c'), '--main-branch', 'main']);
    expect(planCommands({ kind: 'approval', pr: 9, commit: '0123456789ab', merged: true }, 'trunk').at(-1)?.args).toEqual(['deploy', '--github', '--head', 'origin/trunk', '--main-branch', 'trunk']);
  });
});

describe('runServeJob', () => {
  const run = (codes: Record<string, number>) => {
    const ran: string[] = [];
    const notified: string[] = [];
    const notifier: Notifier = { ...silentNotifier, notify: async (n) => (notified.push(n.key), [{ channel: 'webhook' as const, status: 'sent' as const }]) };
    const commands = { run: async (step: CommandStep) => (ran.push(step.args[0]!), { exitCode: codes[step.args[0]!] ?? 0, stdout: '# Deploy report', stderr: 'last line' }) };
    return { ran, notified, deps: { sessions: noSessions, notifier, commands, mainBranch: 'main' } };
  };

  it('counts a held deploy as done, a failed deploy as failed, and goes on past a failed fetch', async () => {
    const held = run({ deploy: 5, fetch: 128 });
    expect(await runServeJob(held.deps, job({ kind: 'deploy', head: SHA('c'), ref: 'refs/heads/main' }), new AbortController().signal)).toMatchObject({ ok: true });
    expect(held.ran).toEqual(['fetch', 'deploy']);
    expect(held.notified).toEqual([`held:${SHA('c')}`]);
    const failed = run({ deploy: 6 });
    expect(await runServeJob(failed.deps, job({ kind: 'deploy', head: SHA('c'), ref: 'refs/heads/main' }), new AbortController().signal)).toMatchObject({ ok: false, summary: 'steward deploy exited 6: last line; deploy-failed: webhook sent' });
    expect(failed.notified).toEqual([`deploy-failed:${SHA('c')}`]);
    const deployed = run({});
    await runServeJob(deployed.deps, job({ kind: 'deploy', head: SHA('c'), ref: 'refs/heads/main' }), new AbortController().signal);
    expect(deployed.notified).toEqual([]);
  });

  it("announces a failed deploy after an approval under the approved commit's key, never a hold", async () => {
    const failed = run({ deploy: 6 });
    await runServeJob(failed.deps, job({ kind: 'approval', pr: 9, commit: '0123456789ab', merged: true }), new AbortController().signal);
    expect(failed.notified).toEqual(['deploy-failed:0123456789ab']);
    const held = run({ deploy: 5 });
    await runServeJob(held.deps, job({ kind: 'approval', pr: 9, commit: '0123456789ab', merged: true }), new AbortController().signal);
    expect(held.notified).toEqual([]);
  });

  it('resolves an incident through the notifier under its deterministic key', async () => {
    const keys: string[] = [];
    const notifier: Notifier = { ...silentNotifier, resolve: async (key) => (keys.push(key), [{ channel: 'ntfy' as const, status: 'sent' as const }]) };
    const result = await runServeJob({ ...run({}).deps, notifier }, job({ kind: 'resolve', incidentKey: 'am-1-2', groupKey: 'g' }), new AbortController().signal);
    expect([keys, result.ok]).toEqual([['incident:am-1-2'], true]);
  });
});
