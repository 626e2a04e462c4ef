// The TypeScript client against a live kubegate on the embedded cluster, started by this test with a fresh
// API token that the client takes from KUBEGATE_API_TOKEN: a pod created and watched until it runs, unary
// exec with exit code 3, the bidirectional exec stream (stdin echoed, exit code), a followed log, deletion,
// NOT_FOUND as a ConnectError; gRPC-web over HTTP/1.1; and Unauthenticated for a wrong token passed in code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { connect, execStream, Code, ConnectError, PodPhase, type Kubegate } from "../src/index.js";

const binary = process.env.KUBEGATE_BIN ?? join(process.cwd(), "..", "..", "target", "debug", "kubegate");
let kubegate: ChildProcess | undefined;
let dir = "";
let baseUrl = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
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

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kubegate-ts-"));
  const [grpc, http, terminal] = [await freePort(), await freePort(), await freePort()];
  // The service and the clients of this process share one fresh token, through the environment only.
  const token = randomBytes(32).toString("hex");
  kubegate = spawn(binary, ["serve", "--embedded-cluster", "--data-dir", join(dir, "data"),
    "--grpc-addr", `127.0.0.1:${grpc}`, "--http-addr", `127.0.0.1:${http}`, "--terminal-addr", `127.0.0.1:${terminal}`],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...hermeticEnv(dir), KUBEGATE_API_TOKEN: token } });
  process.env.KUBEGATE_API_TOKEN = token;
  baseUrl = `http://127.0.0.1:${grpc}`;
  const kg = connect({ baseUrl });
  let last: unknown;
  for (let i = 0; i < 300; i++) {
    try {
      await kg.pods.listPods({});
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`kubegate did not start: ${last}`);
});

after(() => {
  kubegate?.kill("SIGTERM");
  delete process.env.KUBEGATE_API_TOKEN;
  rmSync(dir, { recursive: true, force: true });
});

async function running(kg: Kubegate, name: string): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    for await (const event of kg.pods.watchPods({ sendInitialPods: true }, { signal: abort.signal })) {
      if (event.pod?.name === name && event.pod.phase === PodPhase.RUNNING) return;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

test("pods, exec, the exec stream and logs over gRPC", async () => {
  const kg = connect({ baseUrl });
  await kg.pods.createPod({
    pod: { name: "ts-client", image: "busybox:1.36", command: ["sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.2; done; sleep 600"] },
  });
  await running(kg, "ts-client");

  const answer = await kg.exec.exec({ pod: "ts-client", command: ["sh", "-c", "echo out; exit 3"] });
  assert.equal(answer.exitCode, 3);
  assert.equal(new TextDecoder().decode(answer.stdout), "out\n");

  const session = execStream(kg, { pod: "ts-client", command: ["cat"], stdin: true });
  await session.send(new TextEncoder().encode("hello over the stream\n"));
  await session.closeStdin();
  let echoed = "";
  let exit: number | undefined;
  for await (const event of session) {
    if (event.kind === "stdout") echoed += new TextDecoder().decode(event.data);
    if (event.kind === "exit") exit = event.exitCode;
  }
  assert.equal(echoed, "hello over the stream\n");
  assert.equal(exit, 0);

  let followed = "";
  const abort = new AbortController();
  for await (const message of kg.pods.followPodLogs({ name: "ts-client" }, { signal: abort.signal })) {
    if (message.event.case === "data") followed += new TextDecoder().decode(message.event.value);
    if (followed.includes("line-3\n")) break;
  }
  abort.abort();
  assert.ok(followed.startsWith("line-1\nline-2\n"), followed);

  await kg.pods.deletePod({ name: "ts-client", gracePeriodSeconds: 0n });
  await assert.rejects(kg.pods.getPod({ name: "ts-client-nowhere" }), (e: unknown) => {
    assert.ok(e instanceof ConnectError);
    assert.equal(e.code, Code.NotFound);
    return true;
  });
});

test("gRPC-web over HTTP/1.1 through tonic-web", async () => {
  const web = connect({ baseUrl, web: true });
  const report = await web.cluster.testConnection({});
  assert.equal(report.connected, true);
  await web.pods.createPod({ pod: { name: "ts-web", image: "busybox:1.36", command: ["sh", "-c", "echo via-web; sleep 600"] } });
  await running(web, "ts-web");
  const answer = await web.exec.exec({ pod: "ts-web", command: ["sh", "-c", "exit 3"] });
  assert.equal(answer.exitCode, 3);
  await web.pods.deletePod({ name: "ts-web", gracePeriodSeconds: 0n });
  await assert.rejects(web.pods.getPod({ name: "nowhere" }), (e: unknown) => e instanceof ConnectError && e.code === Code.NotFound);
});

test("a wrong token passed in code wins over the environment's and is refused", async () => {
  const wrong = connect({ baseUrl, token: "0".repeat(64) });
  await assert.rejects(wrong.pods.listPods({}), (e: unknown) => e instanceof ConnectError && e.code === Code.Unauthenticated);
  const wrongWeb = connect({ baseUrl, token: "0".repeat(64), web: true });
  await assert.rejects(wrongWeb.cluster.testConnection({}), (e: unknown) => e instanceof ConnectError && e.code === Code.Unauthenticated);
});
