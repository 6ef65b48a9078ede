# Kernel, kernel modules, initrd and firmware: the parts of a toplevel that need a reboot.
{ config, pkgs, lib, ... }:
let
  cfg = config.boot;
  kernel = cfg.kernelPackages.kernel;
  version = cfg.kernelPackages.version;
  extraModules = cfg.extraModulePackages ++ lib.optional config.hardware.nvidia.enable config.hardware.nvidia.package;
  # Like nixpkgs' aggregateModules: the running kernel's modules plus out-of-tree ones.
  modulesTree = pkgs.mkDerivation {
    name = "linux-${version}-modules";
    extra = map toString extraModules;
    script = ''
      mkdir -p $out/lib/modules/${version}/extra
      cp ${kernel}/lib/modules/${version}/modules.list $out/lib/modules/${version}/
      for m in $extra; do echo "$m" >> $out/lib/modules/${version}/extra/sources; done
    '';
  };
  initrd = pkgs.mkDerivation {
    name = "initrd-linux-${version}";
    modules = cfg.initrd.availableKernelModules ++ cfg.supportedFilesystems;
    script = ''
      mkdir -p $out
      { echo "kernel ${version}"; for m in $modules; do echo "module $m"; done; } > $out/initrd
    '';
  };
in
{
  # NixOS's own names for what the toplevel links (evaluation-level analysis reads these):
  # system.modulesTree (aggregated modules), system.build.initialRamdisk, and the file names
  # of the kernel and initrd inside their packages.
  system.modulesTree = modulesTree;
  system.boot.loader = { kernelFile = "bzImage"; initrdFile = "initrd"; };
  system.build = {
    inherit kernel modulesTree initrd;
    initialRamdisk = initrd;
    firmware = pkgs.mkDerivation {
      name = "firmware";
      packages = map toString (config.hardware.firmware ++ lib.optional config.hardware.cpu.intel.updateMicrocode pkgs.intel-microcode);
      script = ''
        mkdir -p $out/lib/firmware
        for p in $packages; do echo "$p" >> $out/lib/firmware/sources; done
      '';
    };
  };
  boot.kernelParams = lib.optionals config.hardware.nvidia.enable [ "nvidia-drm.modeset=1" ];
  # A GPU driver cannot be swapped under a running kernel: switching must refuse and reboot.
  system.switch.inhibitors = lib.optionalAttrs config.hardware.nvidia.enable {
    nvidia-driver = config.hardware.nvidia.package.version;
  };
}
