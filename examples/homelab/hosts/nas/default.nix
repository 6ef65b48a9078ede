# nas: NFS server for media and backups, the lab's PostgreSQL, nightly restic backups.
{ pkgs, ... }:
{
  imports = [
    ../../modules/common.nix
    ./backup.nix
  ];

  boot.initrd.availableKernelModules = [ "ahci" "sd_mod" ];
  fileSystems."/" = { device = "/dev/disk/by-label/nixos"; fsType = "ext4"; };
  fileSystems."/export/media" = { device = "/dev/disk/by-label/media"; fsType = "ext4"; options = [ "noatime" ]; };
  fileSystems."/export/backup" = { device = "/dev/disk/by-label/backup"; fsType = "ext4"; options = [ "noatime" ]; };
  swapDevices = [{ device = "/dev/disk/by-label/swap"; }];

  services.nfs.server = {
    enable = true;
    exports = ''
      /export/media  10.0.0.0/24(rw,sync,no_subtree_check)
      /export/backup 10.0.0.0/24(rw,sync,no_subtree_check,no_root_squash)
    '';
  };

  services.postgresql = {
    enable = true;
    package = pkgs.postgresql_15;
    dataDir = "/var/lib/postgresql/15";
  };

  networking.interfaces.enp3s0.ipv4.addresses = [{ address = "10.0.0.20"; prefixLength = 24; }];
  networking.defaultGateway = "10.0.0.1";
  networking.firewall.allowedTCPPorts = [ 5432 ];
  system.stateVersion = "24.11";
}
