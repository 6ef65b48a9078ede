// `steward deploy` tells people about a held risky change or a failed deploy through `notify` in
// steward.json, like `steward serve` does, with the same keys and the same state database, so a
// deploy serve runs is announced once. A notification that fails is a warning: the deploy's
// outcome (and exit code) stays what it was.
import type { StewardConfig } from '../config/schema.js';
import { notifyDeployOutcome } from '../stages/serve/deploy-notification.js';
import type { CliContext } from './context.js';
import { createNotifier } from './serve-wiring.js';

export async function announceDeploy(ctx: CliContext, config: StewardConfig, stateFile: string, deploy: { head: string; exitCode: number; markdown: string }): Promise<void> {
  try {
    const notifier = createNotifier(ctx, config, stateFile);
    const sent = await notifyDeployOutcome(notifier, deploy.head, deploy.exitCode, ctx.redactor.redact(deploy.markdown));
    for (const r of sent?.results ?? []) {
      if (r.status === 'failed') ctx.logger.warn(`could not notify (${r.channel}) of ${sent!.notification.key}: ${r.detail ?? 'failed'}`);
      else ctx.logger.info(`notify ${r.channel}: ${sent!.notification.key} ${r.status}`);
    }
  } catch (error) {
    ctx.logger.warn(`could not notify: ${ctx.redactor.redact((error as Error).message)}`);
  }
}
