// Repository-level rules: secrets, docs-only and cosmetic changes, flake input bumps.
import type { InputBump } from '../../../model/repo-change.js';
import { capEvidence, plural, type Rule } from '../rule.js';

const NIXPKGS = /^(nixpkgs|nixos)([-_].*)?$/;
const HARDWARE = /^nixos-hardware$/;
// Judged by where an input comes from when flake.lock says it (an input named `hardware` can be
// nixos-hardware, one named `nixpkgs-update` is not nixpkgs); by its name otherwise.
const NIXPKGS_SOURCE = /(^|\/)nixpkgs(\.git)?$|\/nixpkgs\/|nixos\.org\/channels\/|channels\.nixos\.org\//i;
const HARDWARE_SOURCE = /(^|\/)nixos\/nixos-hardware(\.git)?$/i;

const isHardware = (i: InputBump) => (i.source ? HARDWARE_SOURCE.test(i.source) : HARDWARE.test(i.input));
const isNixpkgs = (i: InputBump) => !isHardware(i) && (i.source ? NIXPKGS_SOURCE.test(i.source) : NIXPKGS.test(i.input));

export const repoRules: Rule[] = [
  {
    id: 'repo.secrets',
    label: 'risky',
    summary: 'Encrypted or secret files (agenix, sops, git-crypt) changed: their content cannot be reviewed.',
    evaluate: ({ changeSet }) =>
      changeSet.repo.secrets.length === 0
        ? []
        : [
            {
              message: `${plural(changeSet.repo.secrets.length, 'secret file')} changed; encrypted content is never read, so the change cannot be reviewed`,
              evidence: capEvidence(changeSet.repo.secrets.map((file) => ({ file, signal: 'secret' }))),
            },
          ],
  },
  {
    id: 'repo.unreadable',
    label: 'risky',
    summary: 'A changed Nix file or file in a host folder is not text (NUL byte, invalid UTF-8, binary): nothing in it can be reviewed.',
    evaluate: ({ changeSet }) => {
      const files = changeSet.repo.files.filter((f) => f.unreadable && (f.kind === 'nix' || f.hosts.length > 0));
      return files.map((f) => ({
        message: `${f.path} cannot be read as text (a NUL byte, invalid UTF-8 or binary content), so its change cannot be reviewed`,
        evidence: [{ file: f.path, ...(f.hosts.length === 1 ? { host: f.hosts[0] } : {}), signal: 'unreadable' }],
      }));
    },
  },
  {
    id: 'repo.docs-only',
    label: 'clean',
    summary: 'Only documentation changed.',
    evaluate: ({ changeSet }) =>
      changeSet.repo.docsOnly
        ? [{ message: 'documentation only', evidence: capEvidence(changeSet.repo.files.map((f) => ({ file: f.path }))) }]
        : [],
  },
  {
    id: 'repo.cosmetic',
    label: 'clean',
    summary: 'Files whose change is only comments or formatting (even in sensitive files).',
    evaluate: ({ changeSet }) => {
      const files = changeSet.repo.files.filter((f) => f.cosmetic && f.kind !== 'docs');
      return files.length === 0 ? [] : [{ message: `only comments or formatting changed in ${plural(files.length, 'file')}`, evidence: capEvidence(files.map((f) => ({ file: f.path }))) }];
    },
  },
  {
    id: 'repo.nixpkgs-bump',
    label: 'risky',
    summary: 'A nixpkgs input bump that reaches many hosts (threshold `classify.nixpkgsBumpHosts`).',
    evaluate: ({ changeSet, nixpkgsBumpHosts }) =>
      changeSet.repo.inputs
        .filter((i) => isNixpkgs(i) && i.change === 'updated')
        .flatMap((i) => {
          // Without a build we cannot tell which hosts it reaches: assume all of them.
          const reaches = i.reaches ?? changeSet.hosts.map((h) => h.host);
          const many = i.reaches === null || reaches.length >= nixpkgsBumpHosts;
          return [
            {
              label: many ? ('risky' as const) : ('clean' as const),
              message: `input ${i.input} bumped ${i.from ?? '?'} -> ${i.to ?? '?'}, reaching ${i.reaches === null ? 'an unknown number of hosts (no build)' : plural(reaches.length, 'host')}`,
              evidence: [{ file: 'flake.lock', signal: `input.${i.input}`, detail: `${i.from ?? '?'} -> ${i.to ?? '?'}` }, ...reaches.slice(0, 10).map((host) => ({ host }))],
            },
          ];
        }),
  },
  {
    id: 'repo.hardware-input',
    label: 'needs-reboot',
    summary: 'A hardware-quirk input (nixos-hardware) bump.',
    evaluate: ({ changeSet }) =>
      changeSet.repo.inputs
        .filter(isHardware)
        .map((i) => ({ message: `hardware quirks input ${i.input} changed`, evidence: [{ file: 'flake.lock', signal: `input.${i.input}`, detail: `${i.from ?? '-'} -> ${i.to ?? '-'}` }] })),
  },
  {
    id: 'repo.input-bump',
    label: 'clean',
    summary: 'Other flake input bumps (their effect is judged on the hosts they reach).',
    evaluate: ({ changeSet }) =>
      changeSet.repo.inputs
        .filter((i) => !isNixpkgs(i) && !isHardware(i))
        .map((i) => ({ message: `input ${i.input} ${i.change}`, evidence: [{ file: 'flake.lock', signal: `input.${i.input}`, detail: `${i.from ?? '-'} -> ${i.to ?? '-'}` }] })),
  },
];
