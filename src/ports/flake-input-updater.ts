// Updating one input of a flake's lock file in place (`nix flake update <input>`).

export interface FlakeInputUpdater {
  /** Rewrites `flake.lock` in `flakeDir` with `input` at its newest revision; throws CommandError on failure. */
  updateInput(flakeDir: string, input: string): Promise<void>;
}
