// Boot-relevant differences between two toplevels: the links (kernel, initrd, modules, firmware,
// systemd), kernel-params, reboot-triggers and switch-inhibitors (NIXOS-FACTS.md "When a reboot
// is needed"). Comparing links, not toplevel paths, keeps this right when self.rev changes all.
import type { BootChange, KeyChange, ValueChange } from '../../../model/host-change.js';
import type { ToplevelSnapshot } from '../../../ports/nix.js';
import { storePathName } from './packages.js';

export function diffBoot(before: ToplevelSnapshot, after: ToplevelSnapshot): BootChange {
  const boot: BootChange = {};
  const link = (name: keyof ToplevelSnapshot['links']): ValueChange | undefined => {
    const from = before.links[name] ?? null;
    const to = after.links[name] ?? null;
    return from === to ? undefined : { from: from && readable(from), to: to && readable(to) };
  };
  const kernel = link('kernel');
  if (kernel) boot.kernel = kernel;
  const initrd = link('initrd');
  if (initrd) boot.initrd = initrd;
  const modules = link('kernel-modules');
  if (modules) boot.kernelModules = modules;
  const firmware = link('firmware');
  if (firmware) boot.firmware = firmware;
  if ((before.kernelParams ?? '') !== (after.kernelParams ?? '')) boot.kernelParams = { from: before.kernelParams, to: after.kernelParams };

  // systemd is re-executed when its package or system.conf changes.
  const systemd = link('systemd');
  if (systemd) boot.systemd = systemd;
  else if ((before.systemConf ?? '') !== (after.systemConf ?? '')) boot.systemd = { from: 'system.conf', to: 'system.conf (changed)' };

  const triggers = diffKeysInBoth(before.rebootTriggers, after.rebootTriggers);
  if (triggers.length > 0) boot.rebootTriggers = triggers;
  const inhibitors = diffKeysInBoth(before.switchInhibitors, after.switchInhibitors);
  if (inhibitors.length > 0) boot.switchInhibitors = inhibitors;
  return boot;
}

/**
 * Keys present in BOTH maps whose values differ: how `check` treats switch-inhibitors and how
 * auto-upgrade treats reboot-triggers (a missing file counts as an empty map).
 */
export function diffKeysInBoth(before: Record<string, string> | null, after: Record<string, string> | null): KeyChange[] {
  if (!before || !after) return [];
  return Object.keys(after)
    .filter((key) => key in before && before[key] !== after[key])
    .sort()
    .map((key) => ({ key, from: readable(before[key] as string), to: readable(after[key] as string) }));
}

/** Store paths shown by name (`linux-6.6.66/bzImage`); other values unchanged. */
function readable(value: string): string {
  if (!value.startsWith('/nix/store/')) return value;
  const rest = value.slice('/nix/store/'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? storePathName(rest) : `${storePathName(rest.slice(0, slash))}${rest.slice(slash)}`;
}

/** Paths under /etc whose target changed (fstab and system.conf are analysed on their own). */
export function diffEtc(before: Record<string, string>, after: Record<string, string>): string[] {
  const skip = new Set(['fstab', 'systemd/system.conf']);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((p) => !skip.has(p) && before[p] !== after[p])
    .sort();
}
