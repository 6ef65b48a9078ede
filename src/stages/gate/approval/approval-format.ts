// Names and texts of an approval request: the branch, the file that holds the full report, the
// PR title and body. The hidden marker ties a PR to exactly one full SHA.
import type { Reason } from '../../../model/evidence.js';
import { GITHUB_LIMITS, fitMarkdown } from '../../report/github/limits.js';
import { escapeMarkdown } from '../../report/markdown.js';

export const APPROVAL_BRANCH_PREFIX = 'steward/approve/';
export const APPROVAL_DIR = '.steward/approvals';

/** 12 hex digits: short enough for a branch name, long enough never to collide in one repository. */
export function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

export function approvalBranch(sha: string): string {
  return `${APPROVAL_BRANCH_PREFIX}${shortSha(sha)}`;
}

export function approvalFilePath(sha: string): string {
  return `${APPROVAL_DIR}/${sha}.md`;
}

export function approvalMarker(sha: string): string {
  return `<!-- steward:approval sha=${sha} -->`;
}

/** The full SHA an approval PR body names, or null. */
export function parseApprovalMarker(body: string | null): string | null {
  const match = /<!-- steward:approval sha=([0-9a-f]{40}) -->/.exec(body ?? '');
  return match ? match[1]! : null;
}

export interface ApprovalTexts {
  sha: string;
  mainBranch: string;
  label: string;
  /** One markdown line per reason, most severe first (`approvalReasons`). */
  reasons: string[];
  /** The full rendered report. */
  markdown: string;
  runUrl?: string;
}

/** The reasons as lines of the PR body: the label, then the message escaped (it carries names). */
export function approvalReasons(reasons: Reason[]): string[] {
  return reasons.filter((r) => r.ruleId !== 'summary.no-effect').map((r) => `\`${r.label}\` ${escapeMarkdown(r.message)}`);
}

export function approvalTitle(texts: Pick<ApprovalTexts, 'sha' | 'label'>): string {
  return `steward: approve ${texts.label} deploy of ${shortSha(texts.sha)}`;
}

/** The file added by the approval PR: the record of what was approved, kept in the repository. */
export function renderApprovalFile(texts: ApprovalTexts): string {
  return [
    approvalMarker(texts.sha),
    `# Approval request for \`${texts.sha}\``,
    '',
    `Steward held this \`${texts.label}\` commit on \`${texts.mainBranch}\`. Merging the pull request that adds this file approves deploying exactly this commit; closing it without merging rejects it.`,
    '',
    texts.markdown.trim(),
    '',
  ].join('\n');
}

export function renderApprovalBody(texts: ApprovalTexts): string {
  const reasons = texts.reasons.slice(0, 15).map((r) => `- ${r}`);
  if (texts.reasons.length > 15) reasons.push(`- … and ${texts.reasons.length - 15} more in the report`);
  const body = [
    approvalMarker(texts.sha),
    `Steward held commit \`${texts.sha}\` on \`${texts.mainBranch}\` as **${texts.label}**.`,
    '',
    '- **Merge** this pull request to approve deploying exactly that commit. If it is no longer in the history of the main branch by then, Steward re-evaluates the newest commit instead.',
    '- **Close** it without merging to reject the commit; Steward records the rejection and does not ask again.',
    '',
    reasons.length > 0 ? '### Why it was held' : '',
    ...reasons,
    '',
    `The full report is in \`${approvalFilePath(texts.sha)}\` (the file this pull request adds)${texts.runUrl ? ` and in the [workflow run](${texts.runUrl})` : ''}.`,
  ].join('\n');
  return fitMarkdown(body, GITHUB_LIMITS.commentBody);
}
