// The I/O around decideApproval: opening (or updating) the approval PR through the git data API,
// with no local checkout, and reading back what a human did with it.
import { ApiError } from '../../../errors.js';
import type { ApprovalStore } from '../../../ports/approval-store.js';
import type { GitHubGitData, GitHubPulls, PullRequestInfo } from '../../../ports/github.js';
import type { Logger } from '../../../ports/logger.js';
import type { Redactor } from '../../../redact.js';
import {
  approvalBranch,
  approvalFilePath,
  approvalTitle,
  parseApprovalMarker,
  renderApprovalBody,
  renderApprovalFile,
  shortSha,
  type ApprovalTexts,
} from './approval-format.js';
import { decideApproval, recordFor, type ApprovalDecision } from './decide-approval.js';

export interface ApprovalDeps {
  github: GitHubPulls & GitHubGitData;
  store: ApprovalStore;
  redactor: Redactor;
  logger: Logger;
  now?: () => Date;
}

export type ApprovalRequestResult =
  | { kind: 'opened' | 'updated' | 'unchanged'; pr: PullRequestInfo }
  /** Decided already: a rejected commit is not proposed again, an approved one needs no PR. */
  | { kind: 'decided'; decision: ApprovalDecision };

const nowIso = (deps: ApprovalDeps) => (deps.now ?? (() => new Date()))().toISOString();

/** The newest PR of the commit's approval branch (any state); prefers one that names the SHA. */
async function findApprovalPr(deps: ApprovalDeps, sha: string): Promise<PullRequestInfo | null> {
  const prs = await deps.github.listPullRequestsForBranch(approvalBranch(sha));
  return prs.find((pr) => parseApprovalMarker(pr.body) === sha) ?? prs.find((pr) => pr.state === 'open') ?? null;
}

async function mainHeadOf(deps: ApprovalDeps, mainBranch: string): Promise<string> {
  const head = await deps.github.getBranchSha(mainBranch);
  if (!head) throw new ApiError('github', 404, `branch ${mainBranch} does not exist`);
  return head;
}

/** A commit on top of main's head that adds the approval file; the branch is moved onto it. */
async function writeApprovalBranch(deps: ApprovalDeps, texts: ApprovalTexts, mainHead: string): Promise<void> {
  const { github } = deps;
  const { tree: baseTree } = await github.getCommit(mainHead);
  const blob = await github.createBlob(deps.redactor.redact(renderApprovalFile(texts)));
  const tree = await github.createTree(baseTree, [{ path: approvalFilePath(texts.sha), blobSha: blob }]);
  const commit = await github.createCommit({ message: `steward: request approval of ${shortSha(texts.sha)}`, tree, parents: [mainHead] });
  const branch = approvalBranch(texts.sha);
  // The branch is Steward's own: moving it by force only ever replaces Steward's request commit.
  if (await github.getBranchSha(branch)) await github.updateBranch(branch, commit, true);
  else await github.createBranch(branch, commit);
}

/**
 * Opens the approval PR of a held commit, or updates it when the report changed. A commit whose
 * PR was closed unmerged is rejected and not proposed again; a merged one needs nothing more.
 */
export async function requestApproval(deps: ApprovalDeps, texts: ApprovalTexts): Promise<ApprovalRequestResult> {
  const { sha, mainBranch } = texts;
  const recorded = await deps.store.get(sha);
  if (recorded?.state === 'rejected') {
    deps.logger.info(`${shortSha(sha)} was rejected before: not proposing it again`);
    return { kind: 'decided', decision: { kind: 'rejected', sha, pr: recorded.pr, why: recorded.note ?? 'rejected earlier' } };
  }
  const existing = await findApprovalPr(deps, sha);
  if (existing && existing.state === 'closed' && parseApprovalMarker(existing.body) === sha) {
    // A human already answered: merged (evaluate it properly) or closed (a rejection to record).
    return { kind: 'decided', decision: await evaluateApproval(deps, { sha, mainBranch }) };
  }
  const body = deps.redactor.redact(renderApprovalBody(texts));
  const title = approvalTitle(texts);
  if (existing?.state === 'open' && existing.body === body && existing.title === title) return { kind: 'unchanged', pr: existing };
  await writeApprovalBranch(deps, texts, await mainHeadOf(deps, mainBranch));
  const pr = existing?.state === 'open'
    ? await deps.github.updatePullRequest(existing.number, { title, body })
    : await deps.github.createPullRequest({ title, head: approvalBranch(sha), base: mainBranch, body });
  await deps.store.put({ sha, state: 'requested', pr: pr.number, at: nowIso(deps) });
  deps.logger.info(`approval of ${shortSha(sha)} requested in ${pr.htmlUrl}`);
  return { kind: existing?.state === 'open' ? 'updated' : 'opened', pr };
}

/**
 * Reads what happened to a held commit's approval PR and records the outcome: deploy exactly the
 * SHA, re-evaluate the newest main (stale), rejected, still pending, or not requested yet.
 */
export async function evaluateApproval(deps: ApprovalDeps, input: { sha: string; mainBranch: string }): Promise<ApprovalDecision> {
  const [pr, recorded, mainHead] = await Promise.all([findApprovalPr(deps, input.sha), deps.store.get(input.sha), mainHeadOf(deps, input.mainBranch)]);
  const needsHistory = pr?.merged === true || recorded?.state === 'approved';
  const inMainHistory = needsHistory && (await wasInMainBeforeApproval(deps, input.sha, mainHead, pr?.merged ? pr.mergeCommitSha : null));
  const decision = decideApproval({ ...input, mainHead, pr, recorded, inMainHistory });
  const record = recordFor(decision, nowIso(deps));
  if (record && (recorded?.state !== record.state || recorded.pr !== record.pr)) await deps.store.put(record);
  if (decision.kind === 'stale' || decision.kind === 'refused') deps.logger.warn(`approval of ${shortSha(input.sha)} refused: ${decision.why}`);
  return decision;
}

/**
 * The approval branch is built on top of the held commit, so merging it into a main that lost the
 * commit (force push) would bring it back: only a commit that was in main before the approval's
 * merge commit (its first parent) and still is now counts as in main's history.
 */
async function wasInMainBeforeApproval(deps: ApprovalDeps, sha: string, mainHead: string, mergeCommit: string | null): Promise<boolean> {
  if (!(await isInHistory(deps, sha, mainHead))) return false;
  if (!mergeCommit) return true;
  const beforeMerge = (await deps.github.getCommit(mergeCommit)).parents[0];
  return beforeMerge !== undefined && (await isInHistory(deps, sha, beforeMerge));
}

/** Whether `sha` is `head` or one of its ancestors. A commit GitHub no longer knows (404) is not. */
async function isInHistory(deps: ApprovalDeps, sha: string, head: string): Promise<boolean> {
  if (sha === head) return true;
  try {
    const relation = await deps.github.compareCommits(sha, head);
    return relation === 'ahead' || relation === 'identical';
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}
