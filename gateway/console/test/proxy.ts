// A TCP proxy in front of kubegate's REST port that the test controls: it can cut every open terminal
// connection at the network level (a TCP reset, no WebSocket close frame), and refuse new connections for
// a while, as a Wi-Fi blip or a sleeping laptop would.

import { type Server, type Socket, connect, createServer } from "node:net";

export interface Proxy {
  port: number;
  /** Resets every connection that carries the terminal WebSocket. */
  cutTerminals(): number;
  /** Resets every connection (the REST streams' too). */
  cutAll(): number;
  /** Until `until` (a Date.now() time), new connections are reset as soon as they arrive. */
  refuseUntil(until: number): void;
  close(): Promise<void>;
}

export function startProxy(targetPort: number): Promise<Proxy> {
  const open = new Set<{ client: Socket; upstream: Socket; terminal: boolean }>();
  let refusing = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    const pair = { client, upstream, terminal: false };
    open.add(pair);
    let first = true;
    client.on("data", (chunk: Buffer) => {
      if (first) {
        first = false;
        pair.terminal = chunk.toString("latin1", 0, 64).startsWith("GET /ws/kubernetes/exec");
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const drop = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", drop);
    upstream.on("close", drop);
    client.on("error", drop);
    upstream.on("error", drop);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        cutTerminals: () => cut((pair) => pair.terminal),
        cutAll: () => cut(() => true),
        refuseUntil: (until: number) => {
          refusing = until;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const pair of open) {
              pair.client.destroy();
              pair.upstream.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });

  function cut(which: (pair: { terminal: boolean }) => boolean): number {
    let count = 0;
    for (const pair of [...open]) {
      if (!which(pair)) continue;
      open.delete(pair);
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
      count += 1;
    }
    return count;
  }
}
