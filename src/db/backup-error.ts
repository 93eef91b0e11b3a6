/** A backup or restore that cannot be done, with the reason an operator can act on. */
export class BackupError extends Error {}
