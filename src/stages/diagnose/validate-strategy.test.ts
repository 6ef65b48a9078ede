import { describe, expect, it } from 'vitest';
import type { DeployFailure } from '../../model/deploy-failure.js';
import { chooseByKnowledge, type StrategyChoice } from './choose-strategy.js';
import { parseFailureMappings } from './knowledge-mappings.js';
import { validateStrategy, type StrategyPolicy } from './validate-strategy.js';

const failure = (over: Partial<DeployFailure> = {}): DeployFailure => ({ signature: 'mount.remount-refused', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'x', evidence: [], dependsOn: [], ...over });
const policy = (over: Partial<StrategyPolicy> = {}): StrategyPolicy => ({ label: 'needs-reboot', retriesUsed: 0, rebootWindowOpen: true, rebootWindowText: 'daily 02:00-05:00 (UTC)', hostReboot: 'auto', quorumMember: false, quorumWhole: true, rebootsInFlight: [], pendingHosts: ['node3', 'nas'], maxWaitSeconds: 600, ...over });
const choice = (over: Partial<StrategyChoice>): StrategyChoice => ({ strategy: 'boot-and-reboot', signature: 'mount.remount-refused', chosenBy: 'knowledge', why: 'x', unknownSignature: false, ...over });

describe('validateStrategy', () => {
  it('allows a boot-and-reboot inside the window on a host that may be rebooted', () => {
    expect(validateStrategy(failure(), choice({}), policy())).toEqual({ verdict: 'allowed' });
  });

  it('refuses a boot-and-reboot outside the window, on a manual host, beside another reboot, or on a quorum member without quorum', () => {
    expect(validateStrategy(failure(), choice({}), policy({ rebootWindowOpen: false }))).toEqual({ verdict: 'refused', reason: 'outside the reboot window (daily 02:00-05:00 (UTC))' });
    expect(validateStrategy(failure(), choice({}), policy({ hostReboot: 'manual' }))).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('rebooted by a person only') });
    expect(validateStrategy(failure(), choice({}), policy({ rebootsInFlight: ['node1'] }))).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('one host at a time') });
    expect(validateStrategy(failure(), choice({}), policy({ quorumMember: true, quorumWhole: false }))).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('quorum') });
  });

  it('never retries twice, never retries a risky change, never retries a change that cut access', () => {
    expect(validateStrategy(failure(), choice({}), policy({ retriesUsed: 1 }))).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('at most one retry per commit and target') });
    expect(validateStrategy(failure(), choice({ strategy: 'retry-after-wait', waitSeconds: 30 }), policy({ label: 'risky' }))).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('risky') });
    expect(validateStrategy(failure({ signature: 'host.lost-access' }), choice({ strategy: 'retry-after-wait', waitSeconds: 30 }), policy())).toMatchObject({ verdict: 'refused', reason: expect.stringContaining('cut access') });
  });

  it('always allows rollback-and-escalate, even where every retry is refused', () => {
    expect(validateStrategy(failure({ signature: 'host.lost-access' }), choice({ strategy: 'rollback-and-escalate' }), policy({ label: 'risky', retriesUsed: 3 }))).toEqual({ verdict: 'allowed' });
  });

  it('keeps strategies to the targets they make sense for, waits within bounds, and reorders only hosts still to do', () => {
    const job = failure({ signature: 'nomad.dependency-not-ready', step: 'job-deployment', target: { kind: 'job', name: 'web' } });
    expect(validateStrategy(job, choice({ strategy: 'boot-and-reboot' }), policy())).toMatchObject({ verdict: 'refused', reason: 'boot-and-reboot does not apply to a failed job' });
    expect(validateStrategy(job, choice({ strategy: 'retry-after-wait', waitSeconds: 60 }), policy())).toEqual({ verdict: 'allowed' });
    expect(validateStrategy(job, choice({ strategy: 'retry-after-wait', waitSeconds: 86400 }), policy())).toMatchObject({ verdict: 'refused', reason: 'a wait of 86400 s is outside 1-600 s' });
    const host = failure({ target: { kind: 'host', name: 'node2' } });
    expect(validateStrategy(host, choice({ strategy: 'reorder-hosts', hostsFirst: ['nas'] }), policy())).toEqual({ verdict: 'allowed' });
    expect(validateStrategy(host, choice({ strategy: 'reorder-hosts', hostsFirst: ['node1'] }), policy())).toMatchObject({ verdict: 'refused', reason: 'node1 is not a host this rollout still has to deploy' });
    expect(validateStrategy(host, choice({ strategy: 'reorder-hosts', hostsFirst: [] }), policy())).toMatchObject({ verdict: 'refused' });
  });
});

describe('chooseByKnowledge', () => {
  const steward = parseFailureMappings([
    { source: 'goals/knowledge/failures/a.md', text: '```steward-failure\nsignature: unit.dependency-order\nstrategy: reorder-hosts\nwhy: order\n```\n```steward-failure\nsignature: unit.dependency-not-ready\nstrategy: retry-after-wait\nwhy: wait\n```' },
  ]).mappings;

  it('takes the mapped strategy with its source, the wait (default 60 s) and the hosts to go first', () => {
    expect(chooseByKnowledge(failure({ signature: 'unit.dependency-not-ready' }), { repo: [], steward })).toMatchObject({ strategy: 'retry-after-wait', waitSeconds: 60, chosenBy: 'knowledge', source: 'goals/knowledge/failures/a.md' });
    expect(chooseByKnowledge(failure({ signature: 'unit.dependency-order', dependsOn: ['nas'] }), { repo: [], steward })).toMatchObject({ strategy: 'reorder-hosts', hostsFirst: ['nas'] });
  });

  it('rolls back and escalates a signature no document maps, and marks it unknown', () => {
    expect(chooseByKnowledge(failure({ signature: 'unknown' }), { repo: [], steward })).toMatchObject({ strategy: 'rollback-and-escalate', chosenBy: 'no-knowledge', unknownSignature: true });
  });
});
