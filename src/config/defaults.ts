// Defaults a homelab gets without writing any config (SPEC.md "Configuration").

/** Units whose restart, reload or change can cut access or quorum (SPEC.md, Analyze). Globs. */
export const DEFAULT_CRITICAL_UNITS = [
  'sshd.service',
  'sshd.socket',
  'systemd-networkd.service',
  'systemd-networkd.socket',
  'systemd-resolved.service',
  'NetworkManager.service',
  'network-setup.service',
  'network-addresses-*.service',
  'network-link-*.service',
  'dhcpcd.service',
  'firewall.service',
  'nftables.service',
  'wireguard-*.service',
  'wg-quick-*.service',
  'tailscaled.service',
  'tinc.*.service',
  'consul.service',
  'nomad.service',
  'vault.service',
  'nix-daemon.service',
  'nix-daemon.socket',
  'dbus.service',
  'dbus.socket',
  'dbus-broker.service',
];

/** Paths that are documentation only. */
export const DEFAULT_DOCS_GLOBS = ['**/*.md', '**/*.markdown', '**/*.rst', '**/*.txt', 'docs/**', 'LICENSE*', '.github/ISSUE_TEMPLATE/**'];

/** Secret files: agenix, sops, git-crypt conventions. Contents are never read. */
export const DEFAULT_SECRET_GLOBS = [
  '**/*.age',
  'secrets/**',
  '**/secrets/**',
  '**/*.sops.yaml',
  '**/*.sops.yml',
  '**/*.sops.json',
  '**/*.enc.yaml',
  '**/*.enc.json',
  '**/secrets.nix',
  '.sops.yaml',
];

/** Where a file belongs to a single host; `{host}` is the host name. */
export const DEFAULT_HOST_PATH_PATTERNS = ['hosts/{host}/**', 'hosts/{host}.nix', 'machines/{host}/**', 'machines/{host}.nix', 'nixos/hosts/{host}/**'];

export const DEFAULT_JOB_GLOBS = ['**/*.nomad', '**/*.nomad.hcl'];
