// Build-level rules on /etc files that carry access, authentication, name resolution or exports.
import type { Label } from '../../../model/label.js';
import type { Rule } from '../rule.js';

interface EtcPattern {
  id: string;
  label: Label;
  what: string;
  test: RegExp;
}

const PATTERNS: EtcPattern[] = [
  { id: 'etc.auth', label: 'risky', what: 'authentication (authorized keys, sudo, PAM, sshd config)', test: /^(ssh\/authorized_keys\.d\/|ssh\/sshd_config|sudoers|doas\.conf|pam\.d\/|security\/|shadow|group$|passwd$)/ },
  { id: 'etc.exports', label: 'risky', what: 'NFS server exports', test: /^exports$/ },
  { id: 'etc.network', label: 'risky', what: 'networking (resolvers, WireGuard, networkd, NetworkManager, nftables)', test: /^(resolv\.conf|wireguard\/|systemd\/network\/|NetworkManager\/|nftables|iproute2\/)/ },
];

export const etcRules: Rule[] = PATTERNS.map((p) => ({
  id: p.id,
  label: p.label,
  summary: `A file under /etc for ${p.what} changes.`,
  evaluate: ({ changeSet }) =>
    changeSet.hosts.flatMap((h) => {
      const files = h.etc.filter((f) => p.test.test(f));
      return files.length === 0 ? [] : [{ message: `${p.what} changes on ${h.host}: /etc/${files.join(', /etc/')}`, evidence: files.map((f) => ({ host: h.host, file: `/etc/${f}`, signal: p.id })) }];
    }),
}));
