// A TCP proxy between the app and PostgreSQL that can simulate a network partition:
// while partitioned it forwards nothing and closes nothing, as a cut cable would. It
// keeps reading, as the sender's kernel keeps bytes for retransmission: on heal it
// delivers what was held, except from a side that reset its connection in the meantime
// (a reset socket's kernel retransmits nothing), and that side's peer is reset too.
import { connect, createServer, type Server, type Socket } from "node:net";

export type PartitionProxy = {
  /** Where the app connects: 127.0.0.1:port. */
  port: number;
  partition: () => void;
  /** Partitions the network as the app sends `text` (e.g. a statement): that packet is held too. */
  partitionWhenSent: (text: string) => void;
  /** Resolves once what was held has been delivered (or dropped, for connections reset meanwhile). */
  heal: () => Promise<void>;
  close: () => Promise<void>;
};

type Direction = { from: Socket; outbound: boolean; held: Buffer[]; ended: boolean; reset: boolean };

export async function startPartitionProxy(target: { host: string; port: number }): Promise<PartitionProxy> {
  let partitioned = false;
  let partitionTrigger: string | undefined;
  const heldConnections: (() => void)[] = [];
  const links = new Set<{ direction: Direction; to: Socket }>();
  const sockets = new Set<Socket>();

  function pipe(direction: Direction, to: () => Socket | undefined): void {
    const { from } = direction;
    from.on("data", (chunk: Buffer) => {
      if (partitionTrigger !== undefined && direction.outbound && chunk.includes(partitionTrigger)) {
        partitioned = true;
        partitionTrigger = undefined;
      }
      const destination = to();
      if (partitioned || !destination) direction.held.push(chunk);
      else destination.write(chunk);
    });
    from.on("end", () => {
      if (partitioned || !to()) direction.ended = true;
      else to()?.end();
    });
    from.on("error", () => {
      direction.reset = true;
      direction.held = [];
      if (!partitioned) to()?.resetAndDestroy();
    });
  }

  function deliver(direction: Direction, to: Socket): void {
    if (direction.reset) {
      to.resetAndDestroy();
      return;
    }
    for (const chunk of direction.held.splice(0)) to.write(chunk);
    if (direction.ended) to.end();
  }

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    let upstream: Socket | undefined;
    const outbound: Direction = { from: client, outbound: true, held: [], ended: false, reset: false };
    pipe(outbound, () => upstream);
    const open = () => {
      if (outbound.reset) return;
      upstream = connect(target);
      sockets.add(upstream);
      const opened = upstream;
      opened.on("close", () => sockets.delete(opened));
      const inbound: Direction = { from: opened, outbound: false, held: [], ended: false, reset: false };
      pipe(inbound, () => client);
      deliver(outbound, opened);
      const pair = [
        { direction: outbound, to: opened },
        { direction: inbound, to: client },
      ];
      for (const link of pair) links.add(link);
    };
    // A connection attempt during a partition reaches the server only once it heals.
    if (partitioned) heldConnections.push(open);
    else open();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  return {
    port: address.port,
    partition: () => {
      partitioned = true;
    },
    partitionWhenSent: (text) => {
      partitionTrigger = text;
    },
    heal: async () => {
      // Resets and closes the kernel already has for the proxy's sockets are seen first (the
      // poll phase runs before setImmediate): packets sent before the heal arrive before it.
      await new Promise((resolve) => setImmediate(resolve));
      partitioned = false;
      for (const link of links) {
        deliver(link.direction, link.to);
        if (link.direction.from.destroyed) links.delete(link);
      }
      for (const open of heldConnections.splice(0)) open();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
