// Build-level rules about whole hosts: failures, hosts added or removed, revision-only changes.
import type { HostChange } from '../../../model/host-change.js';
import { plural, type Finding, type Rule } from '../rule.js';

const perHost = (hosts: HostChange[], pick: (h: HostChange) => Finding | null): Finding[] =>
  hosts.flatMap((h) => {
    const finding = pick(h);
    return finding ? [finding] : [];
  });

export const hostRules: Rule[] = [
  {
    id: 'host.build-failed',
    label: 'risky',
    summary: 'A host (or the whole flake) failed to evaluate or build: nothing can be deployed.',
    evaluate: ({ changeSet }) => [
      ...changeSet.errors.map((e) => ({
        message: `the flake failed to ${e.phase === 'eval' ? 'evaluate' : 'build'} at ${e.revision}: ${e.lines[0] ?? ''}`,
        evidence: [{ ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}), signal: `${e.phase}-error`, detail: e.lines[0] ?? '' }],
      })),
      ...perHost(changeSet.hosts, (h) =>
        h.error
          ? {
              message: `${h.host} failed to ${h.error.phase === 'eval' ? 'evaluate' : 'build'} at ${h.error.revision}: ${h.error.lines[0] ?? ''}`,
              evidence: [{ host: h.host, ...(h.error.file ? { file: h.error.file } : {}), ...(h.error.line ? { line: h.error.line } : {}), signal: `${h.error.phase}-error` }],
            }
          : null,
      ),
    ],
  },
  {
    id: 'host.added',
    label: 'risky',
    summary: 'A new host: its first deployment has no previous generation to roll back to.',
    evaluate: ({ changeSet }) =>
      perHost(changeSet.hosts, (h) => (h.status === 'added' ? { message: `new host ${h.host}: first deployment needs a human`, evidence: [{ host: h.host, signal: 'host-added' }] } : null)),
  },
  {
    id: 'host.removed',
    label: 'risky',
    summary: 'A host removed from nixosConfigurations: Steward will not touch it; a human decides.',
    evaluate: ({ changeSet }) =>
      perHost(changeSet.hosts, (h) => (h.status === 'removed' ? { message: `host ${h.host} removed from the flake`, evidence: [{ host: h.host, signal: 'host-removed' }] } : null)),
  },
  {
    id: 'host.revision-only',
    label: 'clean',
    summary: 'The toplevel changed only by its configuration revision (self.rev): nothing to activate.',
    evaluate: ({ changeSet }) => {
      const hosts = changeSet.hosts.filter((h) => h.status === 'changed' && h.revisionOnly);
      return hosts.length === 0
        ? []
        : [{ message: `${plural(hosts.length, 'host')} changed only by the configuration revision`, evidence: hosts.map((h) => ({ host: h.host, signal: 'configuration-revision' })) }];
    },
  },
  {
    id: 'packages.database-major',
    label: 'risky',
    summary: 'A database server crosses a major version (one-way data migration).',
    evaluate: ({ changeSet }) =>
      changeSet.hosts.flatMap((h) =>
        h.packages
          .filter((p) => p.major && DATABASES.test(p.name) && h.units.some((u) => u.stateful && u.unit.startsWith(serviceStem(p.name))))
          .map((p) => ({
            message: `${p.name} server on ${h.host} crosses a major version (${p.from.join(', ')} -> ${p.to.join(', ')})`,
            evidence: [{ host: h.host, unit: h.units.find((u) => u.unit.startsWith(serviceStem(p.name)))?.unit, signal: `package.${p.name}`, detail: `${p.from.join(', ')} -> ${p.to.join(', ')}` }],
          })),
      ),
  },
];

export const packageNoteRules: Rule[] = [
  {
    id: 'packages.changed',
    label: 'clean',
    summary: 'Package versions that change in a host closure (for the record).',
    evaluate: ({ changeSet }) =>
      changeSet.hosts
        .filter((h) => h.packages.length > 0)
        .map((h) => ({
          message: `${plural(h.packages.length, 'package')} change on ${h.host}: ${h.packages
            .slice(0, 6)
            .map((p) => `${p.name} ${p.from.join('/') || '∅'} -> ${p.to.join('/') || '∅'}`)
            .join(', ')}${h.packages.length > 6 ? ', …' : ''}`,
          evidence: [{ host: h.host, signal: 'closure' }],
        })),
  },
];

const DATABASES = /^(postgresql|mysql|mariadb|mongodb|redis|influxdb|etcd|clickhouse|cockroachdb|elasticsearch|opensearch)$/;

function serviceStem(pname: string): string {
  return pname === 'mariadb' ? 'mysql' : pname;
}
