// The agent's deploy actions (rollback-host, redeploy-head) from request to record, against a
// scripted `steward deploy` (what it answered, as its --json report) and fixture hosts: pre-flight,
// the deploy's gate (risky stays held), the dry run that keeps a host rollback to that host,
// verification, and the records with the session that asked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeployCommand, DeployCommandResult } from '../../src/agent/session/environment.js';
import { rollbackTargetOf } from '../../src/agent/session/deploy-actions.js';
import { decideProposal } from '../../src/agent/session/decide-proposal.js';
import { requestAction } from '../../src/agent/session/request-action.js';
import type { GitPort } from '../../src/ports/git.js';
import type { HistoryEntry } from '../../src/ports/deploy-store.js';
import type { DeployOutcome, DeployReport, TargetRecord } from '../../src/stages/record/deploy-record.js';
import { sessionEnv } from '../helpers/session-env.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'steward-deploy-actions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const host of ['nas', 'node1']) mkdirSync(path.join(root, host, 'run'), { recursive: true });
writeFileSync(path.join(root, 'nas/run/failed-units'), '');

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

const entry = (target: string, sha: string, result: HistoryEntry['result'], at: string): HistoryEntry => ({ runId: 1, kind: 'host', target, sha, result, action: 'switch', from: null, to: `/nix/store/${sha.slice(0, 32)}-nixos-system`, message: '', at });
// Newest first, as the deploy store answers: nas runs B (verified), ran A before; B's first try failed.
const HISTORY: HistoryEntry[] = [entry('nas', B, 'verified', '2026-12-04T12:00:00Z'), entry('node1', B, 'verified', '2026-12-04T12:00:00Z'), entry('nas', B, 'rolled-back', '2026-12-04T11:00:00Z'), entry('nas', A, 'verified', '2026-12-03T12:00:00Z')];

const target = (kind: 'host' | 'job', name: string, result: TargetRecord['result']): TargetRecord => ({ kind, name, result, action: kind === 'host' ? 'switch' : 'register', from: null, to: null, message: `${name} ${result}`, pendingReboot: false, verification: [], durationMs: 1 });
function report(head: string, outcome: DeployOutcome, targets: TargetRecord[], note = ''): DeployReport {
  const timings = { reviewMs: 0, preflightMs: 0, prepareMs: 0, hostsMs: 0, jobsMs: 0, totalMs: 0 };
  const commit = { head, bases: [], label: 'clean' as const, reasons: [], digests: [], outcome, approved: false, targets, preflight: [], invariants: [], note, timings, startedAt: '', finishedAt: '' };
  return { schema: 'steward.deploy/v1', repo: '/repo', head, dryRun: outcome === 'planned', outcome, recovered: [], commits: [commit], reboots: [] };
}

/** A scripted `steward deploy`: answers in order, remembering what it was asked. */
function scriptedDeploy(answers: DeployCommandResult[]): DeployCommand & { asked: unknown[] } {
  const asked: unknown[] = [];
  return { asked, run: async (request) => (asked.push(request), answers.shift() ?? Promise.reject(new Error('no more deploys expected'))) };
}

// Only a fetched origin/main here (as `steward serve` fetches it): the redeploy takes it before a local main.
// First-parent order A → B → HEAD: the merge base of two is the older one.
const ORDER = [A, B, HEAD];
const git = {
  root: '/repo',
  resolve: async (rev: string) => (rev === 'refs/remotes/origin/main' ? HEAD : rev === 'refs/heads/main' ? A : Promise.reject(new Error(`unknown ${rev}`))),
  mergeBase: async (x: string, y: string) => ORDER[Math.min(ORDER.indexOf(x), ORDER.indexOf(y))] ?? null,
} as unknown as GitPort;

function env(autonomy: Record<string, string>, deploy: DeployCommand) {
  return sessionEnv({ hostsRoot: root, hosts: ['nas', 'node1'], config: { hosts: { node1: { roles: ['consul-server'] }, nas: {} }, agent: { autonomy } }, overrides: { deploy, git, deployHistory: (limit) => HISTORY.slice(0, limit) } });
}

