# Option defaults. Lists here are additive (the mini module system concatenates lists), so
# options that hosts replace rather than extend default to [] and are filled in by their module.
{ pkgs, ... }:
{
  boot = {
    kernelPackages = pkgs.linuxPackages;
    kernelParams = [ "loglevel=4" ];
    kernelModules = [ ];
    extraModulePackages = [ ];
    initrd.availableKernelModules = [ "ext4" "virtio_blk" "virtio_pci" ];
    supportedFilesystems = [ ];
    # Bootloader settings with NixOS's names (no bootloader is installed by the fixture).
    loader = { grub = { enable = true; device = "nodev"; efiSupport = false; }; systemd-boot.enable = false; efi.canTouchEfiVariables = false; timeout = 5; };
  };
  hardware = {
    firmware = [ pkgs.linux-firmware ];
    cpu.intel.updateMicrocode = false;
    nvidia = { enable = false; package = pkgs.nvidia-x11; };
  };
  systemd = { package = pkgs.systemd; services = { }; timers = { }; extraConfig = ""; };
  environment = { etc = { }; systemPackages = [ pkgs.coreutils pkgs.bash ]; };
  fileSystems = { };
  swapDevices = [ ];
  services = {
    openssh = { enable = false; ports = [ ]; settings = { PasswordAuthentication = false; PermitRootLogin = "prohibit-password"; }; };
    consul = { enable = false; server = false; bootstrapExpect = 3; retryJoin = [ ]; datacenter = "home"; package = pkgs.consul; };
    nomad = { enable = false; server = false; client = true; bootstrapExpect = 3; hostVolumes = { }; package = pkgs.nomad; };
    prometheus.exporters.node = { enable = false; port = 9100; enabledCollectors = [ ]; };
    nfs.server = { enable = false; exports = ""; };
    tailscale.enable = false;
    postgresql = { enable = false; package = pkgs.postgresql_15; dataDir = "/var/lib/postgresql"; };
  };
  networking = {
    hostName = "";
    domain = "home.arpa";
    firewall = { enable = true; allowedTCPPorts = [ ]; allowedUDPPorts = [ ]; extraCommands = ""; };
    interfaces = { };
    defaultGateway = null;
    nameservers = [ ];
  };
  users.users = { };
  nix = { package = pkgs.nix; settings = { }; };
  time.timeZone = "UTC";
  system = {
    stateVersion = "24.11";
    nixos.release = "24.11";
    configurationRevision = null;
    switch.inhibitors = { };
    # Synthetic evaluation work per host (benchmarks use it to stand in for nixpkgs' module system).
    evalCost = 0;
  };
}
