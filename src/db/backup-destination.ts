// Where `superlists backup` may write, and the temporary name it writes under first.
// Writing over the live SQLite database (or its -wal/-shm/-journal) destroys it: the new
// file would meet the old WAL, and the running server keeps the old file open.
import { randomBytes } from "node:crypto";
import { lstatSync, realpathSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { BackupError } from "./backup-error.ts";

const SQLITE_FILE_SUFFIXES = ["", "-wal", "-shm", "-journal"];

/** The path with every symlink resolved, of the file or, if it does not exist, of its directory. */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Refuses a destination that is the live SQLite database at `sqlitePath` or one of its
 * files, by whatever name (relative, through symlinks, a hard link), or a directory; and
 * an existing file unless `force`.
 */
export function checkBackupDestination(destination: string, options: { force: boolean; sqlitePath?: string }): void {
  const { force, sqlitePath } = options;
  const existing = statSync(destination, { throwIfNoEntry: false });
  if (sqlitePath !== undefined && sqlitePath !== ":memory:") {
    // SQLite keeps its -wal and -shm beside the database's real file; both spellings are checked.
    const liveFiles = [realPathOf(sqlitePath), resolve(sqlitePath)].flatMap((path) =>
      SQLITE_FILE_SUFFIXES.map((suffix) => `${path}${suffix}`),
    );
    const isLiveFile =
      liveFiles.includes(realPathOf(destination)) ||
      (existing !== undefined &&
        liveFiles.some((path) => {
          const live = statSync(path, { throwIfNoEntry: false });
          return live !== undefined && sameFile(live, existing);
        }));
    if (isLiveFile) {
      throw new BackupError(
        `${destination} is the live database ${sqlitePath} (or one of its files): choose another file`,
      );
    }
  }
  if (existing?.isDirectory()) throw new BackupError(`${destination} is a directory: name the backup file`);
  if (!force && (existing !== undefined || lstatSync(destination, { throwIfNoEntry: false }) !== undefined)) {
    throw new BackupError(`${destination} exists: pass --force to replace it`);
  }
}

/**
 * A name in the destination's directory that nothing else uses, to write the backup
 * under and rename when complete: never a half-written file under the backup's name,
 * and the rename stays within one file system.
 */
export function temporaryNameFor(destination: string): string {
  return join(dirname(destination), `.${basename(destination)}.${randomBytes(6).toString("hex")}.partial`);
}
