// What an approval PR means for a held commit: pure, from facts gathered by evaluateApproval.
// A merge approves exactly one SHA, and only while that SHA is still in the main branch's history.
import type { ApprovalRecord } from '../../../ports/approval-store.js';
import type { PullRequestInfo } from '../../../ports/github.js';
import { parseApprovalMarker } from './approval-format.js';

export interface ApprovalFacts {
  /** The held commit (full SHA). */
  sha: string;
  mainBranch: string;
  mainHead: string;
  /** The newest approval PR of the commit's branch, or null. */
  pr: PullRequestInfo | null;
  /**
   * `sha` is the main branch's head or one of its ancestors, and already was before the approval
   * PR's merge commit (a merge must not bring back a commit that a force push removed).
   */
  inMainHistory: boolean;
  recorded: ApprovalRecord | null;
}

export type ApprovalDecision =
  /** Deploy exactly `sha`. */
  | { kind: 'approved'; sha: string; pr: number | null; action: 'deploy' }
  /** Approved, but the commit left the main branch's history (force push): re-evaluate `mainHead`. */
  | { kind: 'stale'; sha: string; pr: number | null; mainHead: string; action: 're-evaluate'; why: string }
  /** A merged PR that does not approve this SHA on this branch. */
  | { kind: 'refused'; sha: string; pr: number; why: string }
  | { kind: 'rejected'; sha: string; pr: number | null; why: string }
  | { kind: 'pending'; sha: string; pr: number }
  /** No approval was requested yet: open one. */
  | { kind: 'missing'; sha: string };

function approvedOrStale(facts: ApprovalFacts, pr: number | null): ApprovalDecision {
  if (facts.inMainHistory) return { kind: 'approved', sha: facts.sha, pr, action: 'deploy' };
  return {
    kind: 'stale',
    sha: facts.sha,
    pr,
    mainHead: facts.mainHead,
    action: 're-evaluate',
    why: `${facts.sha.slice(0, 12)} is no longer in the history of ${facts.mainBranch}: its approval does not carry over`,
  };
}

export function decideApproval(facts: ApprovalFacts): ApprovalDecision {
  const { pr, sha } = facts;
  if (!pr) {
    if (facts.recorded?.state === 'approved') return approvedOrStale(facts, facts.recorded.pr);
    if (facts.recorded?.state === 'rejected') return { kind: 'rejected', sha, pr: facts.recorded.pr, why: facts.recorded.note ?? 'rejected earlier' };
    return { kind: 'missing', sha };
  }
  // The marker names the full SHA: a PR for another commit with the same short SHA, or one whose
  // body was edited to name another commit, approves nothing here.
  if (parseApprovalMarker(pr.body) !== sha) {
    return pr.merged ? { kind: 'refused', sha, pr: pr.number, why: `pull request #${pr.number} does not name ${sha}` } : { kind: 'missing', sha };
  }
  if (pr.state === 'open') return { kind: 'pending', sha, pr: pr.number };
  if (!pr.merged) return { kind: 'rejected', sha, pr: pr.number, why: `pull request #${pr.number} was closed without merging` };
  if (pr.baseRef !== facts.mainBranch) return { kind: 'refused', sha, pr: pr.number, why: `pull request #${pr.number} was merged into ${pr.baseRef}, not ${facts.mainBranch}` };
  return approvedOrStale(facts, pr.number);
}

/** The record a decision leaves, or null when there is nothing new to remember. */
export function recordFor(decision: ApprovalDecision, now: string): ApprovalRecord | null {
  switch (decision.kind) {
    case 'approved':
      return { sha: decision.sha, state: 'approved', pr: decision.pr, at: now };
    case 'stale':
      return { sha: decision.sha, state: 'stale', pr: decision.pr, at: now, note: decision.why };
    case 'refused':
      return { sha: decision.sha, state: 'stale', pr: decision.pr, at: now, note: decision.why };
    case 'rejected':
      return { sha: decision.sha, state: 'rejected', pr: decision.pr, at: now, note: decision.why };
    case 'pending':
      return { sha: decision.sha, state: 'requested', pr: decision.pr, at: now };
    case 'missing':
      return null;
  }
}
