// Evaluation level: options whose evaluated value changed and that no toplevel file shows as
// such (the kernel version, users, firewall ports, bootloader, stateVersion, release). For the
// report; the label comes from the same signals as at build level. A password is never shown:
// only whether one is set.
import type { KeyChange } from '../../../model/host-change.js';
import type { HostEvalValues } from '../../../ports/nix-eval-values.js';

export function optionChanges(before: HostEvalValues, after: HostEvalValues): KeyChange[] {
  const changes: KeyChange[] = [];
  const add = (key: string, from: string | null, to: string | null) => {
    if (from !== to) changes.push({ key, from, to });
  };
  const list = (values: string[]) => values.join(' ');
  add('boot.kernelPackages.kernel.version', before.kernel.version, after.kernel.version);
  add('boot.kernelModules', list(before.kernelModules), list(after.kernelModules));
  for (const key of [...new Set([...Object.keys(before.bootloader), ...Object.keys(after.bootloader)])].sort()) {
    add(`boot.loader.${key}`, json(before.bootloader[key]), json(after.bootloader[key]));
  }
  for (const name of [...new Set([...Object.keys(before.users), ...Object.keys(after.users)])].sort()) {
    const a = before.users[name];
    const b = after.users[name];
    const prefix = `users.users.${name}`;
    if (!a || !b) {
      add(prefix, a ? 'defined' : null, b ? 'defined' : null);
      continue;
    }
    add(`${prefix}.uid`, a.uid === null ? null : String(a.uid), b.uid === null ? null : String(b.uid));
    if (list(a.authorizedKeys) !== list(b.authorizedKeys)) changes.push({ key: `${prefix}.openssh.authorizedKeys.keys`, from: keys(a.authorizedKeys.length), to: keys(b.authorizedKeys.length) });
    add(`${prefix}.hashedPassword`, a.hasPassword ? 'set' : 'unset', b.hasPassword ? 'set' : 'unset');
  }
  const fw = (v: HostEvalValues) => v.firewall;
  add('networking.firewall.enable', String(fw(before).enable), String(fw(after).enable));
  add('networking.firewall.allowedTCPPorts', ports(fw(before).tcp), ports(fw(after).tcp));
  add('networking.firewall.allowedUDPPorts', ports(fw(before).udp), ports(fw(after).udp));
  add('networking.firewall.allowedTCPPortRanges', ports(fw(before).tcpRanges), ports(fw(after).tcpRanges));
  add('networking.firewall.allowedUDPPortRanges', ports(fw(before).udpRanges), ports(fw(after).udpRanges));
  add('system.stateVersion', before.stateVersion, after.stateVersion);
  add('system.nixos.release', before.release, after.release);
  return changes;
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
}

function keys(n: number): string {
  return `${n} key${n === 1 ? '' : 's'}`;
}

/** Sorted and de-duplicated: NixOS opens each port once whatever the order of definitions. */
function ports(values: string[]): string {
  return [...new Set(values)].sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b)).join(' ');
}
