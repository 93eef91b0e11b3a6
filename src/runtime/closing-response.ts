// The server's response class (node:http's `ServerResponse` option): once the server
// is shutting down, each response says `Connection: close` and closes its connection
// after itself, so that a client reusing connections does not hold the shutdown open
// and sends its next request on a new connection, which another instance answers.
import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from "node:http";

export function closingResponseClass(isClosing: () => boolean): typeof ServerResponse {
  return class ClosingResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    override writeHead(
      statusCode: number,
      messageOrHeaders?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
      headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
    ): this {
      if (isClosing()) this.setHeader("Connection", "close");
      return typeof messageOrHeaders === "string"
        ? super.writeHead(statusCode, messageOrHeaders, headers)
        : super.writeHead(statusCode, messageOrHeaders);
    }
  };
}
