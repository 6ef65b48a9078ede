// Build-level rules on what needs a reboot (kernel, initrd, modules, params, firmware, reboot
// triggers, switch inhibitors) and on systemd re-executing itself.
import type { BootChange, HostChange } from '../../../model/host-change.js';
import type { Rule } from '../rule.js';

type LinkKey = 'kernel' | 'initrd' | 'kernelModules' | 'kernelParams' | 'firmware';

function linkRule(id: string, key: LinkKey, what: string): Rule {
  return {
    id,
    label: 'needs-reboot',
    summary: `The ${what} changes: it takes effect at the next boot.`,
    evaluate: ({ changeSet }) =>
      changeSet.hosts.flatMap((h) => {
        const change = h.boot[key];
        if (!change) return [];
        return [{ message: `${what} changes on ${h.host}: ${change.from ?? '∅'} -> ${change.to ?? '∅'}`, evidence: [{ host: h.host, signal: key, detail: `${change.from ?? '∅'} -> ${change.to ?? '∅'}` }] }];
      }),
  };
}

function keysRule(id: string, key: 'rebootTriggers' | 'switchInhibitors', what: string): Rule {
  return {
    id,
    label: 'needs-reboot',
    summary: `A ${what} entry differs between the systems (NixOS's own reboot signal).`,
    evaluate: ({ changeSet }) =>
      changeSet.hosts.flatMap((h: HostChange) =>
        (h.boot[key] as NonNullable<BootChange[typeof key]> | undefined)?.filter((k) => key !== 'rebootTriggers' || !coveredByLinks(h, k.key)).map((k) => ({
          message: `${what} "${k.key}" changes on ${h.host}${key === 'switchInhibitors' ? ': switch refuses, deploy with boot and reboot' : ''}`,
          evidence: [{ host: h.host, signal: `${id.split('.')[1]}.${k.key}`, detail: `${k.from ?? '∅'} -> ${k.to ?? '∅'}` }],
        })) ?? [],
      ),
  };
}

/** reboot-triggers repeats the kernel, firmware and kernel-params: say it once. */
function coveredByLinks(h: HostChange, key: string): boolean {
  return (key === 'kernel' && Boolean(h.boot.kernel)) || (key === 'firmware' && Boolean(h.boot.firmware)) || (key === 'kernel-params' && Boolean(h.boot.kernelParams));
}

export const bootRules: Rule[] = [
  linkRule('boot.kernel', 'kernel', 'kernel'),
  linkRule('boot.initrd', 'initrd', 'initrd'),
  linkRule('boot.kernel-modules', 'kernelModules', 'kernel module tree'),
  linkRule('boot.kernel-params', 'kernelParams', 'kernel command line'),
  linkRule('boot.firmware', 'firmware', 'firmware'),
  keysRule('boot.reboot-triggers', 'rebootTriggers', 'reboot trigger'),
  keysRule('boot.switch-inhibitors', 'switchInhibitors', 'switch inhibitor'),
  {
    id: 'systemd.reexec',
    label: 'risky',
    summary: 'systemd itself changes ("would restart systemd"): every service is at stake.',
    evaluate: ({ changeSet }) =>
      changeSet.hosts.flatMap((h) =>
        h.boot.systemd
          ? [{ message: `switch would restart systemd on ${h.host}`, evidence: [{ host: h.host, signal: 'systemd', detail: `${h.boot.systemd.from ?? '∅'} -> ${h.boot.systemd.to ?? '∅'}` }] }]
          : [],
      ),
  },
];
