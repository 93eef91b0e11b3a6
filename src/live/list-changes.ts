// The changes made to lists, told to the open list pages of this process and, through a
// relay (the cluster primary on SQLite, NOTIFY on PostgreSQL), to those of the others.
import type { ListChange } from "../lists/list-change.ts";

type ChangeListener = (change: ListChange) => void;

/** How long the time of a list's last change is kept: longer than a page takes to open its stream. */
export const RECENT_CHANGE_MS = 60_000;

export class ListChanges {
  readonly #listeners = new Map<string, Set<ChangeListener>>();
  readonly #resyncListeners = new Set<() => void>();
  readonly #relays = new Set<ChangeListener>();
  /** When each recently changed list last changed (ms), oldest first. */
  readonly #changedAt = new Map<string, number>();

  /** Calls `listener` with every change to the list; returns the unsubscribe function. */
  subscribe(listId: string, listener: ChangeListener): () => void {
    let listeners = this.#listeners.get(listId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(listId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(listId);
    };
  }

  /** Calls `listener` when changes may have been missed (a relay reconnected). */
  onResync(listener: () => void): () => void {
    this.#resyncListeners.add(listener);
    return () => this.#resyncListeners.delete(listener);
  }

  /** Sends every change made in this process to `relay` too; returns the function that stops it. */
  relayTo(relay: ChangeListener): () => void {
    this.#relays.add(relay);
    return () => this.#relays.delete(relay);
  }

  /** A change made in this process: to its own streams, and to the other processes'. */
  publish(change: ListChange): void {
    this.deliver(change);
    for (const relay of this.#relays) relay(change);
  }

  /** A change made here or in another process, told to this process's streams. */
  deliver(change: ListChange): void {
    const now = Date.now();
    this.#changedAt.delete(change.listId);
    this.#changedAt.set(change.listId, now);
    for (const [listId, at] of this.#changedAt) {
      if (at > now - RECENT_CHANGE_MS) break;
      this.#changedAt.delete(listId);
    }
    for (const listener of this.#listeners.get(change.listId) ?? []) listener(change);
  }

  /**
   * Whether the list changed at or after `time` (ms; a page's render time, from the server
   * that rendered it): a page that opens its stream late then refreshes at once.
   */
  changedSince(listId: string, time: number): boolean {
    return (this.#changedAt.get(listId) ?? 0) >= time;
  }

  /** Every stream refreshes: changes may have been missed. */
  resync(): void {
    for (const listener of this.#resyncListeners) listener();
  }
}

/** A change as received from another process, if it has the right shape. */
export function parseListChange(value: unknown): ListChange | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { listId, requestId, access } = value as Record<string, unknown>;
  if (typeof listId !== "string" || typeof access !== "boolean") return undefined;
  if (requestId !== undefined && typeof requestId !== "string") return undefined;
  return { listId, requestId, access };
}
