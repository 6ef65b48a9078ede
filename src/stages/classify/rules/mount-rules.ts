// Build-level rules on /etc/fstab: options and added or removed mounts need a reboot (switch may
// remount without effect, notably NFS/CIFS); a device or type change, or a removed swap, is risky.
import type { HostChange, MountChange } from '../../../model/host-change.js';
import type { Rule } from '../rule.js';

const evidence = (h: HostChange, m: MountChange) => ({ host: h.host, unit: m.unit, file: 'etc/fstab', signal: `mount.${m.change}`, detail: `${m.from ?? '∅'} -> ${m.to ?? '∅'}` });

function mountRule(id: string, label: Rule['label'], summary: string, pick: (m: MountChange) => boolean, say: (h: HostChange, m: MountChange) => string): Rule {
  return {
    id,
    label,
    summary,
    evaluate: ({ changeSet }) => changeSet.hosts.flatMap((h) => h.mounts.filter(pick).map((m) => ({ message: say(h, m), evidence: [evidence(h, m)] }))),
  };
}

export const mountRules: Rule[] = [
  mountRule(
    'mounts.options',
    'needs-reboot',
    'Mount options change: switch remounts, which may succeed without effect (NFS/CIFS); verify live options or reboot.',
    (m) => m.change === 'options' && !m.swap,
    (h, m) => `mount options of ${m.mountPoint} change on ${h.host}${m.network ? ` (${m.fsType}: a remount may not apply them)` : ''}`,
  ),
  mountRule(
    'mounts.added-removed',
    'needs-reboot',
    'A filesystem is added or removed.',
    (m) => (m.change === 'added' || m.change === 'removed') && !m.swap,
    (h, m) => `${m.fsType} mount ${m.mountPoint} ${m.change} on ${h.host}`,
  ),
  mountRule(
    'mounts.device',
    'risky',
    'A mount changes its device or filesystem type.',
    (m) => m.change === 'device' || m.change === 'fsType',
    (h, m) => `${m.mountPoint} on ${h.host} changes its ${m.change === 'device' ? 'device' : 'filesystem type'}`,
  ),
  mountRule('swap.removed', 'risky', 'A swap device is removed.', (m) => m.swap && m.change === 'removed', (h, m) => `swap device ${m.mountPoint} removed on ${h.host}`),
  mountRule('swap.added', 'clean', 'A swap device is added.', (m) => m.swap && m.change === 'added', (h, m) => `swap device ${m.mountPoint} added on ${h.host}`),
];
