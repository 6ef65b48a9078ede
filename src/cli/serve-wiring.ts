// What `steward serve` needs beyond the config: the route credentials (from the environment or
// systemd credentials), the notifier, and the runner of Steward's own commands for GitHub work.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../adapters/process/run-process.js';
import type { StewardConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { silentNotifier, type Notifier } from '../ports/notifier.js';
import { resolveGitHubSettings } from '../adapters/github-actions/action-inputs.js';
import { createOctokitClient } from '../adapters/github-octokit/client.js';
import { createGitHubIssueChannel } from '../adapters/notify-github-issue/github-issue-channel.js';
import { createNtfyChannel } from '../adapters/notify-ntfy/ntfy-channel.js';
import { createWebhookChannel } from '../adapters/notify-webhook/webhook-channel.js';
import { SqliteNotificationLedger } from '../adapters/store-sqlite/notification-ledger.js';
import type { NotifyChannel } from '../ports/notify-channel.js';
import { createChannelNotifier } from '../stages/notify/channel-notifier.js';
import type { CommandRunner } from '../stages/serve/run-serve-job.js';
import type { ExpectedCredential } from '../stages/serve/request-auth.js';
import type { CliContext } from './context.js';
import { readSecret } from './secrets.js';

/** The built CLI (dist/cli.js): GitHub work runs as `steward review|deploy` child processes. */
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

export interface RouteSecrets {
  alertmanager?: ExpectedCredential;
  github?: { secret: string; mainBranch: string };
}

/** Every secret a configured route needs, or one ConfigError naming all that are missing. */
export function routeSecrets(ctx: CliContext, config: StewardConfig): RouteSecrets {
  const missing: string[] = [];
  const need = (name: string, what: string): string => {
    const value = readSecret(name, ctx.env);
    if (!value) missing.push(`${what}: set ${name} (environment or systemd credential)`);
    else ctx.redactor.add(value);
    return value ?? '';
  };
  const out: RouteSecrets = {};
  const am = config.serve.alertmanager?.auth;
  if (am?.type === 'bearer') out.alertmanager = { type: 'bearer', token: need(am.tokenEnv, 'serve.alertmanager.auth.tokenEnv') };
  if (am?.type === 'basic') out.alertmanager = { type: 'basic', username: am.username, password: need(am.passwordEnv, 'serve.alertmanager.auth.passwordEnv') };
  if (config.serve.github) out.github = { secret: need(config.serve.github.webhookSecretEnv, 'serve.github.webhookSecretEnv'), mainBranch: config.serve.github.mainBranch };
  if (missing.length) throw new ConfigError('steward serve', missing);
  return out;
}

export function createCommandRunner(ctx: CliContext, input: { repoRoot: string; configFile: string | null; stateFile: string; timeoutMs: number; cli?: string }): CommandRunner {
  return {
    async run(step, signal) {
      const [command, args] =
        step.program === 'git'
          ? ['git', ['-C', input.repoRoot, ...step.args]]
          : [process.execPath, [input.cli ?? CLI, ...step.args, '--repo', input.repoRoot, ...(input.configFile ? ['--config', input.configFile] : [])]];
      const result = await runProcess(command, args, { timeoutMs: input.timeoutMs, signal, env: { STEWARD_STATE_FILE: input.stateFile } });
      return { exitCode: result.exitCode, stdout: ctx.redactor.redact(result.stdout), stderr: ctx.redactor.redact(result.stderr) };
    },
  };
}

/** The Notifier of `notify` in steward.json (none configured: silent), deduplicated in the state database. */
export function createNotifier(ctx: CliContext, config: StewardConfig, stateFile: string): Notifier {
  const { notify } = config;
  const timeoutMs = notify.timeoutSeconds * 1000;
  const secret = (name: string | undefined) => {
    const value = name ? readSecret(name, ctx.env) : undefined;
    if (name && !value) ctx.logger.warn(`notify: ${name} is not set: sending without it`);
    if (value) ctx.redactor.add(value);
    return value;
  };
  const channels: NotifyChannel[] = [];
  if (notify.webhook) channels.push(createWebhookChannel({ url: notify.webhook.url, timeoutMs, ...optional('secret', secret(notify.webhook.secretEnv)) }));
  if (notify.ntfy) channels.push(createNtfyChannel({ url: notify.ntfy.url, timeoutMs, ...optional('token', secret(notify.ntfy.tokenEnv)) }));
  if (notify.githubIssues) {
    // The token may come as a systemd credential like every other secret.
    const token = readSecret(config.github.tokenEnv, ctx.env);
    const settings = resolveGitHubSettings(config.github, { ...ctx.env, ...(token ? { [config.github.tokenEnv]: token } : {}) });
    const octokit = createOctokitClient({ token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
    channels.push(createGitHubIssueChannel({ octokit, repository: settings.repository, labels: notify.githubIssues.labels, redactor: ctx.redactor }));
  }
  if (channels.length === 0) return silentNotifier;
  return createChannelNotifier({ channels, ledger: new SqliteNotificationLedger(stateFile), redactor: ctx.redactor });
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

export function workerIdentity(): { owner: string; pid: number; hostname: string } {
  return { owner: `${os.hostname()}:${process.pid}:${Date.now().toString(36)}`, pid: process.pid, hostname: os.hostname() };
}
