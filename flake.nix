{
  description = "Steward: GitOps intelligence for NixOS + Nomad homelabs (review, classify, deploy, verify).";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        steward = pkgs.callPackage ./nix/package.nix { src = self; };
        default = steward;
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${pkgs.stdenv.hostPlatform.system}.default}/bin/steward";
        };
      });

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [ pkgs.nodejs_20 pkgs.git pkgs.nix pkgs.openssh pkgs.python3 ];
          shellHook = ''
            echo "Steward dev shell: npm ci && npm test"
          '';
        };
      });

      nixosModules.default = import ./nix/module.nix self;
    };
}
