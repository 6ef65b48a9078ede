// ClaudePort over the real `claude` CLI in print mode, run through execa with an explicit
// environment, the prompt on stdin (then closed), and a wall-clock timeout that kills the group.
import { execa } from 'execa';
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
      const result = await execa(command, ['--version'], {
        env,
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
        timeout: 15_000,
      });
      if (result.failed) return null;
      return /\d+\.\d+\.\d+/.exec(result.stdout)?.[0] ?? null;
    },

    async run<T>(request: ClaudeRunRequest<T>): Promise<ClaudeRunResult<T>> {
      const args = buildClaudeArgs(request);
      options.logger.debug(`claude: ${request.prompt.length} prompt chars, tools [${request.allowedTools.join(', ')}], max turns ${request.maxTurns}`);
      const outcome = await runProcess(command, args, request, env, options.killGraceMs ?? 2_000);
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

async function runProcess<T>(
  command: string,
  args: string[],
  request: ClaudeRunRequest<T>,
  env: Record<string, string>,
  killGraceMs: number,
): Promise<ProcessOutcome> {
  const started = performance.now();
  // The prompt goes on stdin, which is then closed: an open stdin makes the CLI wait ~3 s, and a
  // prompt in argv would hit the 128 KiB per-argument limit and show in `ps`.
  // `detached` makes the child a process-group leader, so the timeout can kill what it spawned.
  const child = execa(command, args, {
    cwd: request.cwd,
    env,
    extendEnv: false,
    input: request.prompt,
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    detached: true,
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  // `--max-turns` can be exceeded and a hung API never answers: the wall clock is Steward's own.
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGTERM');
    forceKill = setTimeout(() => killGroup(child.pid, 'SIGKILL'), killGraceMs);
  }, request.timeoutMs);
  try {
    const result = await child;
    // execa's message repeats the whole command line (prompt schema included): keep the cause.
    const spawnError =
      result.failed && result.exitCode === undefined && !result.isTerminated && !timedOut
        ? (result as { code?: string }).code === 'ENOENT'
          ? `spawn ${result.command.split(' ')[0] ?? 'claude'} ENOENT (not installed, or not on PATH)`
          : (String(result.shortMessage ?? result.message ?? '').split('\n')[0] || 'claude failed to start')
        : undefined;
    return {
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      exitCode: result.exitCode,
      timedOut,
      ...(spawnError ? { spawnError } : {}),
      durationMs: Math.round(performance.now() - started),
      ...(request.model ? { requestedModel: request.model } : {}),
    };
  } finally {
    clearTimeout(timer);
    if (forceKill) clearTimeout(forceKill);
    // Whatever the leader left behind in its group (tool subprocesses) goes with it.
    if (timedOut) killGroup(child.pid, 'SIGKILL');
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
