// The local host transport: runs scripts on this machine (`sh -c`, a new process each time, as a
// new connection would be). Root `/` is this NixOS machine; any other root is a fixture host.
import { spawn } from 'node:child_process';
import { HostUnreachableError, type ExecOptions, type ExecResult, type HostTransport } from '../../ports/host.js';
import { fixtureConnectionGate, UNREACHABLE_MARK } from '../nixos-host/host-commands.js';

export interface LocalTransportOptions {
  host: string;
  /** `/` (default): this machine. A directory: a fixture host rooted there. */
  root?: string;
  env?: NodeJS.ProcessEnv;
}

export function createLocalTransport(options: LocalTransportOptions): HostTransport {
  const root = options.root ?? '/';
  return {
    host: options.host,
    describe: root === '/' ? 'local' : `fixture ${root}`,
    root,
    async exec(script, execOptions) {
      const result = await runShell(fixtureConnectionGate(root) + script, execOptions, options.env ?? process.env);
      if (root !== '/' && result.exitCode === 255 && result.stderr.includes(UNREACHABLE_MARK)) throw new HostUnreachableError(options.host, UNREACHABLE_MARK);
      return result;
    },
    // The local store is the host's store: a built closure is already there.
    async copyClosure() {},
  };
}

/**
 * Runs `sh -c script` in its own process group, so that a timeout kills everything it started
 * (a hung switch-to-configuration and its children), not just the shell.
 */
export function runShell(script: string, options: ExecOptions, baseEnv: NodeJS.ProcessEnv, argv: string[] = ['sh', '-c', script]): Promise<ExecResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...baseEnv, ...options.env } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, stdout, stderr, timedOut, durationMs: performance.now() - started });
    });
  });
}
