// Reads a child process's JavaScript heap through the inspector protocol (the
// child runs with --inspect=127.0.0.1:0): the heap in use right after a full
// garbage collection is what the process really keeps, unlike its RSS.
import { vi } from "vitest";

export type HeapInspector = {
  /** Forces a full GC in the child, then returns its used heap in bytes. */
  heapUsedAfterGc: () => Promise<number>;
  close: () => void;
};

/** Connects to the inspector whose "Debugger listening on ws://…" line appears in `output`. */
export async function connectHeapInspector(output: () => string): Promise<HeapInspector> {
  const url = await vi.waitFor(
    () => {
      const found = output().match(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/)?.[0];
      if (!found) throw new Error("no inspector URL in the server's output yet");
      return found;
    },
    { timeout: 10_000, interval: 50 },
  );
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let lastId = 0;
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {});
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++lastId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    heapUsedAfterGc: async () => {
      await call("HeapProfiler.collectGarbage");
      return Number((await call("Runtime.getHeapUsage")).usedSize);
    },
    close: () => socket.close(),
  };
}
