// The demo's commits on the example homelab: each is a real edit, with the label and rule ids a
// correct review must give (the tests assert them, so the demo cannot drift into a lie).
import type { Label } from '../model/label.js';
import type { ReviewOutcome } from '../model/review.js';

export interface Edit {
  file: string;
  /** Exact text to find (must occur once) and its replacement; or `content` for a whole file; or `remove`. */
  find?: string;
  replace?: string;
  content?: string;
  remove?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  /** What a human would write in the commit. */
  message: string;
  edits: Edit[];
  expect: {
    label: Label;
    /** Rule ids that must appear among the reasons, each with the hosts it must cite. */
    reasons: { ruleId: string; hosts?: string[] }[];
    /** Hosts whose toplevel must change (build level). */
    changedHosts: string[];
    /** Nomad jobs that must change. */
    changedJobs?: string[];
    /** The review outcome, when not `reviewed` (e.g. `validation-failed`). */
    outcome?: ReviewOutcome;
  };
}

export const HOST_SCENARIOS: Scenario[] = [
  {
    id: 'leaf-service',
    title: 'A leaf service change (the homepage on node1)',
    message: 'homepage: rename the dashboard',
    edits: [{ file: 'modules/services/homepage.nix', find: 'title: Homelab', replace: 'title: Homelab dashboard' }],
    expect: { label: 'clean', reasons: [{ ruleId: 'units.leaf', hosts: ['node1'] }], changedHosts: ['node1'] },
  },
  {
    id: 'kernel-bump',
    title: 'A kernel bump on one host (nas: 6.6 -> 6.12)',
    message: 'nas: move to the 6.12 kernel',
    edits: [{ file: 'hosts/nas/default.nix', find: '  boot.initrd.availableKernelModules', replace: '  boot.kernelPackages = pkgs.linuxPackages_6_12;\n  boot.initrd.availableKernelModules' }],
    expect: { label: 'needs-reboot', reasons: [{ ruleId: 'boot.kernel', hosts: ['nas'] }, { ruleId: 'boot.initrd', hosts: ['nas'] }], changedHosts: ['nas'] },
  },
  {
    id: 'nfs-mount-options',
    title: 'An NFS mount option change (every NFS client)',
    message: 'nfs: mount media with noatime',
    edits: [{ file: 'modules/nfs-client.nix', find: 'options = [ "nfsvers=4.2" "_netdev" "x-systemd.automount" ];\n  };\n  fileSystems."/mnt/backup"', replace: 'options = [ "nfsvers=4.2" "_netdev" "x-systemd.automount" "noatime" ];\n  };\n  fileSystems."/mnt/backup"' }],
    expect: { label: 'needs-reboot', reasons: [{ ruleId: 'mounts.options', hosts: ['node1', 'node2', 'node3', 'desk'] }], changedHosts: ['desk', 'node1', 'node2', 'node3'] },
  },
  {
    id: 'sshd-port',
    title: 'An sshd change (nas also listens on port 2222)',
    message: 'nas: second ssh port for the backup box',
    edits: [{ file: 'hosts/nas/default.nix', find: '  services.postgresql = {', replace: '  services.openssh.ports = [ 22 2222 ];\n\n  services.postgresql = {' }],
    expect: { label: 'risky', reasons: [{ ruleId: 'units.critical', hosts: ['nas'] }, { ruleId: 'etc.auth', hosts: ['nas'] }], changedHosts: ['nas'] },
  },
  {
    id: 'shared-module',
    title: 'A shared-module change that reaches every host (node exporter collectors, tmux everywhere)',
    message: 'common: more node metrics, tmux on every host',
    edits: [
      { file: 'modules/common.nix', find: 'enabledCollectors = [ "systemd" ];', replace: 'enabledCollectors = [ "systemd" "processes" "interrupts" ];' },
      { file: 'modules/common.nix', find: 'with pkgs; [ htop git vim ]', replace: 'with pkgs; [ htop git vim tmux ]' },
    ],
    expect: { label: 'clean', reasons: [{ ruleId: 'units.leaf', hosts: ['node1', 'node2', 'node3', 'nas', 'desk'] }], changedHosts: ['desk', 'nas', 'node1', 'node2', 'node3'] },
  },
  {
    id: 'docs-only',
    title: 'A docs-only change',
    message: 'docs: explain the host roles',
    edits: [{ file: 'README.md', find: '# Example homelab', replace: '# Example homelab\n\nSee the table below for what runs where.' }],
    expect: { label: 'clean', reasons: [{ ruleId: 'repo.docs-only' }], changedHosts: [] },
  },
];
