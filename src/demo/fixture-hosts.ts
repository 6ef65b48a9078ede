// Fixture NixOS hosts for the demo and the tests: directories with their own system profile,
// run/ and boot/, installed with real toplevels of the example homelab built by real Nix. Their
// switch-to-configuration acts only inside the root it is given (NIXOS_FIXTURE_ROOT).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { flakeRefAt } from '../stages/build/flake-ref.js';

export const EXAMPLE_HOSTS = ['desk', 'nas', 'node1', 'node2', 'node3'];

/** Builds the hosts' toplevels at a revision in ONE nix build; host -> store path. */
export async function buildToplevels(repoDir: string, sha: string, hosts: string[] = EXAMPLE_HOSTS, env?: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const ref = flakeRefAt(repoDir, sha, '.');
  const { stdout } = await execa('nix', ['build', '--json', '--no-link', ...hosts.map((h) => `${ref}#nixosConfigurations.${h}.config.system.build.toplevel`)], { stdin: 'ignore', ...(env ? { env } : {}) });
  const outs = (JSON.parse(stdout) as { outputs: { out: string } }[]).map((r) => r.outputs.out);
  // `nix build --json` answers in no particular order: the derivation name carries the host.
  const find = (h: string) => {
    const out = outs.find((o) => o.includes(`-nixos-system-${h}-`));
    if (!out) throw new Error(`no toplevel built for ${h}`);
    return out;
  };
  return Object.fromEntries(hosts.map((h) => [h, find(h)]));
}

/** A fixture host running `toplevel` as if it had booted it: profile, current, booted, boot default, mounts. */
export function installFixtureHost(root: string, toplevel: string, env?: NodeJS.ProcessEnv): void {
  rmSync(root, { recursive: true, force: true });
  for (const dir of ['nix/var/nix/profiles', 'run', 'boot', 'etc/fixture', 'var/log']) mkdirSync(path.join(root, dir), { recursive: true });
  execFileSync('nix-env', ['-p', path.join(root, 'nix/var/nix/profiles/system'), '--set', toplevel], { stdio: 'ignore', ...(env ? { env } : {}) });
  for (const link of ['run/current-system', 'run/booted-system', 'boot/default-system']) symlinkSync(toplevel, path.join(root, link));
  const mounts = readFileSync(path.join(toplevel, 'etc/fstab'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && f[2] !== 'swap')
    .map((f) => `${f[0]} ${f[1]} ${f[2]} ${f[3]} 0 0`);
  writeFileSync(path.join(root, 'run/mounts'), `${mounts.join('\n')}\n`);
  writeFileSync(path.join(root, 'run/boot-id'), 'boot-0\n');
}

export function installFixtureHosts(dir: string, toplevels: Record<string, string>, env?: NodeJS.ProcessEnv): void {
  for (const [host, toplevel] of Object.entries(toplevels)) installFixtureHost(path.join(dir, host), toplevel, env);
}

/**
 * Fault injection (see examples/homelab/lib/switch-to-configuration.sh); one-shot. Written to a
 * temporary name and renamed, so a switch reading the fault never sees it half written (empty).
 */
export function injectFault(root: string, name: string, content = ''): void {
  const file = path.join(root, 'etc/fixture', name);
  writeFileSync(`${file}.tmp-${process.pid}`, content);
  renameSync(`${file}.tmp-${process.pid}`, file);
}
