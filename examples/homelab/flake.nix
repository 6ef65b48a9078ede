{
  description = "Example homelab for Steward: five NixOS-shaped hosts (a Consul/Nomad server trio, an NFS server, a workstation) and Nomad jobs. No inputs: it builds offline.";

  outputs = { self }:
    let
      # The platform the fixture derivations are built for (the demo rewrites it to this machine's).
      system = "x86_64-linux";
      mkHost = hostName: modules: import ./lib/eval-config.nix { inherit system hostName modules; };
    in
    {
      nixosConfigurations = {
        node1 = mkHost "node1" [ ./hosts/node1 ];
        node2 = mkHost "node2" [ ./hosts/node2 ];
        node3 = mkHost "node3" [ ./hosts/node3 ];
        nas = mkHost "nas" [ ./hosts/nas ];
        desk = mkHost "desk" [ ./hosts/desk ];
      };
    };
}
