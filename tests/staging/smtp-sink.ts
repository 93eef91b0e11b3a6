// A real SMTP server for the staging run: it demands AUTH (so a missing or wrong
// EMAIL_PASSWORD fails as it would on a real provider, "530 authentication
// required"), then accepts and discards every message. Listens on a free port of
// 127.0.0.1 and prints that port as one line on stdout; logs go to stderr.
//   SMTP_SINK_USER=u SMTP_SINK_PASSWORD=p node tests/staging/smtp-sink.ts
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

const user = process.env.SMTP_SINK_USER;
const password = process.env.SMTP_SINK_PASSWORD;
if (!user || !password) {
  process.stderr.write("smtp-sink: set SMTP_SINK_USER and SMTP_SINK_PASSWORD\n");
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`smtp-sink: ${line}\n`);

const server = new SMTPServer({
  // Plain-text AUTH without TLS, as on loopback; STARTTLS off so clients don't try it.
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  authMethods: ["PLAIN", "LOGIN"],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === user && auth.password === password) {
      log(`AUTH ok as ${auth.username}`);
      callback(null, { user: auth.username });
    } else {
      log(`AUTH refused for ${auth.username ?? "(no user)"}`);
      callback(new Error("Invalid username or password"));
    }
  },
  onData(stream, session, callback) {
    stream.on("end", () => {
      log(`discarded a message to ${session.envelope.rcptTo.map((rcpt) => rcpt.address).join(", ")}`);
      callback();
    });
    stream.resume();
  },
});
server.on("error", (error) => log(`error: ${error.message}`));

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.server.address() as AddressInfo).port}\n`);
});

process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
});
