// Reads a server-sent event stream (text/event-stream) as a browser's EventSource would:
// the next message, or the stream's end, awaited as they come (no polling, no sleeps).

export type StreamEvent = { id?: string; data: string; retry?: number };

/** The Turbo message a list's stream sends when the list changed. */
export const REFRESH = /^<turbo-stream action="refresh"( request-id="[^"]+")?><\/turbo-stream>$/;

export class EventStreamReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  /** Heartbeat comment lines seen so far. */
  comments = 0;

  constructor(response: Response) {
    if (!response.body) throw new Error("the response has no body");
    this.#reader = response.body.getReader();
  }

  /** The next event with data (events that only set an id or a retry delay are skipped); undefined once the stream has ended. */
  async next(): Promise<StreamEvent | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end !== -1) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = this.#parse(block);
        if (event && event.data !== "") return event;
        continue;
      }
      const { done, value } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Resolves once the server has ended the stream, after any events still to come (returned). */
  async ended(): Promise<StreamEvent[]> {
    const rest: StreamEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) rest.push(event);
    return rest;
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }

  #parse(block: string): StreamEvent | undefined {
    const data: string[] = [];
    const event: StreamEvent = { data: "" };
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "id") event.id = value;
      else if (field === "retry") event.retry = Number(value);
    }
    event.data = data.join("\n");
    return event;
  }
}
