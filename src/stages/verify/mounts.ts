// Live mount options against the declared ones (pure). NixOS remounts on switch, which may
// succeed without effect (NFS, CIFS): then the options differ and only a reboot applies them.
import type { MountEntry } from '../../ports/host.js';

export interface MountMismatch {
  mountPoint: string;
  declared: string;
  live: string;
}

/** Options only userspace reads (mount(8), systemd): the kernel's table never shows them. */
const USERSPACE_ONLY = /^(defaults|auto|noauto|nofail|_netdev|user|users|nouser|owner|group|comment=.*|x-.*)$/;

/** nfsvers= and vers= mean the same; the kernel reports vers=. */
function normalise(option: string): string {
  return option.replace(/^nfsvers=/, 'vers=');
}

function kernelOptions(options: string[]): string[] {
  return options.filter((o) => o && !USERSPACE_ONLY.test(o)).map(normalise);
}

export function parseFstab(text: string): MountEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/))
    .filter((f) => f.length >= 4 && f[2] !== 'swap')
    .map(([device, mountPoint, fsType, options]) => ({ device: device!, mountPoint: mountPoint!, fsType: fsType!, options: options!.split(',') }));
}

/**
 * Declared mounts whose options are not all live. Mount points that are not mounted (an
 * automount not yet triggered, `noauto`) cannot be checked and are left out.
 */
export function compareMounts(fstab: string, live: MountEntry[]): MountMismatch[] {
  const mounted = new Map(live.map((m) => [m.mountPoint, m]));
  const mismatches: MountMismatch[] = [];
  for (const declared of parseFstab(fstab)) {
    const current = mounted.get(declared.mountPoint);
    if (!current || current.fsType === 'autofs') continue;
    const have = new Set(kernelOptions(current.options));
    const want = kernelOptions(declared.options);
    if (want.every((o) => have.has(o)) && current.device === declared.device) continue;
    mismatches.push({ mountPoint: declared.mountPoint, declared: declared.options.join(','), live: current.options.join(',') });
  }
  return mismatches;
}
