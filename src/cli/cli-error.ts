// Failures the CLI reports as one line on stderr, with a documented exit code.

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refusedInProduction: 3,
} as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message);
    this.exitCode = exitCode;
  }
}
