# Disk layout shared by the three mini-PCs of the cluster.
{ ... }:
{
  boot.initrd.availableKernelModules = [ "nvme" "xhci_pci" "usb_storage" ];
  hardware.cpu.intel.updateMicrocode = true;
  fileSystems."/" = { device = "/dev/disk/by-label/nixos"; fsType = "ext4"; };
  fileSystems."/boot" = { device = "/dev/disk/by-label/BOOT"; fsType = "vfat"; options = [ "umask=0077" ]; };
  swapDevices = [{ device = "/dev/disk/by-label/swap"; }];
}
