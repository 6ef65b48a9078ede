// The deploy's plan and apply halves against in-memory fakes (an in-memory state store, canned
// reviews, a fake approval gate): no Nix, no hosts, no cluster. Fast beside the end-to-end suites.
import { describe, expect, it, vi } from 'vitest';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { StewardConfig } from '../../src/config/schema.js';
import type { ChangeSet } from '../../src/model/changeset.js';
import type { Label } from '../../src/model/label.js';
import { REVIEW_SCHEMA_VERSION, type ReviewOutcome, type ReviewReport } from '../../src/model/review.js';
import type { ApprovalGate } from '../../src/ports/approval-gate.js';
import type { GitPort } from '../../src/ports/git.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { noHooks, type DeployContext } from '../../src/stages/deploy/context.js';
import { APPLY_PHASES, applyDeployPlan } from '../../src/pipeline/apply-deploy.js';
import type { DeployDeps } from '../../src/pipeline/deploy-deps.js';
import { failedPhaseOf, runPhases } from '../../src/pipeline/phase-runner.js';
import { planDeploy, renderDeployPlan, type DeployPlan, type Reviewer } from '../../src/pipeline/plan-deploy.js';
import { changeSet, jobChange } from '../helpers/changesets.js';

const PARENT = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const NEWER = 'c'.repeat(40);
const jobPlan = { jobId: 'web', diffType: 'Edited' as const, groups: [], fields: [], jobModifyIndex: 42, failedPlacements: [] };

function review(cs: ChangeSet, input: { jobs?: Record<string, Label>; outcome?: ReviewOutcome } = {}): ReviewReport {
  const label = Object.values(input.jobs ?? {}).includes('risky') ? 'risky' : 'clean';
  return {
    schema: REVIEW_SCHEMA_VERSION,
    repo: '/r',
    base: cs.base,
    head: cs.head,
    level: 'build',
    outcome: input.outcome ?? 'reviewed',
    label,
    verdict: { label, decidedBy: 'rules', reviewed: false, rules: { label, reasons: [], hosts: {}, jobs: input.jobs ?? {} } },
    changeSet: cs,
    stats: { nix: null, hostsTotal: 0, hostsChanged: 0, toplevelsBuilt: 0, evalProcesses: 0, baseFromCache: false },
    timings: { detectMs: 0, evalMs: 0, buildMs: 0, analyzeMs: 0, classifyMs: 0, totalMs: 0 },
  };
}

/** A review in which job `web` changed, with the label given. */
const webChanged = (label: Label, outcome?: ReviewOutcome): Reviewer => async (base, head) =>
  review(changeSet({ base, head, jobs: [jobChange('web', { file: 'jobs/web.nomad.hcl', plan: { planned: true, plan: jobPlan } })] }), { jobs: { web: label }, ...(outcome ? { outcome } : {}) });

/** History: PARENT <- HEAD <- NEWER. */
const git = {
  root: '/r',
  firstParent: async (sha: string) => (sha === HEAD ? PARENT : sha === NEWER ? HEAD : null),
  mergeBase: async (a: string, b: string) => {
    const order = [PARENT, HEAD, NEWER];
    return order[Math.min(order.indexOf(a), order.indexOf(b))] ?? null;
  },
  lacksHistory: async () => false,
  show: async () => null,
} as unknown as GitPort;

function lab(over: Partial<DeployDeps> = {}, config = StewardConfig.parse({})) {
  const store = new SqliteDeployStore({ file: ':memory:' });
  const deps = {
    git,
    nix: {},
    cache: {},
    logger: silentLogger,
    redactor: new Redactor(),
    store,
    cluster: {},
    hostFor: () => null,
    invariantDeps: { runLocal: async () => ({ exitCode: 0, output: '', timedOut: false }), httpStatus: async () => 200 },
    ...over,
  } as unknown as DeployDeps;
  const ctx: DeployContext = { store, runId: store.startRun({ head: HEAD, dryRun: false }), hooks: noHooks, logger: silentLogger, redactor: new Redactor(), settings: { confirmSeconds: 1, activationSeconds: 1, rebootTimeoutMs: 1, quorumTimeoutMs: 1, jobDeadlineMs: 1, blockingWaitMs: 1, pollMs: 1 }, now: () => new Date('2025-01-01T00:00:00Z') };
  return { deps, store, ctx, config };
}

