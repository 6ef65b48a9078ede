// Fixture NixOS hosts for deploy tests (src/demo/fixture-hosts.ts installs them), and what the
// tests read back from them: the switch log, links, reboots; guard timers left armed are killed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export { buildToplevels, EXAMPLE_HOSTS, injectFault, installFixtureHost, installFixtureHosts } from '../../src/demo/fixture-hosts.js';

/** Lines of the fixture's own log: `<time> <action> <toplevel>`. */
export function switchLog(root: string): Array<{ action: string; toplevel: string }> {
  const file = path.join(root, 'var/log/switch-to-configuration.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, action, toplevel] = line.split(' ');
      return { action: action!, toplevel: toplevel! };
    });
}

/** How often `toplevel` was switched to (or booted) on the host: what "no double apply" counts. */
export function appliedCount(root: string, toplevel: string, actions: string[] = ['switch', 'boot']): number {
  return switchLog(root).filter((e) => e.toplevel === toplevel && actions.includes(e.action)).length;
}

export function readlinkIn(root: string, link: string): string | null {
  try {
    return execFileSync('readlink', ['-f', path.join(root, link)], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Reboots recorded by the fixture: [down, up] times in nanoseconds. */
export function reboots(root: string): Array<{ down: bigint; up: bigint | null }> {
  const file = path.join(root, 'var/log/reboots.log');
  if (!existsSync(file)) return [];
  const out: Array<{ down: bigint; up: bigint | null }> = [];
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [time, what] = line.split(' ');
    if (what === 'down') out.push({ down: BigInt(time!), up: null });
    else if (out.length > 0) out[out.length - 1]!.up = BigInt(time!);
  }
  return out;
}

/** Kills guard timers a test left armed (their pids are in the fixture's state dir). */
export function killLeftoverGuards(dir: string): void {
  if (!existsSync(dir)) return;
  for (const host of readdirSync(dir)) {
    const guards = path.join(dir, host, 'var/lib/steward/guards');
    if (!existsSync(guards)) continue;
    for (const file of readdirSync(guards).filter((f) => f.endsWith('.pid'))) {
      const pid = Number(readFileSync(path.join(guards, file), 'utf8').trim());
      try {
        if (pid > 0) process.kill(-pid, 'SIGKILL');
      } catch {
        // Finished already.
      }
    }
  }
}
