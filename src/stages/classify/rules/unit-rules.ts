// Build-level rules on systemd units: critical units touched, changes switch would not apply,
// stateful units removed, and (for the record) leaf units restarted.
import type { HostChange, UnitChange } from '../../../model/host-change.js';
import { capEvidence, plural, type Rule } from '../rule.js';

const ACTION_WORDS: Record<UnitChange['action'], string> = {
  start: 'starts',
  stop: 'stops',
  restart: 'restarts',
  reload: 'reloads',
  skip: 'would NOT restart',
  none: 'leaves',
};

const unitEvidence = (h: HostChange, u: UnitChange) => ({ host: h.host, unit: u.unit, signal: `unit.${u.action}`, detail: u.why });

export const unitRules: Rule[] = [
  {
    id: 'units.critical',
    label: 'risky',
    summary: 'A critical unit (sshd, networking, firewall, VPN, consul/nomad/vault, nix-daemon, dbus) changes.',
    evaluate: ({ changeSet, isCritical }) =>
      changeSet.hosts.flatMap((h) =>
        h.units
          .filter((u) => isCritical(u.unit) && u.action !== 'none')
          .map((u) => ({ message: `switch ${ACTION_WORDS[u.action]} ${u.unit} on ${h.host} (${u.change}): it can cut access or quorum`, evidence: [unitEvidence(h, u)] })),
      ),
  },
  {
    id: 'units.not-applied',
    label: 'risky',
    summary: 'A changed unit switch would NOT restart: the new configuration would not take effect.',
    evaluate: ({ changeSet, isCritical }) =>
      changeSet.hosts.flatMap((h) =>
        h.units
          .filter((u) => u.action === 'skip' && !isCritical(u.unit))
          .map((u) => ({ message: `${u.unit} on ${h.host} changes but switch would NOT restart it (${u.why})`, evidence: [unitEvidence(h, u)] })),
      ),
  },
  {
    id: 'units.stateful-removed',
    label: 'risky',
    summary: 'A unit that keeps data (StateDirectory=, a database) is removed.',
    evaluate: ({ changeSet }) =>
      changeSet.hosts.flatMap((h) =>
        h.units
          .filter((u) => u.change === 'removed' && u.stateful)
          .map((u) => ({ message: `${u.unit}, which keeps data, is removed from ${h.host}`, evidence: [unitEvidence(h, u)] })),
      ),
  },
  {
    id: 'units.leaf',
    label: 'clean',
    summary: 'Leaf units started, stopped, restarted or reloaded (nothing else depends on them).',
    evaluate: ({ changeSet, isCritical }) =>
      changeSet.hosts.flatMap((h) => {
        const leaf = h.units.filter((u) => !isCritical(u.unit) && u.action !== 'skip' && !(u.change === 'removed' && u.stateful) && u.action !== 'none');
        if (leaf.length === 0) return [];
        const summary = (['restart', 'reload', 'start', 'stop'] as const)
          .map((action) => ({ action, units: leaf.filter((u) => u.action === action).map((u) => u.unit) }))
          .filter((g) => g.units.length > 0)
          .map((g) => `${ACTION_WORDS[g.action]} ${g.units.join(', ')}`)
          .join('; ');
        return [{ message: `${h.host}: ${summary} (${plural(leaf.length, 'leaf unit')})`, evidence: capEvidence(leaf.map((u) => unitEvidence(h, u)), 8) }];
      }),
  },
];
