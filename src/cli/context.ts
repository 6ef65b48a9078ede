// Shared CLI wiring: global options, the logger, and turning outcomes and errors into exit codes.
import type { Command } from 'commander';
import { createTerminalLogger } from '../adapters/logger-terminal.js';
import { CommandError, ConfigError, GitError, UsageError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import { failedPhaseOf } from '../pipeline/phase-runner.js';
import { Redactor } from '../redact.js';
import { ExitCode } from './exit-codes.js';

export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
}

export interface CliContext {
  logger: Logger;
  redactor: Redactor;
  /** Writes the command's result (report or JSON) to stdout. */
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export function createCliContext(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliContext {
  const redactor = new Redactor();
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'NOMAD_TOKEN', 'CONSUL_HTTP_TOKEN', 'ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN']) redactor.add(env[name]);
  const logger = createTerminalLogger({ redactor, verbose: globals.verbose, quiet: globals.quiet });
  return { logger, redactor, out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`), env };
}

/**
 * Wraps a command action: runs it, maps known errors to their documented exit codes and prints
 * them without a stack trace (a stack only with --verbose, for bug reports).
 */
export function action<A extends unknown[]>(
  program: Command,
  fn: (ctx: CliContext, ...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const globals = program.opts<GlobalOptions>();
    const ctx = createCliContext(globals);
    try {
      process.exitCode = await fn(ctx, ...args);
    } catch (error) {
      process.exitCode = reportError(ctx, error, globals.verbose ?? false);
    }
  };
}

function reportError(ctx: CliContext, error: unknown, verbose: boolean): ExitCode {
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof GitError) {
    ctx.logger.error(error.message);
    return ExitCode.usage;
  }
  // Errors the user can fix say what to do on one line; the others also say which phase failed.
  const phase = failedPhaseOf(error);
  const where = phase ? `${phase} failed: ` : '';
  if (error instanceof CommandError) {
    ctx.logger.error(`${where}${error.message}${error.stderr ? `\n${error.stderr}` : ''}`);
    return ExitCode.internal;
  }
  const message = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
  ctx.logger.error(`unexpected: ${where}${message}${verbose ? '' : '\n(run with --verbose for details)'}`);
  return ExitCode.internal;
}
