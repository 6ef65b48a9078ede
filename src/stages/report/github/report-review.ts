// `steward review --github`: the review where GitHub shows it — the PR's sticky comment and check
// (in a pull_request run, or with --pr), else a check on the reviewed commit — and the job summary
// inside Actions. Fork PRs and authors without write access get nothing written.
import type { ReviewReport } from '../../../model/review.js';
import { buildReviewCheck, type StaticIssue } from './check-format.js';
import { postCheck } from './post-check.js';
import { postPullRequestReview, writeJobSummary, type GitHubReportDeps } from './post-review.js';

export interface ReviewReportInput {
  report: ReviewReport;
  markdown: string;
  /** The pull request to comment on; without one, a check on the reviewed commit. */
  pr?: number;
  /** The workflow run, where the untrimmed report lives. */
  fullReportUrl?: string;
}

/** Posts the review; returns the one line that says what was posted. */
export async function reportReviewToGitHub(deps: GitHubReportDeps, input: ReviewReportInput): Promise<string> {
  const { report, markdown, pr, fullReportUrl } = input;
  const issues = staticIssues(report);
  const url = fullReportUrl ? { fullReportUrl } : {};
  if (pr !== undefined) {
    const result = await postPullRequestReview(deps, { report, markdown, pr, headSha: report.head, issues, ...url });
    return result.posted ? `posted to PR #${pr}${result.comment ? ` (comment ${result.comment.action})` : ''}` : `nothing posted to PR #${pr}: ${result.reason}`;
  }
  await writeJobSummary(deps, markdown, fullReportUrl);
  const check = await postCheck(deps, report.head, buildReviewCheck(report, markdown, { issues, ...url }));
  return `posted the ${check.kind === 'check-run' ? 'check run' : 'commit status'} on ${report.head.slice(0, 12)}`;
}

/** Static validation findings of job files, as file:line annotations. */
export function staticIssues(report: ReviewReport): StaticIssue[] {
  return report.changeSet.jobFindings.map((f) => ({
    file: f.file,
    line: f.line,
    level: f.severity === 'error' ? ('failure' as const) : ('warning' as const),
    message: f.message,
    title: f.code,
  }));
}
