// The local host transport: runs scripts on this machine (`sh -c`, a new process each time, as a
// new connection would be). Root `/` is this NixOS machine; any other root is a fixture host.
import { HostUnreachableError, type ExecOptions, type ExecResult, type HostTransport } from '../../ports/host.js';
import { fixtureConnectionGate, UNREACHABLE_MARK } from '../nixos-host/host-commands.js';
import { runProcess } from '../process/run-process.js';

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
 * Runs `sh -c script` (or `argv`: ssh, nix copy) through the one process runner: its own process
 * group, so that the deadline kills everything it started (a hung switch-to-configuration and its
 * children, ssh's ProxyCommand), not just the shell. The group is killed at once (no grace): a
 * hung activation gets no chance to carry on. A command that cannot start rejects.
 */
export async function runShell(script: string, options: ExecOptions, baseEnv: NodeJS.ProcessEnv, argv: string[] = ['sh', '-c', script]): Promise<ExecResult> {
  const result = await runProcess(argv[0]!, argv.slice(1), { timeoutMs: options.timeoutMs, env: { ...baseEnv, ...options.env }, extendEnv: false, killGraceMs: 0 });
  if (result.spawnError) throw new Error(result.spawnError);
  return { exitCode: result.timedOut ? null : result.exitCode, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut, durationMs: result.durationMs };
}
