// What a GitHub Actions run is about, read once from its environment and event payload: the PR
// (for reviews), the pushed commit, and the run's URL (where the full report lives).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

const PullRequestEvent = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ sha: z.string(), ref: z.string() }),
  }),
});

export interface ActionsRunContext {
  eventName: string;
  repository: string;
  sha: string;
  ref: string;
  runUrl: string | null;
  pullRequest: { number: number; headSha: string; baseSha: string; baseRef: string; headRepo: string | null } | null;
}

/** The run's page, e.g. `https://github.com/o/r/actions/runs/42` (null outside Actions). */
export function buildRunUrl(env: Record<string, string | undefined>): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}` : null;
}

/** Reads the run context; `readText` is injectable for tests. Outside Actions it throws ConfigError. */
export async function readActionsRunContext(
  env: Record<string, string | undefined>,
  readText: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
): Promise<ActionsRunContext> {
  const missing = ['GITHUB_EVENT_NAME', 'GITHUB_REPOSITORY', 'GITHUB_SHA'].filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError('GitHub Actions environment', missing.map((name) => `${name} is not set (not running in GitHub Actions?)`));
  const eventName = env.GITHUB_EVENT_NAME!;
  let pullRequest: ActionsRunContext['pullRequest'] = null;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    if (!env.GITHUB_EVENT_PATH) throw new ConfigError('GitHub Actions environment', ['GITHUB_EVENT_PATH is not set']);
    const parsed = PullRequestEvent.safeParse(JSON.parse(await readText(env.GITHUB_EVENT_PATH)));
    if (!parsed.success) throw new ConfigError(env.GITHUB_EVENT_PATH, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    const pr = parsed.data.pull_request;
    pullRequest = { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, baseRef: pr.base.ref, headRepo: pr.head.repo?.full_name ?? null };
  }
  return { eventName, repository: env.GITHUB_REPOSITORY!, sha: env.GITHUB_SHA!, ref: env.GITHUB_REF ?? '', runUrl: buildRunUrl(env), pullRequest };
}
