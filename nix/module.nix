# NixOS module: installs Steward for the deploy runner and the operators of a homelab, with the
# Nix features it calls enabled. The trigger services (webhook server, check timer,
# steward-on-failure@) arrive with the commands that back them.
self:
{ config, lib, pkgs, ... }:
let
  cfg = config.services.steward;
in
{
  options.services.steward = {
    enable = lib.mkEnableOption "Steward, the GitOps intelligence layer for this homelab";

    package = lib.mkOption {
      type = lib.types.package;
      default = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
      defaultText = lib.literalExpression "steward.packages.\${system}.default";
      description = "The Steward package.";
    };

    claudeCode = lib.mkOption {
      type = lib.types.nullOr lib.types.package;
      default = null;
      example = lib.literalExpression "pkgs.claude-code";
      description = "Claude Code for the LLM review (`llm.mode` in steward.json); null leaves it to the user's PATH.";
    };
  };

  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ cfg.package ] ++ lib.optional (cfg.claudeCode != null) cfg.claudeCode;
    nix.settings.experimental-features = [ "nix-command" "flakes" ];
  };
}
