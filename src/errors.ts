// The small error hierarchy. Adapters convert library errors into these; only the composition
// roots turn them into exit codes. Expected outcomes (a risky label, a failed build) are values.

export class StewardError extends Error {
  override readonly name: string = 'StewardError';
}

/** Invalid configuration or usage: every problem at once. Exit code 2. */
export class ConfigError extends StewardError {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export class UsageError extends StewardError {
  override readonly name = 'UsageError';
}

/** A command that failed. `stderr` is already redacted. */
export class CommandError extends StewardError {
  override readonly name = 'CommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    message?: string,
  ) {
    super(message ?? `${command} failed${exitCode === undefined ? '' : ` with exit code ${exitCode}`}`);
  }
}

/** A git revision or repository problem the user can fix (bad --base, shallow clone). */
export class GitError extends StewardError {
  override readonly name = 'GitError';
}

export class ApiError extends StewardError {
  override readonly name = 'ApiError';
  constructor(
    readonly service: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(`${service}: ${message}`);
  }
}
