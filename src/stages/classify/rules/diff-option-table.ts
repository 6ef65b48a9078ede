// Diff-level knowledge: which NixOS options carry which risk (CLASSIFICATION.md). Matched on the
// option a changed line sets, never on words in it: a database name in a package list is clean.
import type { Label } from '../../../model/label.js';

export interface OptionCategory {
  id: string;
  label: Label;
  what: string;
  test: RegExp;
}

export const OPTION_CATEGORIES: OptionCategory[] = [
  { id: 'diff.option-declaration', label: 'clean', what: 'option declarations (no host enables them by this change alone)', test: /^options\./ },
  // An import Steward could not follow (another flake's module, a computed path): what it adds
  // or removes is unknown, so it is not clean (issue 10: never clean by default).
  { id: 'diff.import-unfollowed', label: 'risky', what: 'imports that diff level cannot follow (another flake\'s module, a computed path)', test: /^imports$/ },
  { id: 'diff.secrets-config', label: 'risky', what: 'secret management (agenix, sops)', test: /^(age\.|sops\.)/ },
  { id: 'diff.ssh', label: 'risky', what: 'sshd configuration', test: /^(services\.openssh|programs\.ssh\.knownHosts)/ },
  { id: 'diff.auth', label: 'risky', what: 'users and authentication', test: /^(users\.|security\.(pam|sudo|sudo-rs|doas|run0|polkit|wrappers)|services\.(kanidm|authelia|keycloak|authentik|lldap|openldap|sssd)|.*\.authorizedKeys)/ },
  { id: 'diff.firewall', label: 'risky', what: 'firewall rules and open ports', test: /^networking\.(firewall|nftables|nat)/ },
  { id: 'diff.network', label: 'risky', what: 'network addressing, routes, DNS and DHCP', test: /^(networking\.(interfaces|defaultGateway6?|nameservers|useDHCP|useNetworkd|networkmanager|bridges|bonds|vlans|macvlans|hostName|domain|search|dhcpcd|tempAddresses|enableIPv6)|systemd\.network|services\.(resolved|dnsmasq|unbound|bind|kea|dhcpd4|dhcpd6|coredns|blocky|adguardhome|avahi))/ },
  { id: 'diff.vpn', label: 'risky', what: 'VPNs (WireGuard, tailscale, tinc, ZeroTier)', test: /^(networking\.(wireguard|wg-quick)|services\.(tailscale|tinc|zerotierone|headscale|netbird|nebula))/ },
  { id: 'diff.cluster', label: 'risky', what: 'Consul / Nomad / Vault configuration (membership, quorum, ACL, TLS)', test: /^services\.(consul|nomad|vault)/ },
  // A state version marks one-way migrations of the data a module keeps (NixOS's own
  // system.stateVersion, and the same convention in other modules): never bump one unasked.
  { id: 'diff.state-version', label: 'risky', what: 'state versions (one-way data layout migrations)', test: /(^|\.)stateVersion$/ },
  // ZFS import behaviour and the ZFS kernel module (boot.zfs.*): takes effect at the next boot.
  { id: 'diff.zfs-boot', label: 'needs-reboot', what: 'ZFS kernel module and pool import at boot', test: /^boot\.zfs\./ },
  { id: 'diff.data', label: 'risky', what: 'data: database packages and data directories, NFS exports, ZFS, disk layouts', test: /^(services\.(postgresql|mysql|mongodb|redis|influxdb2?|etcd)\.(package|dataDir)|services\.[\w-]+\.dataDir|services\.nfs\.server|services\.zfs|disko\.|services\.samba\.shares)/ },
  { id: 'diff.system-core', label: 'risky', what: 'systemd, the Nix daemon or the NixOS release', test: /^(systemd\.(package|extraConfig)|nix\.package|system\.nixos\.release)/ },
  { id: 'diff.kernel', label: 'needs-reboot', what: 'kernel, kernel modules and kernel parameters', test: /^boot\.(kernelPackages|kernelPatches|kernelModules|extraModulePackages|kernelParams|blacklistedKernelModules|extraModprobeConfig)/ },
  { id: 'diff.boot', label: 'needs-reboot', what: 'initrd, bootloader and boot filesystems', test: /^boot\.(initrd|loader|supportedFilesystems|plymouth|consoleLogLevel)/ },
  { id: 'diff.hardware', label: 'needs-reboot', what: 'hardware: firmware, microcode, GPU drivers', test: /^(hardware\.|services\.xserver\.videoDrivers)/ },
  { id: 'diff.filesystems', label: 'needs-reboot', what: 'filesystems and mount options', test: /^(fileSystems|swapDevices)/ },
];

/** `systemd.services.<name>` (or units) -> `<name>.service`, to check it against critical units. */
export function unitOfOption(option: string): string | null {
  const match = /^systemd\.(services|sockets|timers|mounts|paths)\.("[^"]+"|[\w@-]+)/.exec(option);
  if (!match?.[2]) return null;
  const kind = { services: 'service', sockets: 'socket', timers: 'timer', mounts: 'mount', paths: 'path' }[match[1] as 'services'];
  return `${match[2].replace(/"/g, '')}.${kind}`;
}
