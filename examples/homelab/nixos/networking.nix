# Host name, static addresses, default gateway and resolvers: the units that can cut access.
{ config, pkgs, lib, ... }:
let
  cfg = config.networking;
  addressUnit = name: iface: {
    description = "Address configuration of ${name}";
    after = [ "network-pre.target" ];
    script = lib.concatMapStrings (a: "ip addr add ${a.address}/${toString a.prefixLength} dev ${name}\n") (iface.ipv4.addresses or [ ]);
    serviceConfig.Type = "oneshot";
    serviceConfig.RemainAfterExit = true;
  };
in
{
  environment.etc.hostname.text = "${cfg.hostName}\n";
  environment.etc."resolv.conf".text = lib.concatMapStrings (ns: "nameserver ${ns}\n") cfg.nameservers;
  systemd.services =
    (builtins.listToAttrs (lib.mapAttrsToList (n: i: { name = "network-addresses-${n}"; value = addressUnit n i; }) cfg.interfaces))
    // lib.optionalAttrs (cfg.defaultGateway != null) {
      network-setup = {
        description = "Networking Setup";
        script = "ip route replace default via ${cfg.defaultGateway}\n";
        serviceConfig.Type = "oneshot";
        serviceConfig.RemainAfterExit = true;
      };
    };
}
