// The GitHub side of `--github`, wired: the port (token, repository, API URL from the config and
// the Actions environment) and the job summary inside Actions. What is posted lives in
// stages/report/github.
import { readActionsRunContext, type ActionsRunContext } from '../adapters/github-actions/event-context.js';
import { resolveGitHubSettings } from '../adapters/github-actions/action-inputs.js';
import { createActionsJobSummary } from '../adapters/github-actions/job-summary.js';
import { createGitHubPort } from '../adapters/github-octokit/github-port.js';
import type { StewardConfig } from '../config/schema.js';
import type { GitHubReportDeps } from '../stages/report/github/post-review.js';
import type { CliContext } from './context.js';

export { staticIssues } from '../stages/report/github/report-review.js';

/** The Actions run context, or null outside Actions. */
export async function actionsContext(env: NodeJS.ProcessEnv): Promise<ActionsRunContext | null> {
  return env.GITHUB_ACTIONS === 'true' && env.GITHUB_EVENT_NAME ? readActionsRunContext(env) : null;
}

export function githubReportDeps(ctx: CliContext, config: StewardConfig): GitHubReportDeps {
  const settings = resolveGitHubSettings(config.github, ctx.env);
  const github = createGitHubPort({ repository: settings.repository, token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
  return { github, redactor: ctx.redactor, logger: ctx.logger, ...(ctx.env.GITHUB_STEP_SUMMARY ? { jobSummary: createActionsJobSummary() } : {}) };
}
