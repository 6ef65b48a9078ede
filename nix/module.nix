# NixOS module: installs Steward for the deploy runner and the operators of a homelab, with the
# Nix features it calls enabled, and the units of its agent: the webhook listener
# (steward-serve.service), the health check (steward-check.service + .timer) and the
# steward-on-failure@.service template that chosen units name in OnFailure=.
self:
{ config, lib, pkgs, ... }:
let
  cfg = config.services.steward;
  steward = "${cfg.package}/bin/steward";
  repoArgs = [ "--repo" cfg.repository ] ++ lib.optionals (cfg.configFile != null) [ "--config" cfg.configFile ];
  stateDir = "/var/lib/steward";

  # Shared by every unit: one user, one state database, secrets only as systemd credentials
  # (Steward reads $CREDENTIALS_DIRECTORY/<NAME> when the variable <NAME> is unset).
  common = {
    User = cfg.user;
    Group = cfg.group;
    StateDirectory = "steward";
    StateDirectoryMode = "0700";
    CacheDirectory = "steward";
    WorkingDirectory = stateDir;
    LoadCredential = lib.mapAttrsToList (name: file: "${name}:${file}") cfg.credentials;
    Environment = [
      "STEWARD_STATE_FILE=${stateDir}/state.db"
      "XDG_STATE_HOME=${stateDir}"
      "XDG_CACHE_HOME=/var/cache/steward"
      "HOME=${stateDir}"
    ];
    # Hardening: Steward needs the network (SSH, Nomad, Consul, GitHub), the Nix daemon's socket
    # and its repository checkout; nothing else of the system is writable or visible.
    UMask = "0077";
    NoNewPrivileges = true;
    ProtectSystem = "strict";
    ProtectHome = true;
    ReadWritePaths = [ cfg.repository ];
    PrivateTmp = true;
    PrivateDevices = true;
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    ProtectProc = "invisible";
    RestrictSUIDSGID = true;
    RestrictRealtime = true;
    RestrictNamespaces = true;
    LockPersonality = true;
    RemoveIPC = true;
    SystemCallArchitectures = "native";
    SystemCallFilter = [ "@system-service" "~@privileged" ];
    RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" ];
    CapabilityBoundingSet = "";
    AmbientCapabilities = "";
    # Node's JIT writes executable memory: MemoryDenyWriteExecute would kill it.
    MemoryDenyWriteExecute = false;
  };
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
      description = "Claude Code for the LLM review and agent sessions (`llm.mode` in steward.json); null leaves it to the user's PATH.";
    };

    repository = lib.mkOption {
      type = lib.types.str;
      default = "${stateDir}/homelab";
      description = "The checkout of the homelab repository the agent units work in (its `steward.json` configures them).";
    };

    configFile = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      description = "A configuration file other than the repository's `steward.json`.";
    };

    user = lib.mkOption {
      type = lib.types.str;
      default = "steward";
      description = "The system user of the agent units (created when it is `steward`).";
    };

    group = lib.mkOption {
      type = lib.types.str;
      default = "steward";
      description = "The group of the agent units.";
    };

    credentials = lib.mkOption {
      type = lib.types.attrsOf lib.types.str;
      default = { };
      example = lib.literalExpression ''{ GITHUB_TOKEN = "/run/secrets/steward-github-token"; STEWARD_ALERTMANAGER_TOKEN = "/run/secrets/am-token"; }'';
      description = ''
        Secrets as systemd credentials (`LoadCredential=NAME:FILE`), never in the Nix store: the
        name is the environment variable steward.json names (`tokenEnv`, `secretEnv`, ...).
      '';
    };

    serve = {
      enable = lib.mkEnableOption "`steward serve`, the Alertmanager and GitHub webhook listener";
      listen = lib.mkOption {
        type = lib.types.nullOr lib.types.str;
        default = null;
        example = "127.0.0.1:9447";
        description = "`host:port` to listen on; null keeps `serve.listen` of steward.json (loopback by default).";
      };
      workers = lib.mkOption {
        type = lib.types.ints.between 1 16;
        default = 2;
        description = "Jobs run at once.";
      };
    };

    check = {
      enable = lib.mkEnableOption "the periodic health check (`steward check`)";
      onCalendar = lib.mkOption {
        type = lib.types.str;
        default = "hourly";
        description = "When the health check runs (systemd calendar expression).";
      };
    };

    onFailure = {
      enable = lib.mkEnableOption "the `steward-on-failure@.service` template (`steward on-failure <unit>`)";
      units = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "postgresql" "nomad" ];
        description = "Services (names without `.service`) that start `steward-on-failure@<unit>.service` when they fail.";
      };
    };
  };

  config = lib.mkIf cfg.enable (lib.mkMerge [
    {
      environment.systemPackages = [ cfg.package ] ++ lib.optional (cfg.claudeCode != null) cfg.claudeCode;
      nix.settings.experimental-features = [ "nix-command" "flakes" ];
    }

    (lib.mkIf (cfg.serve.enable || cfg.check.enable || cfg.onFailure.enable) {
      users.users = lib.optionalAttrs (cfg.user == "steward") {
        steward = { isSystemUser = true; group = cfg.group; home = stateDir; description = "Steward agent"; };
      };
      users.groups = lib.optionalAttrs (cfg.group == "steward") { steward = { }; };
    })

    (lib.mkIf cfg.serve.enable {
      systemd.services.steward-serve = {
        description = "Steward webhook listener (Alertmanager, GitHub)";
        wantedBy = [ "multi-user.target" ];
        wants = [ "network-online.target" ];
        after = [ "network-online.target" ];
        path = lib.optional (cfg.claudeCode != null) cfg.claudeCode;
        serviceConfig = common // {
          Type = "exec";
          ExecStart = lib.escapeShellArgs ([ steward "serve" "--workers" (toString cfg.serve.workers) ] ++ repoArgs ++ lib.optionals (cfg.serve.listen != null) [ "--listen" cfg.serve.listen ]);
          Restart = "on-failure";
          RestartSec = "5s";
          # SIGTERM: stop taking requests, interrupt running jobs; the queue keeps them for the next start.
          TimeoutStopSec = "30s";
        };
      };
    })

    (lib.mkIf cfg.check.enable {
      systemd.services.steward-check = {
        description = "Steward health check";
        wants = [ "network-online.target" ];
        after = [ "network-online.target" ];
        path = lib.optional (cfg.claudeCode != null) cfg.claudeCode;
        serviceConfig = common // {
          Type = "oneshot";
          ExecStart = lib.escapeShellArgs ([ steward "check" ] ++ repoArgs);
          # Exit 9: the session escalated to a person. The check did its job; the unit is not failed.
          SuccessExitStatus = [ 10 ];
        };
      };
      systemd.timers.steward-check = {
        description = "Steward health check, periodically";
        wantedBy = [ "timers.target" ];
        timerConfig = {
          OnCalendar = cfg.check.onCalendar;
          Persistent = true;
          RandomizedDelaySec = "5m";
        };
      };
    })

    (lib.mkIf cfg.onFailure.enable {
      # %i is the failed unit's name, as OnFailure=steward-on-failure@%n.service passes it.
      systemd.services = {
        "steward-on-failure@" = {
          description = "Steward investigates the failure of %i";
          wants = [ "network-online.target" ];
          after = [ "network-online.target" ];
          path = lib.optional (cfg.claudeCode != null) cfg.claudeCode;
          serviceConfig = common // {
            Type = "oneshot";
            ExecStart = "${lib.escapeShellArg steward} on-failure %i ${lib.escapeShellArgs repoArgs}";
            SuccessExitStatus = [ 10 ];
          };
        };
      }
      # Steward's own units never get it: a failing investigation must not start another one.
      // lib.genAttrs (lib.filter (unit: !(lib.hasPrefix "steward-" unit)) cfg.onFailure.units) (_: { onFailure = [ "steward-on-failure@%n.service" ]; });
    })
  ]);
}
