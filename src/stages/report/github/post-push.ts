// Push reports: the commit's check (or status), and the `deploy` section of the sticky comment on
// the PR that introduced the commit, found through the commit's associated pull requests.
import type { PullRequestInfo } from '../../../ports/github.js';
import { postCheck, type CheckHandle, type PostedCheck } from './post-check.js';
import { writeJobSummary, type GitHubReportDeps } from './post-review.js';
import { buildPushCheck, renderPushSection, type PushOutcome } from './push-format.js';
import { upsertStickyComment, type StickyCommentResult } from './upsert-sticky-comment.js';

export interface PushReportInput {
  outcome: PushOutcome;
  /** The run's full markdown report, when there is one. */
  markdown?: string;
  fullReportUrl?: string;
  /** A check opened earlier with startCheck. */
  handle?: CheckHandle;
}

export interface PushReportResult {
  check: PostedCheck;
  pr: number | null;
  comment: StickyCommentResult | null;
}

/** The merged PR whose merge (or squash, or rebase) produced `sha`, else any merged PR containing it. */
export function pickIntroducingPullRequest(prs: PullRequestInfo[], sha: string): PullRequestInfo | null {
  const merged = prs.filter((pr) => pr.merged);
  return merged.find((pr) => pr.mergeCommitSha === sha) ?? merged[0] ?? null;
}

export async function postPushReport(deps: GitHubReportDeps, input: PushReportInput): Promise<PushReportResult> {
  const { outcome } = input;
  const url = input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {};
  const check = await postCheck(deps, outcome.sha, buildPushCheck(outcome, input.markdown, url), input.handle);
  await writeJobSummary(deps, `${renderPushSection(outcome)}\n\n${input.markdown ?? ''}`, input.fullReportUrl);
  const pr = pickIntroducingPullRequest(await deps.github.listPullRequestsForCommit(outcome.sha), outcome.sha);
  if (!pr) {
    deps.logger.info(`no merged pull request introduced ${outcome.sha.slice(0, 12)}: no PR comment`);
    return { check, pr: null, comment: null };
  }
  const section = renderPushSection(outcome, input.fullReportUrl ? { runUrl: input.fullReportUrl } : {});
  const comment = await upsertStickyComment(deps, { issue: pr.number, section: 'deploy', content: section, ...url });
  return { check, pr: pr.number, comment };
}
