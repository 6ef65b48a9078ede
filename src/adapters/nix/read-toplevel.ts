// Reads what Steward compares from a built toplevel in the local store: boot links, reboot
// signals, unit file targets and /etc. Link targets are compared, contents read only on demand.
import { createHash } from 'node:crypto';
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ToplevelSnapshot } from '../../ports/nix.js';

const BOOT_LINKS = ['kernel', 'initrd', 'kernel-modules', 'firmware', 'systemd'] as const;
/** Below this many entries per directory we descend into /etc; deeper trees are rare. */
const ETC_MAX_DEPTH = 4;

export async function readToplevel(outPath: string): Promise<ToplevelSnapshot> {
  const links: ToplevelSnapshot['links'] = {};
  for (const name of BOOT_LINKS) {
    const target = await readlinkOrNull(path.join(outPath, name));
    if (target) links[name] = target;
  }
  const unitsDir = path.join(outPath, 'etc/systemd/system');
  return {
    path: outPath,
    links,
    kernelParams: await readTextOrNull(path.join(outPath, 'kernel-params')),
    rebootTriggers: parseJsonMap(await readTextOrNull(path.join(outPath, 'reboot-triggers'))),
    switchInhibitors: parseJsonMap(await readTextOrNull(path.join(outPath, 'switch-inhibitors'))),
    units: await readUnits(unitsDir),
    etc: await readEtc(path.join(outPath, 'etc')),
    fstab: await readTextOrNull(path.join(outPath, 'etc/fstab')),
    systemConf: await readTextOrNull(path.join(outPath, 'etc/systemd/system.conf')),
  };
}

/** Unit name -> [resolved unit file, ...resolved drop-ins]; `.wants`/`.requires` dirs are skipped. */
async function readUnits(dir: string): Promise<Record<string, string[]>> {
  const units: Record<string, string[]> = {};
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    return units;
  }
  for (const name of entries) {
    if (/\.(wants|requires|upholds)$/.test(name)) continue;
    const full = path.join(dir, name);
    if (name.endsWith('.d')) {
      const unit = name.slice(0, -2);
      const dropIns = (await readdir(full).catch(() => [] as string[])).filter((f) => f.endsWith('.conf')).sort();
      const resolved = await Promise.all(dropIns.map((f) => realpath(path.join(full, f)).catch(() => path.join(full, f))));
      units[unit] = [...(units[unit] ?? ['']), ...resolved];
      continue;
    }
    const target = await realpath(full).catch(() => null);
    if (target === null) continue; // dangling link: unit masked or provided elsewhere
    units[name] = [target, ...(units[name]?.slice(1) ?? [])];
  }
  return units;
}

/** /etc entries (except the unit directory) -> their store target, or a digest for plain files. */
async function readEtc(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (rel === 'systemd/system') continue;
      if (entry.isSymbolicLink()) {
        const target = await readlink(full);
        const info = await stat(full).catch(() => null);
        if (info?.isDirectory() && depth < ETC_MAX_DEPTH) await walk(full, depth + 1);
        else result[rel] = target;
      } else if (entry.isDirectory() && depth < ETC_MAX_DEPTH) {
        await walk(full, depth + 1);
      } else if (entry.isFile()) {
        result[rel] = `sha256:${createHash('sha256').update(await readFile(full)).digest('hex')}`;
      }
    }
  };
  await walk(root, 0);
  return result;
}

async function readlinkOrNull(file: string): Promise<string | null> {
  return readlink(file).catch(() => null);
}

async function readTextOrNull(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

function parseJsonMap(text: string | null): Record<string, string> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  } catch {
    return null;
  }
}
