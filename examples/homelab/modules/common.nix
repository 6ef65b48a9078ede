# Shared by every host: access, monitoring, admin user, tools.
{ pkgs, ... }:
{
  services.openssh.enable = true;
  services.openssh.settings.PermitRootLogin = "prohibit-password";

  # Node metrics for Prometheus; a leaf service.
  services.prometheus.exporters.node = {
    enable = true;
    enabledCollectors = [ "systemd" ];
  };

  users.users.admin = {
    isNormalUser = true;
    uid = 1000;
    extraGroups = [ "wheel" ];
    openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk3x7Vq2mN8bQeR5sT1uW4yZ6aC9dF0gH2jK3lM4nO5 admin@laptop"
    ];
  };

  environment.systemPackages = with pkgs; [ htop git vim ];

  nix.settings = {
    experimental-features = "nix-command flakes";
    auto-optimise-store = true;
  };

  time.timeZone = "Europe/Berlin";
  networking.nameservers = [ "10.0.0.1" ];
}
