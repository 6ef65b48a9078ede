// A real OpenSSH server on 127.0.0.1 for the SSH transport's tests: a free port, a throwaway host
// key and client key, `StrictModes no` and `UsePAM no` so it runs from a temporary directory.
// Without /usr/sbin/sshd (or root) the suite is skipped loudly; with STEWARD_REQUIRE_NIX=1 (CI) it fails.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'vitest';

export const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  /** Options for ssh (and NIX_SSHOPTS) to log in as root with the throwaway key. */
  options: string[];
  /** How many logins the server accepted so far (each is a new connection). */
  logins(): number;
  stop(): Promise<void>;
}

function sshdMissing(): string | null {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'sshd must start as root to accept logins as root';
  return null;
}

/** `describe` for suites that need a real sshd. */
export function describeWithSshd(name: string, body: () => void): void {
  const missing = sshdMissing();
  if (!missing) {
    describe(name, body);
    return;
  }
  if (process.env.STEWARD_REQUIRE_NIX === '1') {
    describe(name, () => {
      it('needs sshd', () => {
        throw new Error(`STEWARD_REQUIRE_NIX=1 but ${missing}`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPED "${name}": ${missing}.\n`);
  describe.skip(name, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startSshd(dir: string): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  const key = (name: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `steward-test-${name}`, '-f', path.join(dir, name)], { stdio: 'ignore' });
  key('host_key');
  key('client_key');
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  const port = await freePort();
  const log = path.join(dir, 'sshd.log');
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'MaxStartups 100',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config'), '-E', log], { stdio: 'ignore' });
  await waitForPort(port, 5000);
  return {
    port,
    options: ['-i', path.join(dir, 'client_key'), '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'LogLevel=ERROR'],
    logins: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Accepted publickey')).length : 0),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
