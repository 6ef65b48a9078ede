// The one logging boundary. Progress goes to stderr (stdout is the report); everything is redacted.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Runs `fn` inside a titled, timed group (an Actions log group, or an indented block). */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  group: (_title, fn) => fn(),
};
