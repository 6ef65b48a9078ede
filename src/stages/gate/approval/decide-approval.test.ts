import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../../ports/approval-store.js';
import type { PullRequestInfo } from '../../../ports/github.js';
import { approvalBranch, approvalMarker, parseApprovalMarker, renderApprovalBody } from './approval-format.js';
import { decideApproval, recordFor, type ApprovalFacts } from './decide-approval.js';

const SHA = '1'.repeat(40);
const OTHER = '2'.repeat(40);
const MAIN = '3'.repeat(40);

function approvalPr(overrides: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    number: 12,
    state: 'open',
    merged: false,
    mergeCommitSha: null,
    title: 'approve',
    body: `${approvalMarker(SHA)}\nbody`,
    headRef: approvalBranch(SHA),
    headSha: OTHER,
    headRepo: 'homelab/infra',
    baseRef: 'main',
    baseRepo: 'homelab/infra',
    author: { login: 'github-actions[bot]', type: 'Bot' },
    authorAssociation: 'NONE',
    htmlUrl: 'https://github.test/pull/12',
    ...overrides,
  };
}

function facts(overrides: Partial<ApprovalFacts> = {}): ApprovalFacts {
  return { sha: SHA, mainBranch: 'main', mainHead: MAIN, pr: approvalPr(), inMainHistory: true, recorded: null, ...overrides };
}

const merged = { state: 'closed' as const, merged: true, mergeCommitSha: MAIN };

describe('decideApproval', () => {
  it('is missing without a PR or a record, and pending while the PR is open', () => {
    expect(decideApproval(facts({ pr: null }))).toEqual({ kind: 'missing', sha: SHA });
    expect(decideApproval(facts())).toEqual({ kind: 'pending', sha: SHA, pr: 12 });
  });

  it('approves exactly the SHA when the merged PR names it and it is in main', () => {
    expect(decideApproval(facts({ pr: approvalPr(merged) }))).toEqual({ kind: 'approved', sha: SHA, pr: 12, action: 'deploy' });
  });

  it('refuses a stale SHA (not in main any more) and asks to re-evaluate the newest main', () => {
    expect(decideApproval(facts({ pr: approvalPr(merged), inMainHistory: false }))).toMatchObject({ kind: 'stale', action: 're-evaluate', mainHead: MAIN });
  });

  it('rejects when the PR was closed without merging', () => {
    expect(decideApproval(facts({ pr: approvalPr({ state: 'closed' }) }))).toMatchObject({ kind: 'rejected', pr: 12 });
  });

  it('refuses a merged PR whose marker names another commit or that targeted another branch', () => {
    expect(decideApproval(facts({ pr: approvalPr({ ...merged, body: approvalMarker(OTHER) }) }))).toMatchObject({ kind: 'refused' });
    expect(decideApproval(facts({ pr: approvalPr({ ...merged, baseRef: 'dev' }) }))).toMatchObject({ kind: 'refused' });
  });

  it('falls back to the record when the PR cannot be found', () => {
    const record = (state: ApprovalRecord['state']): ApprovalRecord => ({ sha: SHA, state, pr: 12, at: 't' });
    expect(decideApproval(facts({ pr: null, recorded: record('approved') }))).toMatchObject({ kind: 'approved' });
    expect(decideApproval(facts({ pr: null, recorded: record('approved'), inMainHistory: false }))).toMatchObject({ kind: 'stale' });
    expect(decideApproval(facts({ pr: null, recorded: record('rejected') }))).toMatchObject({ kind: 'rejected' });
  });

  it('records approvals, rejections and refusals, and nothing for a missing request', () => {
    expect(recordFor(decideApproval(facts({ pr: approvalPr(merged) })), 'now')).toEqual({ sha: SHA, state: 'approved', pr: 12, at: 'now' });
    expect(recordFor(decideApproval(facts({ pr: approvalPr(merged), inMainHistory: false })), 'now')?.state).toBe('stale');
    expect(recordFor({ kind: 'missing', sha: SHA }, 'now')).toBeNull();
  });
});

describe('approval texts', () => {
  it('ties the body to the full SHA through the marker', () => {
    const body = renderApprovalBody({ sha: SHA, mainBranch: 'main', label: 'risky', reasons: ['a'], markdown: '# r' });
    expect(parseApprovalMarker(body)).toBe(SHA);
    expect(approvalBranch(SHA)).toBe('steward/approve/111111111111');
    expect(parseApprovalMarker('<!-- steward:approval sha=abc -->')).toBeNull();
  });
});
