// Package version changes from comparing two closures by store path names, the way
// `nix store diff-closures` does, but without its colour codes and content-only blind spot.
import type { PackageChange } from '../../../model/host-change.js';

/** builtins.parseDrvName: the version starts at the first dash followed by a non-letter. */
export function parseDrvName(name: string): { pname: string; version: string } {
  const match = /-(?=[^A-Za-z-])/.exec(name);
  if (!match) return { pname: name, version: '' };
  return { pname: name.slice(0, match.index), version: name.slice(match.index + 1) };
}

/** `/nix/store/<hash>-openssl-3.0.14-bin` -> `openssl-3.0.14-bin`. */
export function storePathName(storePath: string): string {
  const base = storePath.slice(storePath.lastIndexOf('/') + 1);
  return /^[0-9a-z]{32}-/.test(base) ? base.slice(33) : base;
}

// Output names that multi-output packages append to the version (`openssl-3.0.14-dev`).
const OUTPUT_SUFFIX = /-(bin|dev|lib|out|man|doc|info|debug|modules|modules-shrunk|static|data|env|terminfo|py|python|shrunk|wrapped)$/;

export function versionsByPackage(closure: Iterable<string>, ignore: (name: string) => boolean): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  for (const storePath of closure) {
    const name = storePathName(storePath);
    if (ignore(name)) continue;
    const { pname, version } = parseDrvName(name);
    if (!version || !/^\d/.test(version)) continue;
    const clean = version.replace(OUTPUT_SUFFIX, '');
    const set = byName.get(pname) ?? new Set<string>();
    set.add(clean);
    byName.set(pname, set);
  }
  return byName;
}

export function diffPackages(before: Iterable<string>, after: Iterable<string>): PackageChange[] {
  // The toplevel itself and NixOS's own generated paths carry the release as a "version".
  const ignore = (name: string) => name.startsWith('nixos-system-') || name.startsWith('unit-') || name.startsWith('etc-');
  const old = versionsByPackage(before, ignore);
  const next = versionsByPackage(after, ignore);
  const changes: PackageChange[] = [];
  for (const pname of new Set([...old.keys(), ...next.keys()])) {
    const from = [...(old.get(pname) ?? [])].sort(compareVersions);
    const to = [...(next.get(pname) ?? [])].sort(compareVersions);
    if (from.join(' ') === to.join(' ')) continue;
    const major = from.length > 0 && to.length > 0 && majorOf(from[from.length - 1] as string) !== majorOf(to[to.length - 1] as string);
    changes.push({ name: pname, from, to, major });
  }
  return changes.sort((a, b) => a.name.localeCompare(b.name));
}

function majorOf(version: string): string {
  return /^\d+/.exec(version)?.[0] ?? version;
}

/** Nix-like version order: numeric components compare as numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
