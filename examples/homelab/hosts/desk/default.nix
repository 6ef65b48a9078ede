# desk: the workstation (GPU, newest kernel, tailscale for remote access).
{ pkgs, ... }:
{
  imports = [
    ../../modules/common.nix
    ../../modules/nfs-client.nix
  ];

  boot.kernelPackages = pkgs.linuxPackages_6_12;
  boot.initrd.availableKernelModules = [ "nvme" "xhci_pci" "thunderbolt" ];
  hardware.nvidia.enable = true;
  hardware.cpu.intel.updateMicrocode = true;
  fileSystems."/" = { device = "/dev/disk/by-label/nixos"; fsType = "ext4"; };
  fileSystems."/boot" = { device = "/dev/disk/by-label/BOOT"; fsType = "vfat"; options = [ "umask=0077" ]; };

  services.tailscale.enable = true;
  environment.systemPackages = with pkgs; [ tmux jq ];

  networking.interfaces.wlp2s0.ipv4.addresses = [{ address = "10.0.0.30"; prefixLength = 24; }];
  networking.defaultGateway = "10.0.0.1";
  system.stateVersion = "24.11";
}
