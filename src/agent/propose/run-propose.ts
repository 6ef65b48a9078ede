// `steward propose`, the act half: for each planned proposal apply the hygiene rules, build and
// classify it in a throwaway worktree, and open or update its PR. Never merges, never pushes to
// the base branch: only `steward/proposal/*` branches are written.
import { createHash } from 'node:crypto';
import type { ReviewReport } from '../../model/review.js';
import type { GitHubPort, GitPerson } from '../../ports/github.js';
import type { Logger } from '../../ports/logger.js';
import type { ProposalStore } from '../../ports/proposal-store.js';
import type { ProposalWorktreePort, WorktreeCommit } from '../../ports/proposal-worktree.js';
import { decideHygiene } from './decide-hygiene.js';
import { proposalBranch, PROPOSAL_BRANCH_PREFIX, type Proposal } from './proposal.js';
import { renderProposalBody } from './render-proposal-body.js';
import { writeEdits } from './write-edits.js';

export interface ProposeDeps {
  /** Null only for a dry run, which writes nothing to GitHub. */
  github: GitHubPort | null;
  worktrees: ProposalWorktreePort;
  store: ProposalStore;
  /** The review pipeline on two local commits. */
  review(base: string, head: string): Promise<ReviewReport>;
  logger: Logger;
  now: () => Date;
}

export interface ProposeSettings {
  /** The branch proposals target on GitHub (`agent.mainBranch`). */
  baseBranch: string;
  /** The local commit proposals are made on (the checkout's base branch). */
  localBase: string;
  identity: GitPerson;
  maxOpen: number;
  maxNewPerDay: number;
  /** Plan, build and classify, but write nothing to GitHub. */
  dryRun: boolean;
}

export type ProposalResult = 'opened' | 'updated' | 'unchanged' | 'ignored' | 'human-edited' | 'capped' | 'build-failed' | 'no-change' | 'dry-run';

export interface ProposalOutcome {
  topic: string;
  title: string;
  result: ProposalResult;
  why: string;
  prNumber?: number;
  url?: string;
  label?: ReviewReport['label'];
  /** The PR body as GitHub received it (or would, in a dry run). */
  body?: string;
}

export function digestEdits(proposal: Proposal): string {
  const hash = createHash('sha256');
  for (const edit of [...proposal.edits].sort((a, b) => a.path.localeCompare(b.path))) hash.update(`${edit.path}\0${edit.content}\0`);
  return hash.digest('hex');
}

