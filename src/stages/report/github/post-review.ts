// PR review: the check on the PR's head commit and the sticky comment, after making sure the PR
// may cause writes (no forks, authors with write access only). Refused PRs get the job summary.
import type { ReviewReport } from '../../../model/review.js';
import type { GitHubPort, JobSummaryPort } from '../../../ports/github.js';
import type { Logger } from '../../../ports/logger.js';
import type { Redactor } from '../../../redact.js';
import { buildReviewCheck, type StaticIssue } from './check-format.js';
import { GITHUB_LIMITS, fitBytes, truncationNote } from './limits.js';
import { postCheck, type PostedCheck } from './post-check.js';
import { renderReviewSection } from './review-section.js';
import type { CommentIdentity } from './sticky-comment.js';
import { upsertStickyComment, type StickyCommentResult } from './upsert-sticky-comment.js';
import { checkWriteAccess } from './write-access.js';

export interface GitHubReportDeps {
  github: GitHubPort;
  redactor: Redactor;
  logger: Logger;
  /** Present inside GitHub Actions. */
  jobSummary?: JobSummaryPort;
  identity?: CommentIdentity;
}

export interface PullRequestReviewInput {
  report: ReviewReport;
  /** `renderReviewMarkdown(report)`. */
  markdown: string;
  pr: number;
  /** The commit the report analysed. */
  headSha: string;
  /** Where the untrimmed report lives (the workflow run), for trimmed texts. */
  fullReportUrl?: string;
  /** Static errors from outside the report (e.g. Nomad job validation), as annotations. */
  issues?: StaticIssue[];
}

export type PullRequestReviewResult =
  | { posted: true; check: PostedCheck; comment: StickyCommentResult | null; note?: string }
  | { posted: false; reason: string };

export async function postPullRequestReview(deps: GitHubReportDeps, input: PullRequestReviewInput): Promise<PullRequestReviewResult> {
  const pr = await deps.github.getPullRequest(input.pr);
  const access = await checkWriteAccess(deps.github, pr, deps.github.repository);
  await writeJobSummary(deps, input.markdown, input.fullReportUrl);
  if (!access.allowed) {
    deps.logger.warn(`not posting to GitHub: ${access.why}`);
    return { posted: false, reason: access.why };
  }
  const check = await postCheck(deps, input.headSha, buildReviewCheck(input.report, input.markdown, { ...optional(input) }));
  // A newer push already moved the PR: its own run owns the comment; this check stays on its commit.
  if (pr.headSha !== input.headSha) {
    const note = `PR #${input.pr} moved to ${pr.headSha.slice(0, 12)}: left the comment to that commit's run`;
    deps.logger.info(note);
    return { posted: true, check, comment: null, note };
  }
  const section = renderReviewSection(input.report, input.markdown, { checkUrl: check.kind === 'check-run' ? check.htmlUrl : null, ...(input.fullReportUrl ? { runUrl: input.fullReportUrl } : {}) });
  const comment = await upsertStickyComment(deps, { issue: input.pr, section: 'review', content: section, ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}) });
  return { posted: true, check, comment };
}

function optional(input: PullRequestReviewInput) {
  return { ...(input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}), ...(input.issues ? { issues: input.issues } : {}) };
}

/**
 * The full report into the Actions job summary, within its 1 MiB. The summary is a copy of what
 * the comment, the check and stdout already carry: a summary file that cannot be written is a
 * warning, never a failed review or deploy.
 */
export async function writeJobSummary(deps: Pick<GitHubReportDeps, 'jobSummary' | 'redactor' | 'logger'>, markdown: string, fullReportUrl?: string): Promise<boolean> {
  if (!deps.jobSummary) return false;
  try {
    await deps.jobSummary.write(fitBytes(deps.redactor.redact(markdown), GITHUB_LIMITS.jobSummaryBytes, truncationNote(fullReportUrl)));
    return true;
  } catch (error) {
    deps.logger.warn(deps.redactor.redact(`job summary not written (GITHUB_STEP_SUMMARY): ${(error as Error).message}`));
    return false;
  }
}
