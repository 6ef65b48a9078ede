# node3: Consul/Nomad server and Nomad client.
{ ... }:
{
  imports = [
    ../../modules/common.nix
    ../../modules/server-hardware.nix
    ../../modules/cluster-server.nix
    ../../modules/nfs-client.nix
  ];
  networking.interfaces.eth0.ipv4.addresses = [{ address = "10.0.0.13"; prefixLength = 24; }];
  networking.defaultGateway = "10.0.0.1";
  system.stateVersion = "24.11";
}