export async function runPropose(deps: ProposeDeps, settings: ProposeSettings, proposals: Proposal[]): Promise<ProposalOutcome[]> {
  const github = settings.dryRun ? null : deps.github;
  if (!settings.dryRun && !github) throw new Error('runPropose: a GitHub port is needed unless it is a dry run');
  const openProposals = github ? (await github.listOpenPullRequests()).filter((pr) => pr.headRef.startsWith(PROPOSAL_BRANCH_PREFIX) && pr.headRepo === github.repository) : [];
  let openCount = openProposals.length;
  const startOfDay = new Date(deps.now());
  startOfDay.setUTCHours(0, 0, 0, 0);
  let newToday = deps.store.openedSince(startOfDay.toISOString());
  const outcomes: ProposalOutcome[] = [];

  for (const proposal of proposals) {
    const base = { topic: proposal.topic, title: proposal.title };
    const branch = proposalBranch(proposal.topic);
    const editsDigest = digestEdits(proposal);
    const branchPrs = github ? await github.listPullRequestsForBranch(branch) : [];
    const open = branchPrs.find((pr) => pr.state === 'open');
    const remoteBase = github ? await github.getBranchSha(settings.baseBranch) : null;
    const openHead =
      github && open && remoteBase
        ? { author: (await github.getCommit(open.headSha)).author, relationToBase: await github.compareCommits(remoteBase, open.headSha) }
        : undefined;
    const decision = decideHygiene({
      title: proposal.title,
      editsDigest,
      branchPrs,
      record: deps.store.get(proposal.topic),
      ignoredBefore: deps.store.isIgnored(proposal.topic, proposal.title),
      ...(openHead ? { openHead } : {}),
      identity: settings.identity,
      openCount,
      newToday,
      maxOpen: settings.maxOpen,
      maxNewPerDay: settings.maxNewPerDay,
    });
    if (decision.action === 'skip') {
      if (decision.result === 'ignored' && decision.pr) deps.store.markIgnored(proposal.topic, proposal.title, decision.pr.number, deps.now().toISOString());
      deps.logger.info(`proposal ${proposal.topic}: ${decision.result} (${decision.why})`);
      outcomes.push({ ...base, result: decision.result, why: decision.why, ...(decision.pr ? { prNumber: decision.pr.number, url: decision.pr.htmlUrl } : {}) });
      continue;
    }

    const commit = await deps.worktrees.commitIn(settings.localBase, proposal.topic, (dir) => writeEdits(dir, proposal.edits), { message: commitMessage(proposal), author: settings.identity });
    if (!commit) {
      outcomes.push({ ...base, result: 'no-change', why: 'the edits change nothing on the base commit' });
      continue;
    }
    const report = await deps.review(settings.localBase, commit.sha);
    if (report.outcome !== 'reviewed') {
      deps.logger.warn(`proposal ${proposal.topic}: ${report.outcome}, not opened`);
      outcomes.push({ ...base, result: 'build-failed', why: `${report.outcome}: a proposal that does not build is not opened`, label: report.label });
      continue;
    }
    const body = renderProposalBody(proposal, report);
    if (!github || !remoteBase) {
      outcomes.push({ ...base, result: 'dry-run', why: github ? `no branch ${settings.baseBranch} on GitHub` : 'dry run: nothing written to GitHub', label: report.label, body });
      continue;
    }

    const headSha = await pushProposalCommit(github, { remoteBase, branch, commit, message: commitMessage(proposal), author: settings.identity });
    const pr = decision.action === 'update'
      ? await github.updatePullRequest(decision.pr.number, { title: proposal.title, body })
      : await github.createPullRequest({ title: proposal.title, head: branch, base: settings.baseBranch, body });
    const now = deps.now().toISOString();
    const record = deps.store.get(proposal.topic);
    const openedAt = decision.action === 'update' && record ? record.openedAt : now;
    deps.store.save({ topic: proposal.topic, branch, prNumber: pr.number, headSha, editsDigest, openedAt, updatedAt: now });
    if (decision.action === 'open') {
      openCount++;
      newToday++;
    }
    const result = decision.action === 'open' ? 'opened' : 'updated';
    deps.logger.info(`proposal ${proposal.topic}: ${result} #${pr.number} (${report.label})`);
    outcomes.push({ ...base, result, why: decision.action === 'update' ? decision.why : 'new proposal', prNumber: pr.number, url: pr.htmlUrl, label: report.label, body });
  }
  return outcomes;
}

function commitMessage(proposal: Proposal): string {
  return `${proposal.title}\n\nProposed by steward propose (topic ${proposal.topic}).`;
}

/** One commit on top of the remote base with the worktree commit's files, then the branch moved to it (Steward's branch: forced). */
async function pushProposalCommit(
  github: GitHubPort,
  input: { remoteBase: string; branch: string; commit: WorktreeCommit; message: string; author: GitPerson },
): Promise<string> {
  const baseTree = (await github.getCommit(input.remoteBase)).tree;
  const entries = [];
  for (const file of input.commit.files) {
    // Proposers only add and modify files; a deletion would need a tree entry with a null SHA.
    if (file.content === null) continue;
    entries.push({ path: file.path, blobSha: await github.createBlob(file.content) });
  }
  const tree = await github.createTree(baseTree, entries);
  const sha = await github.createCommit({ message: input.message, tree, parents: [input.remoteBase], author: input.author });
  if ((await github.getBranchSha(input.branch)) === null) await github.createBranch(input.branch, sha);
  else await github.updateBranch(input.branch, sha, true);
  return sha;
}
