// ClaudePort over the real `claude` CLI in print mode, run by the process runner with an explicit
// environment, the prompt on stdin (then closed), and a wall-clock timeout that kills the group.
import { runProcess } from '../process/run-process.js';
import type { ClaudePort, ClaudeRunRequest, ClaudeRunResult } from '../../ports/claude.js';
import type { Logger } from '../../ports/logger.js';
import { Redactor } from '../../redact.js';
import { buildClaudeArgs, buildClaudeEnv, secretValuesOf, type ClaudeEnvOptions } from './build-command.js';
import { interpretCliOutcome, type ProcessOutcome } from './parse-result.js';

export interface ClaudeCliOptions {
  /** Binary path or name (config `llm.command`); default `claude`. */
  command?: string;
  env: ClaudeEnvOptions;
  logger: Logger;
  redactor?: Redactor;
  /** Between SIGTERM to the group on timeout and SIGKILL. */
  killGraceMs?: number;
}

const MAX_OUTPUT_BYTES = 20 * 1024 * 1024;

export function createClaudeCli(options: ClaudeCliOptions): ClaudePort {
  const command = options.command ?? 'claude';
  const env = buildClaudeEnv(options.env);
  const redactor = options.redactor ?? new Redactor();
  for (const value of secretValuesOf(env)) redactor.add(value);

  return {
    async version() {
      const result = await runProcess(command, ['--version'], { env, extendEnv: false, timeoutMs: 15_000 });
      if (result.exitCode !== 0) return null;
      return /\d+\.\d+\.\d+/.exec(result.stdout)?.[0] ?? null;
    },

    async run<T>(request: ClaudeRunRequest<T>): Promise<ClaudeRunResult<T>> {
      const args = buildClaudeArgs(request);
      options.logger.debug(`claude: ${request.prompt.length} prompt chars, tools [${request.allowedTools.join(', ')}], max turns ${request.maxTurns}`);
      const outcome = await runClaude(command, args, request, env, options.killGraceMs ?? 2_000);
      const result = interpretCliOutcome(outcome, request.answerSchema);
      if (!result.ok) {
        const detail = redactor.redact(result.detail);
        options.logger.debug(`claude: no answer (${result.reason}): ${detail}`);
        return { ...result, detail };
      }
      return result;
    },
  };
}

async function runClaude<T>(
  command: string,
  args: string[],
  request: ClaudeRunRequest<T>,
  env: Record<string, string>,
  killGraceMs: number,
): Promise<ProcessOutcome> {
  // The prompt goes on stdin, which is then closed: an open stdin makes the CLI wait ~3 s, and a
  // prompt in argv would hit the 128 KiB per-argument limit and show in `ps`. `--max-turns` can be
  // exceeded and a hung API never answers: the wall clock is Steward's own (the runner kills the group).
  const result = await runProcess(command, args, {
    cwd: request.cwd,
    env,
    extendEnv: false,
    input: request.prompt,
    timeoutMs: request.timeoutMs,
    killGraceMs,
    maxBufferBytes: MAX_OUTPUT_BYTES,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return {
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.exitCode ?? undefined,
    timedOut: result.timedOut,
    ...(result.spawnError ? { spawnError: result.spawnError } : {}),
    durationMs: result.durationMs,
    ...(request.model ? { requestedModel: request.model } : {}),
  };
}
