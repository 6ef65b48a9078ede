// Terminal logger: progress on stderr (stdout stays clean for reports and --json), redacted.
import type { Logger } from '../ports/logger.js';
import type { Redactor } from '../redact.js';

export interface TerminalLoggerOptions {
  redactor: Redactor;
  verbose?: boolean;
  quiet?: boolean;
  write?: (line: string) => void;
}

export function createTerminalLogger(options: TerminalLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let depth = 0;
  const emit = (prefix: string, message: string) => {
    const indent = '  '.repeat(depth);
    for (const line of options.redactor.redact(message).split('\n')) write(`${indent}${prefix}${line}`);
  };
  return {
    info: (m) => !options.quiet && emit('', m),
    warn: (m) => emit('warning: ', m),
    error: (m) => emit('error: ', m),
    debug: (m) => options.verbose && emit('debug: ', m),
    async group(title, fn) {
      if (!options.quiet) emit('▸ ', title);
      const started = performance.now();
      depth++;
      try {
        return await fn();
      } finally {
        depth--;
        if (options.verbose) emit('  ', `(${title}: ${Math.round(performance.now() - started)} ms)`);
      }
    },
  };
}
