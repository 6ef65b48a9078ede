// The SSH host transport: every script runs over a NEW ssh connection (no connection sharing,
// so a confirmation proves that a fresh login still works), and closures travel with
// `nix copy --to ssh-ng://` using the same ssh options (NIX_SSHOPTS).
import { HostUnreachableError, type HostTransport } from '../../ports/host.js';
import { CommandError } from '../../errors.js';
import type { Redactor } from '../../redact.js';
import { runShell } from '../host-local/local-transport.js';
import { fixtureConnectionGate, q } from '../nixos-host/host-commands.js';

export interface SshTarget {
  /** `user@host` or `host`. */
  destination: string;
  port?: number;
}

export interface SshTransportOptions {
  host: string;
  /** `root@10.0.0.11`, `10.0.0.11`, or `ssh://root@10.0.0.11:2222`. */
  target: string;
  /** Extra ssh options (`-i key`, `-o UserKnownHostsFile=...`). */
  sshOptions?: string[];
  /** The host's root: `/`, or a fixture root on the remote machine (tests). */
  root?: string;
  env?: NodeJS.ProcessEnv;
  nixCommand?: string;
  /** Deadline of `nix copy`. Default 30 minutes. */
  copyTimeoutMs?: number;
  redactor?: Redactor;
}

export function parseSshTarget(target: string): SshTarget {
  const url = /^ssh:\/\/([^/:]+(?:@[^/:]+)?)(?::(\d+))?\/?$/.exec(target);
  if (url) return { destination: url[1]!, ...(url[2] ? { port: Number(url[2]) } : {}) };
  return { destination: target };
}

/** The ssh options shared by every connection; connection sharing is off on purpose. */
export function sshOptionArgs(target: SshTarget, extra: string[] = []): string[] {
  return ['-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'ConnectTimeout=10', ...(target.port ? ['-p', String(target.port)] : []), ...extra];
}

export function sshArgv(target: SshTarget, extra: string[], script: string): string[] {
  // ssh joins its arguments into one command line for the remote login shell: pass one word.
  return ['ssh', ...sshOptionArgs(target, extra), target.destination, `sh -c ${q(script)}`];
}

export function createSshTransport(options: SshTransportOptions): HostTransport {
  const target = parseSshTarget(options.target);
  const root = options.root ?? '/';
  const env = options.env ?? process.env;
  return {
    host: options.host,
    describe: `ssh ${target.destination}${target.port ? `:${target.port}` : ''}${root === '/' ? '' : ` (fixture ${root})`}`,
    root,
    async exec(script, execOptions) {
      const exports = Object.entries(execOptions.env ?? {}).map(([k, v]) => `${k}=${q(v)}; export ${k}\n`).join('');
      const argv = sshArgv(target, options.sshOptions ?? [], exports + fixtureConnectionGate(root) + script);
      const result = await runShell('', { timeoutMs: execOptions.timeoutMs }, env, argv);
      // 255 is ssh's own failure (refused, no route, authentication): the host was not reached.
      if (result.exitCode === 255) throw new HostUnreachableError(options.host, lastLine(result.stderr) || 'ssh exited with 255');
      return result;
    },
    async copyClosure(storePath) {
      const nixSshOpts = sshOptionArgs(target, options.sshOptions ?? []).join(' ');
      const argv = [options.nixCommand ?? 'nix', '--extra-experimental-features', 'nix-command', 'copy', '--to', `ssh-ng://${target.destination}`, storePath];
      const result = await runShell('', { timeoutMs: options.copyTimeoutMs ?? 30 * 60_000, env: { NIX_SSHOPTS: nixSshOpts } }, env, argv);
      if (result.exitCode !== 0) {
        const stderr = options.redactor ? options.redactor.redact(result.stderr) : result.stderr;
        if (/Connection refused|No route to host|Could not resolve|Connection timed out|Permission denied/i.test(stderr)) throw new HostUnreachableError(options.host, lastLine(stderr));
        throw new CommandError('nix copy', result.exitCode ?? undefined, stderr.trim().split('\n').slice(-10).join('\n'), `${options.host}: nix copy of ${storePath} failed`);
      }
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}
