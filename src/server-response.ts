// The server's response class (node:http's `ServerResponse` option). Two things happen
// as a response is sent: once the server is closing, it closes its connection after
// itself; and its end waits for the end of the event loop's turn, so that the responses
// finished in one turn go out together, the way uWebSockets corks its sockets.
//
// Why the wait pays (docs/performance.md, change 26): a client waiting for a response
// sleeps, and every write that wakes it costs the server's CPU (on a virtual machine an
// inter-processor interrupt, in the kernel under `write`). Written together, the first
// response wakes the client and the others find it awake: on loopback, with the bench's
// load generator as the client, `GET /` cost 30-33 µs of server CPU per request against
// 43-49, the list of 10 62-67 against 105-118. A response waits at most for the rest of
// the turn it was finished in.
import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from "node:http";

/** What `end` was called with: (callback?), (chunk, callback?) or (chunk, encoding, callback?). */
type EndArguments = unknown[];

export type ServerResponseHooks = {
  /** Whether the server is shutting down. */
  isClosing: () => boolean;
  /** A response failed to end (a bug: its connection is closed instead). */
  onEndError: (error: Error) => void;
};

/** A `ServerResponse` class for one server. */
export function serverResponseClass({ isClosing, onEndError }: ServerResponseHooks): typeof ServerResponse {
  const waiting: { response: TurnBatchedResponse; args: EndArguments }[] = [];
  const endWaiting = () => {
    for (const { response, args } of waiting.splice(0)) response.endNow(args);
  };

  class TurnBatchedResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    override writeHead(
      statusCode: number,
      messageOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
      headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
    ): this {
      // A kept-alive connection would hold shutdown open until it times out, or for good
      // behind a proxy that keeps reusing it: no bookkeeping per request (change 20).
      if (isClosing()) this.setHeader("Connection", "close");
      return typeof messageOrHeaders === "string"
        ? super.writeHead(statusCode, messageOrHeaders, headers)
        : super.writeHead(statusCode, messageOrHeaders);
    }

    override end(callback?: () => void): this;
    override end(chunk: unknown, callback?: () => void): this;
    override end(chunk: unknown, encoding: BufferEncoding, callback?: () => void): this;
    override end(...args: EndArguments): this {
      // setImmediate runs right after the I/O callbacks of the current turn.
      if (waiting.length === 0) setImmediate(endWaiting);
      waiting.push({ response: this, args });
      return this;
    }

    endNow(args: EndArguments): void {
      try {
        Reflect.apply(ServerResponse.prototype.end, this, args);
      } catch (thrown) {
        // Thrown from here, it would take the process down with every other waiting response.
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        this.destroy(error);
        onEndError(error);
      }
    }
  }
  return TurnBatchedResponse;
}
