// The event streams open in this process: counted for the metrics, capped per client
// address, and ended all at once when the server shuts down.

/** Streams one client address may hold open at once (tabs and devices behind one address). */
export const STREAMS_PER_ADDRESS = 20;

let openInProcess = 0;

/** Streams open in this process, for the metrics gauge. */
export function openEventStreamsInProcess(): number {
  return openInProcess;
}

export class OpenStreams {
  readonly #perAddress: number;
  readonly #byAddress = new Map<string, number>();
  readonly #enders = new Set<() => void>();
  #ending = false;

  constructor(perAddress = STREAMS_PER_ADDRESS) {
    this.#perAddress = perAddress;
  }

  get count(): number {
    return this.#enders.size;
  }

  /** True once the server shuts down: a stream opened now ends at once. */
  get ending(): boolean {
    return this.#ending;
  }

  /**
   * Counts a stream from `address`, which `end` ends; returns the function to call once
   * it has ended, or undefined when the address holds too many already.
   */
  add(address: string, end: () => void): (() => void) | undefined {
    const held = this.#byAddress.get(address) ?? 0;
    if (held >= this.#perAddress) return undefined;
    this.#byAddress.set(address, held + 1);
    this.#enders.add(end);
    openInProcess++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#enders.delete(end);
      openInProcess--;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.#byAddress.delete(address);
      else this.#byAddress.set(address, left);
    };
  }

  /** Ends every stream (shutdown): clients reconnect, to the next release. */
  endAll(): void {
    this.#ending = true;
    for (const end of this.#enders) end();
  }
}
