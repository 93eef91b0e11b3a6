// The `superlists` commands (see main.ts, the executable): parses the arguments,
// runs the command and turns failures into one line on stderr and an exit code.
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.ts";
import { CliError, EXIT } from "./cli-error.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerCheck } from "./commands/check.ts";
import { registerCleanup } from "./commands/cleanup.ts";
import { registerCreateSession } from "./commands/create-session.ts";
import { registerEmails } from "./commands/emails.ts";
import { registerFlush } from "./commands/flush.ts";
import { registerInfo } from "./commands/info.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerRestore } from "./commands/restore.ts";
import { registerServe } from "./commands/serve.ts";

const program = new Command("superlists")
  .description("Superlists: run the server and manage its data")
  .exitOverride()
  .showHelpAfterError();
for (const register of [
  registerServe,
  registerMigrate,
  registerCreateSession,
  registerFlush,
  registerEmails,
  registerCheck,
  registerInfo,
  registerCleanup,
  registerBackup,
  registerRestore,
]) {
  register(program);
}
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof ConfigError) {
    // A configuration the server refuses to start with: a usage error, like a bad variable.
    process.stderr.write(`superlists: ${error.message}\n`);
    process.exitCode = EXIT.usage;
  } else if (error instanceof CliError) {
    process.stderr.write(`superlists: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`superlists: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.failed;
  }
}