describe('agent deploy actions', () => {
  it("finds a host's last good commit: the verified one before what it runs now", () => {
    expect(rollbackTargetOf(HISTORY, 'nas')).toEqual({ current: B, previous: A });
    expect(rollbackTargetOf(HISTORY, 'node1')).toMatchObject({ reason: expect.stringContaining('no verified deployment older') });
    expect(rollbackTargetOf(HISTORY, 'desk')).toMatchObject({ reason: expect.stringContaining('never deployed') });
  });

  it('rolls a leaf host back through steward deploy --rollback-to, after a dry run that changes only that host', async () => {
    const deploy = scriptedDeploy([
      { exitCode: 0, report: report(A, 'planned', [target('host', 'nas', 'skipped')]), output: '' },
      { exitCode: 0, report: report(A, 'deployed', [target('host', 'nas', 'verified')]), output: '' },
    ]);
    const e = env({ 'rollback-host': 'act' }, deploy);
    const outcome = await requestAction(e, 's-1', { actionClass: 'rollback-host', target: 'nas', why: 'photos broke after B' });
    expect(outcome).toMatchObject({ status: 'succeeded', escalate: false, detail: expect.stringContaining(`rolled nas back from ${B.slice(0, 12)} to its last good commit ${A.slice(0, 12)}`) });
    expect(deploy.asked).toEqual([{ rollbackTo: A, dryRun: true }, { rollbackTo: A }]);
    expect(e.store.actions({ sessionId: 's-1' })).toMatchObject([{ actionClass: 'rollback-host', target: 'nas', status: 'succeeded' }]);
  });

  it('never "rolls back" forwards: a host already rolled back from B to A has no older last good', async () => {
    const deploy = scriptedDeploy([]);
    const rolledBack = [entry('nas', A, 'verified', '2026-12-04T13:00:00Z'), ...HISTORY];
    const e = sessionEnv({ hostsRoot: root, hosts: ['nas', 'node1'], config: { hosts: { nas: {} }, agent: { autonomy: { 'rollback-host': 'act' } } }, overrides: { deploy, git, deployHistory: (limit) => rolledBack.slice(0, limit) } });
    const outcome = await requestAction(e, 's-fwd', { actionClass: 'rollback-host', target: 'nas', why: 'again' });
    expect(outcome).toMatchObject({ status: 'failed', detail: expect.stringContaining('no verified deployment that is an ancestor') });
    expect(deploy.asked).toEqual([]);
  });

  it("holds a risky rollback at the deploy's gate: the agent's --rollback-to is no person's approval", async () => {
    const deploy = scriptedDeploy([{ exitCode: 0, report: report(A, 'held', [target('host', 'nas', 'held')], 'risky: held for approval'), output: '' }]);
    const outcome = await requestAction(env({ 'rollback-host': 'act' }, deploy), 's-held', { actionClass: 'rollback-host', target: 'nas', why: 'kernel' });
    expect(outcome).toMatchObject({ status: 'refused', escalate: true, detail: expect.stringContaining('held: the rollback of nas') });
    expect(deploy.asked).toEqual([{ rollbackTo: A, dryRun: true }]);
  });

  it('reports a rollback that touched more than its dry run showed as failed', async () => {
    const deploy = scriptedDeploy([
      { exitCode: 0, report: report(A, 'planned', [target('host', 'nas', 'skipped')]), output: '' },
      { exitCode: 0, report: report(A, 'deployed', [target('host', 'nas', 'verified'), target('job', 'grafana', 'verified')]), output: '' },
    ]);
    const outcome = await requestAction(env({ 'rollback-host': 'act' }, deploy), 's-more', { actionClass: 'rollback-host', target: 'nas', why: 'photos' });
    expect(outcome).toMatchObject({ status: 'failed', detail: expect.stringContaining('touched more than its dry run showed (job grafana)') });
  });

  it('holds a rollback that would change more than the host, and never runs it', async () => {
    const deploy = scriptedDeploy([{ exitCode: 0, report: report(A, 'planned', [target('host', 'nas', 'skipped'), target('job', 'immich', 'skipped')]), output: '' }]);
    const e = env({ 'rollback-host': 'act' }, deploy);
    const outcome = await requestAction(e, 's-2', { actionClass: 'rollback-host', target: 'nas', why: 'x' });
    expect(outcome).toMatchObject({ status: 'refused', escalate: true, detail: expect.stringMatching(/^held: rolling nas back to a{12} would also change job immich/) });
    expect(deploy.asked).toEqual([{ rollbackTo: A, dryRun: true }]);
    expect(e.store.actions({ sessionId: 's-2' })).toMatchObject([{ status: 'refused' }]);
  });

  it("escalates a quorum member's rollback before any deploy runs; a rollback the deploy had to undo is recorded rolled back", async () => {
    const none = scriptedDeploy([]);
    expect(await requestAction(env({ 'rollback-host': 'act' }, none), 's-3', { actionClass: 'rollback-host', target: 'node1', why: 'x' })).toMatchObject({ status: 'refused', escalate: true });
    expect(none.asked).toEqual([]);
    const failing = scriptedDeploy([
      { exitCode: 0, report: report(A, 'planned', [target('host', 'nas', 'skipped')]), output: '' },
      { exitCode: 6, report: report(A, 'failed', [target('host', 'nas', 'rolled-back')], 'nas: activation failed'), output: '' },
    ]);
    const e = env({ 'rollback-host': 'act' }, failing);
    expect(await requestAction(e, 's-4', { actionClass: 'rollback-host', target: 'nas', why: 'x' })).toMatchObject({ status: 'rolled-back', escalate: true, detail: expect.stringContaining('nas: rolled-back') });
    expect(e.store.actions({ sessionId: 's-4' })).toMatchObject([{ status: 'rolled-back' }]);
    const crashed = scriptedDeploy([{ exitCode: 1, report: null, output: 'steward deploy\nError: Cannot open the state database\n    at x\nNode.js v20' }]);
    expect(await requestAction(env({ 'redeploy-head': 'act' }, crashed), 's-4b', { actionClass: 'redeploy-head', target: 'main', why: 'x' })).toMatchObject({ status: 'failed', escalate: true, detail: expect.stringContaining('Error: Cannot open the state database') });
  });

  it("re-runs the deploy of main's head through its gate: deployed and verified, or held for a person", async () => {
    const ok = scriptedDeploy([{ exitCode: 0, report: report(HEAD, 'deployed', [target('host', 'nas', 'verified'), target('job', 'immich', 'verified')]), output: '' }]);
    expect(await requestAction(env({ 'redeploy-head': 'act' }, ok), 's-5', { actionClass: 'redeploy-head', target: 'main', why: 'a transient failure' })).toMatchObject({ status: 'succeeded', detail: expect.stringContaining('verified: host nas, job immich') });
    expect(ok.asked).toEqual([{ head: HEAD }]);

    const held = scriptedDeploy([{ exitCode: 5, report: report(HEAD, 'held', [target('host', 'nas', 'held')], 'risky: sshd restarts'), output: '' }]);
    const e = env({ 'redeploy-head': 'act' }, held);
    expect(await requestAction(e, 's-6', { actionClass: 'redeploy-head', target: 'main', why: 'x' })).toMatchObject({ status: 'refused', escalate: true, detail: expect.stringContaining("the deploy's gate held cccccccccccc for a person's approval: risky: sshd restarts") });
    expect(e.store.actions({ sessionId: 's-6' })).toMatchObject([{ status: 'refused', detail: expect.stringMatching(/^held: /) }]);
  });

  it('at propose: nothing runs until a person approves; then Steward executes it', async () => {
    const deploy = scriptedDeploy([{ exitCode: 0, report: report(HEAD, 'nothing-to-do', []), output: '' }]);
    const e = env({ 'redeploy-head': 'propose' }, deploy);
    const outcome = await requestAction(e, 's-7', { actionClass: 'redeploy-head', target: 'main', why: 'x' });
    expect(outcome).toMatchObject({ status: 'proposed' });
    expect(deploy.asked).toEqual([]);
    expect(await decideProposal(e, outcome.id, 'approved')).toMatchObject({ ok: true, status: 'succeeded' });
    expect(deploy.asked).toEqual([{ head: HEAD }]);
    expect(e.store.actions({ sessionId: 's-7' })).toMatchObject([{ status: 'succeeded', decision: 'approved' }]);
  });

  it('at observe (the default): reported, no deploy', async () => {
    const deploy = scriptedDeploy([]);
    expect(await requestAction(env({}, deploy), 's-8', { actionClass: 'rollback-host', target: 'nas', why: 'x' })).toMatchObject({ status: 'refused', detail: expect.stringContaining('observe') });
    expect(deploy.asked).toEqual([]);
  });
});
