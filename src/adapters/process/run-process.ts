// The one way Steward runs an external process (nix, git, ssh, claude): execa with a wall-clock
// deadline, the child made a process-group leader so the deadline (or Steward's own exit) kills
// everything it spawned, and output kept as text or as raw bytes (git paths are bytes).
import { execa } from 'execa';

export interface RunProcessOptions {
  /** Wall-clock deadline; past it the whole group gets SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** `false`: `env` is the whole environment (nothing inherited). Default true. */
  extendEnv?: boolean;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  input?: string | Uint8Array;
  /** Output beyond this many bytes (per stream) fails the run instead of growing without end. */
  maxBufferBytes?: number;
  killGraceMs?: number;
  /** Stops the process early, exactly like the deadline (e.g. `steward serve` shutting down). */
  signal?: AbortSignal;
  /** Called with the child's pid once it started (e.g. to watch its memory). */
  onSpawn?: (pid: number) => void;
}

export interface ProcessResult<Out = string> {
  command: string;
  exitCode: number | null;
  stdout: Out;
  stderr: string;
  /** Steward's deadline fired and the group was killed. */
  timedOut: boolean;
  /** A signal that ended the process when the deadline did not (e.g. the OOM killer). */
  signal: string | null;
  /** The process could not start (not installed, not executable), or its output overflowed. */
  spawnError: string | null;
  durationMs: number;
}

const DEFAULT_MAX_BUFFER = 512 * 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 2_000;

/** Process groups still running: killed if Steward itself exits first (they are detached). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Kills every process group Steward started and that still runs (for the CLI's signal handlers). */
export function killAllProcessGroups(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of liveGroups) killGroup(pid, signal);
}

export async function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult<string>> {
  const result = await run(command, args, options, 'utf8');
  return { ...result, stdout: typeof result.stdout === 'string' ? result.stdout : new TextDecoder().decode(result.stdout) };
}

/** Like `runProcess`, with stdout as the exact bytes the process wrote (no decoding). */
export async function runProcessBytes(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult<Uint8Array>> {
  const result = await run(command, args, options, 'buffer');
  return { ...result, stdout: typeof result.stdout === 'string' ? new TextEncoder().encode(result.stdout) : result.stdout };
}

async function run(command: string, args: readonly string[], options: RunProcessOptions, encoding: 'utf8' | 'buffer'): Promise<ProcessResult<string | Uint8Array>> {
  installExitHook();
  const started = performance.now();
  // `detached` makes the child a process-group leader, so a deadline kills what it spawned too
  // (nix builders, ssh's ProxyCommand, claude's MCP servers).
  const child = execa(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.extendEnv ?? true,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    stdout: 'pipe',
    stderr: 'pipe',
    encoding,
    stripFinalNewline: false,
    reject: false,
    detached: true,
    maxBuffer: options.maxBufferBytes ?? DEFAULT_MAX_BUFFER,
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  if (pid !== undefined) options.onSpawn?.(pid);
  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  const expire = () => {
    if (timedOut) return;
    timedOut = true;
    killGroup(pid, 'SIGTERM');
    forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  };
  const timer = setTimeout(expire, options.timeoutMs);
  if (options.signal?.aborted) expire();
  options.signal?.addEventListener('abort', expire, { once: true });
  try {
    const result = await child;
    const stderr = result.stderr;
    return {
      command,
      exitCode: result.exitCode ?? null,
      stdout: result.stdout as string | Uint8Array,
      stderr: typeof stderr === 'string' ? stderr : new TextDecoder().decode(stderr as Uint8Array),
      timedOut,
      signal: !timedOut && result.signal ? result.signal : null,
      spawnError: spawnErrorOf(result, command, timedOut),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', expire);
    if (forceKill) clearTimeout(forceKill);
    // Whatever the leader left behind in its group goes with it once the deadline fired.
    if (timedOut) killGroup(pid, 'SIGKILL');
    if (pid !== undefined) liveGroups.delete(pid);
  }
}

/** execa's own message repeats the whole command line (prompts, expressions): keep only the cause. */
function spawnErrorOf(result: { failed: boolean; exitCode?: number | undefined; isTerminated: boolean; isMaxBuffer?: boolean; code?: string; shortMessage?: string }, command: string, timedOut: boolean): string | null {
  if (result.isMaxBuffer) return `${command}: output exceeded the buffer limit`;
  if (!result.failed || result.exitCode !== undefined || result.isTerminated || timedOut) return null;
  if (result.code === 'ENOENT') return `spawn ${command} ENOENT (not installed, or not on PATH)`;
  if (result.code === 'EACCES') return `spawn ${command} EACCES (not executable)`;
  return (result.shortMessage ?? '').split('\n')[0] || `${command} failed to start`;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached children outlive their parent by design; Steward's exit must not leave them running.
  process.once('exit', () => killAllProcessGroups('SIGKILL'));
}

/** One line that says why a process did not succeed, for error messages (stderr already redacted by the caller). */
export function describeFailure(result: ProcessResult<unknown>, deadlineText?: string): string {
  if (result.spawnError) return result.spawnError;
  if (result.timedOut) return `${result.command} did not finish within ${deadlineText ?? 'its deadline'} and was killed`;
  if (result.signal) return `${result.command} was killed by ${result.signal}`;
  return `${result.command} exited with code ${result.exitCode}`;
}
