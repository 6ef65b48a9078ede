// The SessionRunner `steward serve` hands incidents to: the ONE place where serve meets the session
// runner (the same one `steward check`, `on-failure` and `ask` use), announcing through serve's notifier.
import type { Notifier } from '../ports/notifier.js';
import type { SessionRunner } from '../ports/session-runner.js';
import type { CliContext } from './context.js';
import { buildSessionRunner } from './session-command.js';

export interface ServeSessionInput {
  repoRoot: string;
  configFile: string | null;
  stateFile: string;
  /** serve's notifier: the session announces escalations and proposals through it. */
  notifier: Notifier;
}

export async function createServeSessionRunner(ctx: CliContext, input: ServeSessionInput): Promise<{ runner: SessionRunner; close(): void }> {
  return buildSessionRunner(ctx, { repo: input.repoRoot, ...(input.configFile ? { config: input.configFile } : {}), state: input.stateFile }, input.notifier);
}
