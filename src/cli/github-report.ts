// `steward review --github`: posts the review where GitHub shows it — the PR's sticky comment and
// check (in a pull_request run, or with --pr), else a check on the reviewed commit — and the job
// summary inside Actions. Fork PRs and authors without write access get nothing written.
import { readActionsRunContext, type ActionsRunContext } from '../adapters/github-actions/event-context.js';
import { resolveGitHubSettings } from '../adapters/github-actions/action-inputs.js';
import { createActionsJobSummary } from '../adapters/github-actions/job-summary.js';
import { createGitHubPort } from '../adapters/github-octokit/github-port.js';
import type { StewardConfig } from '../config/schema.js';
import type { ReviewReport } from '../model/review.js';
import { buildReviewCheck, type StaticIssue } from '../stages/report/github/check-format.js';
import { postCheck } from '../stages/report/github/post-check.js';
import { postPullRequestReview, writeJobSummary } from '../stages/report/github/post-review.js';
import type { CliContext } from './context.js';

/** The Actions run context, or null outside Actions. */
export async function actionsContext(env: NodeJS.ProcessEnv): Promise<ActionsRunContext | null> {
  return env.GITHUB_ACTIONS === 'true' && env.GITHUB_EVENT_NAME ? readActionsRunContext(env) : null;
}

export async function postReviewToGitHub(
  ctx: CliContext,
  config: StewardConfig,
  input: { report: ReviewReport; markdown: string; pr?: number; run: ActionsRunContext | null },
): Promise<void> {
  const settings = resolveGitHubSettings(config.github, ctx.env);
  const github = createGitHubPort({ repository: settings.repository, token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
  const deps = { github, redactor: ctx.redactor, logger: ctx.logger, ...(ctx.env.GITHUB_STEP_SUMMARY ? { jobSummary: createActionsJobSummary() } : {}) };
  const fullReportUrl = input.run?.runUrl ?? undefined;
  const issues = staticIssues(input.report);
  const pr = input.pr ?? input.run?.pullRequest?.number;
  if (pr !== undefined) {
    const result = await postPullRequestReview(deps, { report: input.report, markdown: input.markdown, pr, headSha: input.report.head, issues, ...(fullReportUrl ? { fullReportUrl } : {}) });
    ctx.logger.info(result.posted ? `posted to PR #${pr}${result.comment ? ` (comment ${result.comment.action})` : ''}` : `nothing posted to PR #${pr}: ${result.reason}`);
    return;
  }
  await writeJobSummary(deps, input.markdown, fullReportUrl);
  const check = await postCheck(deps, input.report.head, buildReviewCheck(input.report, input.markdown, { issues, ...(fullReportUrl ? { fullReportUrl } : {}) }));
  ctx.logger.info(`posted the ${check.kind === 'check-run' ? 'check run' : 'commit status'} on ${input.report.head.slice(0, 12)}`);
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
