// A real kubegate for the browser tests: `kubegate serve --embedded-cluster` on free loopback ports, with
// an API token, in a temporary data directory; and a client of its embedded cluster's API server for what
// kubegate's API does not do (creating a PersistentVolumeClaim).

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Kubegate {
  /** The REST port's origin, where the console is served: http://127.0.0.1:PORT */
  origin: string;
  httpPort: number;
  grpcUrl: string;
  token: string;
  dataDir: string;
  /** The log kubegate wrote so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A free loopback port (free when asked; kubegate binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}

// Variables of the machine kubegate reads besides KUBEGATE_*: the kubegate under test gets none of them.
const MACHINE_VARIABLES = new Set(["KUBECONFIG", "XDG_STATE_HOME", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
  "POD_NAMESPACE", "POD_NAME", "NODE_EXTRA_CA_CERTS", "OTEL_EXPORTER_OTLP_ENDPOINT", "RUST_LOG"]);

// This process's environment without the caller's KUBEGATE_* settings, KUBECONFIG or home: `home` is HOME
// and the default kubeconfig (/workspace/.kube/kubeconfig otherwise) is looked for inside it.
function hermeticEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("KUBEGATE_") && !MACHINE_VARIABLES.has(name)) env[name] = value;
  }
  return { ...env, HOME: home, KUBEGATE_DEFAULT_KUBECONFIG: join(home, ".kube", "kubeconfig") };
}

export async function startKubegate(binary: string): Promise<Kubegate> {
  const dataDir = await mkdtemp(join(tmpdir(), "kubegate-console-"));
  const [grpcPort, httpPort, terminalPort] = [await freePort(), await freePort(), await freePort()];
  const token = randomBytes(24).toString("hex");
  let output = "";
  const child: ChildProcess = spawn(
    binary,
    [
      "serve",
      "--embedded-cluster",
      "--grpc-addr",
      `127.0.0.1:${grpcPort}`,
      "--http-addr",
      `127.0.0.1:${httpPort}`,
      "--terminal-addr",
      `127.0.0.1:${terminalPort}`,
      "--data-dir",
      dataDir,
    ],
    { env: { ...hermeticEnv(dataDir), KUBEGATE_API_TOKEN: token, RUST_LOG: "info" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${httpPort}`;
  try {
    await until("kubegate answering /healthz", 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`kubegate exited with ${child.exitCode}:\n${output}`);
      const answer = await fetch(`${origin}/healthz`);
      return answer.ok ? true : undefined;
    });
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  return {
    origin,
    httpPort,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    token,
    dataDir,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends one JSON request to the embedded cluster's API server as its administrator. */
export async function kubernetes(dataDir: string, method: string, path: string, body?: unknown): Promise<number> {
  const kubeconfig = await readFile(join(dataDir, "kubeconfig"), "utf8");
  const server = /server:\s*(\S+)/.exec(kubeconfig)?.[1];
  const ca = /certificate-authority-data:\s*(\S+)/.exec(kubeconfig)?.[1];
  const bearer = /token:\s*(\S+)/.exec(kubeconfig)?.[1];
  if (!server || !ca || !bearer) throw new Error("the embedded cluster's kubeconfig lacks server, CA or token");
  const url = new URL(path, server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca: Buffer.from(ca, "base64"),
        headers: {
          Authorization: `Bearer ${bearer}`,
          "Content-Type": "application/json",
          Accept: "application/json",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    if (payload) req.write(payload);
    req.end();
  });
}