function gate(approved: boolean): ApprovalGate & { requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    isApproved: async () => ({ approved, ...(approved ? {} : { note: 'waiting for approval pull request #7' }) }),
    request: async (sha) => {
      requested.push(sha);
      return { url: 'https://github.example/pr/7', note: 'approval requested in https://github.example/pr/7' };
    },
    approvedCommits: async () => [],
  };
}

describe('planDeploy (read-only)', () => {
  it('refuses a head older than what a target runs, and a commit that failed before, without reviewing', async () => {
    const { deps, store, ctx, config } = lab();
    store.setLastGood('job', 'web', NEWER);
    const reviewer = vi.fn(webChanged('clean'));
    const backwards = await planDeploy(deps, ctx, HEAD, { config, approved: false }, reviewer);
    expect(backwards).toMatchObject({ kind: 'refused', outcome: 'refused' });
    expect(backwards.note).toMatch(/refusing to move backwards/);

    store.markBad({ sha: NEWER, target: 'job:web', reason: 'failed' });
    expect(await planDeploy(deps, ctx, NEWER, { config, approved: false }, reviewer)).toMatchObject({ kind: 'refused', outcome: 'bad-commit' });
    expect(reviewer).not.toHaveBeenCalled();
    expect(store.lastGood('job', 'web')).toBe(NEWER);
  });

  it('blocks a failed build', async () => {
    const { deps, ctx, config } = lab();
    expect(await planDeploy(deps, ctx, HEAD, { config, approved: false }, webChanged('clean', 'build-failed'))).toMatchObject({ kind: 'blocked', outcome: 'build-failed' });
  });

  it('holds a risky change that is not approved, and writes nothing (not even the first run\'s fleet base)', async () => {
    const approvals = gate(false);
    const { deps, store, ctx, config } = lab({ approvals });
    const plan = await planDeploy(deps, ctx, HEAD, { config, approved: false }, webChanged('risky'));
    expect(plan).toMatchObject({ kind: 'held', assumedFleetBase: PARENT });
    expect(plan.note).toMatch(/held until a human approves.*pull request #7/);
    expect(store.fleetBase()).toBeNull();
    expect(approvals.requested).toEqual([]);
    // --dry-run renders it: every target waits, no approval is requested.
    expect(renderDeployPlan(ctx, plan).record).toMatchObject({ outcome: 'held', targets: [{ kind: 'job', name: 'web', result: 'held' }] });
    expect(approvals.requested).toEqual([]);
  });

  it('applies a held plan by requesting the approval and remembering the assumed fleet base', async () => {
    const approvals = gate(false);
    const { deps, store, ctx, config } = lab({ approvals });
    const plan = await planDeploy(deps, ctx, HEAD, { config, approved: false }, webChanged('risky'));
    const { record } = await applyDeployPlan(deps, ctx, plan, { config });
    expect(record).toMatchObject({ outcome: 'held', approvalUrl: 'https://github.example/pr/7' });
    expect(approvals.requested).toEqual([HEAD]);
    expect(store.fleetBase()).toBe(PARENT);
  });

  it("a person's risky rollback is their approval; an agent's (unattended) is held for one", async () => {
    const { deps, store, ctx, config } = lab();
    store.setLastGood('job', 'web', NEWER);
    const byPerson = await planDeploy(deps, ctx, HEAD, { config, approved: false, rollback: true }, webChanged('risky'));
    expect(byPerson.kind).not.toBe('held');
    expect(byPerson.record.approved).toBe(true);
    const byAgent = await planDeploy(deps, ctx, HEAD, { config, approved: false, rollback: true, unattended: true }, webChanged('risky'));
    expect(byAgent).toMatchObject({ kind: 'held', record: { approved: false, rollback: true } });
  });

  it('passes an approved risky change on to pre-flight (which wants a Nomad cluster for a job)', async () => {
    const { deps, ctx, config } = lab({ approvals: gate(true) });
    const plan = await planDeploy(deps, ctx, HEAD, { config, approved: false }, webChanged('risky'));
    expect(plan.kind).toBe('preflight-failed');
    expect(plan.record.approved).toBe(true);
  });
});

/** A plan that passed the gate and pre-flight, with job `web` to register. */
function readyPlan(ctx: DeployContext, jobs = true): DeployPlan {
  const record = { head: HEAD, bases: [PARENT], label: 'clean' as const, reasons: [], digests: [], outcome: 'nothing-to-do' as const, approved: false, targets: [], preflight: [], invariants: [], note: '', timings: { reviewMs: 0, preflightMs: 0, prepareMs: 0, hostsMs: 0, jobsMs: 0, totalMs: 0 }, startedAt: ctx.now().toISOString(), finishedAt: '' };
  const web = { job: 'web', file: 'jobs/web.nomad.hcl', base: PARENT, label: 'clean' as const, change: jobChange('web'), plan: jobPlan };
  return {
    kind: 'ready',
    sha: HEAD,
    record,
    reviews: [],
    note: 'clean: deploying',
    gateNote: 'clean: deploying',
    started: performance.now(),
    assumedFleetBase: null,
    targets: { hosts: [], jobs: jobs ? [web] : [], stops: [], skipped: [], unchanged: [{ kind: 'job', name: 'api' }], label: 'clean' },
    preflight: { ok: true, checks: [], baselineFailed: {} },
  };
}

describe('applyDeployPlan', () => {
  it('runs its phases in order and names the one that failed', async () => {
    const { deps, ctx, config } = lab();
    const result = await runPhases(silentLogger, async (phases) => ({ commit: await phases.run('apply', () => applyDeployPlan(deps, ctx, readyPlan(ctx), { config }, phases)), ran: phases.ran }));
    expect(result.ran.map((p) => p.name)).toEqual(['apply/prepare', 'apply/rollout', 'apply/jobs', 'apply/stops', 'apply/revert', 'apply/bookkeeping', 'apply']);
    expect(result.commit.record).toMatchObject({ outcome: 'failed', failedPhase: 'jobs', targets: [{ name: 'web', result: 'failed', message: 'no Nomad cluster configured' }] });
  });

  it('goes through every phase when nothing fails, invariants included', async () => {
    const { deps, store, ctx, config } = lab();
    const runs: string[] = [];
    const phases = { ran: [], closeLater() {}, run: async <T>(name: string, work: () => Promise<T> | T) => (runs.push(name), work()) };
    const { record } = await applyDeployPlan(deps, ctx, readyPlan(ctx, false), { config }, phases);
    expect(runs).toEqual(APPLY_PHASES.filter((p) => p !== 'revert'));
    expect(record.outcome).toBe('deployed');
    expect(store.lastGood('job', 'api')).toBe(HEAD);
  });

  it('a phase that throws is named on the error, and the clients are closed', async () => {
    const { deps, store, ctx, config } = lab();
    const broken = new Proxy(store, { get: (target, key, receiver) => (key === 'setLastGood' ? () => { throw new Error('disk full'); } : Reflect.get(target, key, receiver)) });
    const closed = vi.fn();
    const error = await runPhases(silentLogger, async (phases) => {
      phases.closeLater(closed);
      await phases.run('apply', () => applyDeployPlan(deps, { ...ctx, store: broken }, readyPlan(ctx, false), { config }, phases));
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('disk full');
    expect(failedPhaseOf(error)).toBe('apply/bookkeeping');
    expect(closed).toHaveBeenCalledOnce();
  });
});
