# Users: authorized keys land in /etc/ssh/authorized_keys.d/<user>, as in NixOS.
{ config, lib, ... }:
{
  environment.etc = builtins.listToAttrs (lib.mapAttrsToList
    (name: u: {
      name = "ssh/authorized_keys.d/${name}";
      value.text = lib.concatMapStrings (k: "${k}\n") (u.openssh.authorizedKeys.keys or [ ]);
    })
    config.users.users);
}
