/**
 * kubegate's TypeScript client: the generated messages and service descriptors (src/gen, protobuf-es),
 * Connect clients over gRPC (HTTP/2) or gRPC-web (HTTP/1.1, through tonic-web), and `execStream`, an async
 * iterator over the bidirectional exec stream.
 *
 *   const kg = connect({ baseUrl: "http://127.0.0.1:50051" });   // token: options.token, else $KUBEGATE_API_TOKEN
 *   const answer = await kg.exec.exec({ pod: "p", command: ["sh", "-c", "exit 3"] });   // exitCode 3
 *   const session = execStream(kg, { pod: "p", command: ["cat"], stdin: true });
 *   await session.send(new TextEncoder().encode("hi\n")); await session.closeStdin();
 *   for await (const event of session) { ... }                                           // stdout, exit
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

import { ClusterService } from "./gen/kubegate/v1/cluster_pb.js";
import {
  ExecService,
  ExecStartSchema,
  ExecStreamRequestSchema,
  type ExecStreamRequest,
  ExecEndReason,
} from "./gen/kubegate/v1/exec_pb.js";
import { NetworkService } from "./gen/kubegate/v1/network_pb.js";
import { PodService } from "./gen/kubegate/v1/pods_pb.js";
import { WorkflowService } from "./gen/kubegate/v1/workflows_pb.js";

export * from "./gen/kubegate/v1/common_pb.js";
export * from "./gen/kubegate/v1/pods_pb.js";
export * from "./gen/kubegate/v1/exec_pb.js";
export * from "./gen/kubegate/v1/network_pb.js";
export * from "./gen/kubegate/v1/cluster_pb.js";
export * from "./gen/kubegate/v1/workflows_pb.js";
export { Code, ConnectError } from "@connectrpc/connect";

/** How to reach kubegate. */
export interface Options {
  /** The gRPC address, for example "http://127.0.0.1:50051". */
  baseUrl: string;
  /** The API token, when the service has one; when absent (or empty), the environment variable
   * KUBEGATE_API_TOKEN is used. */
  token?: string;
  /** Use gRPC-web over HTTP/1.1 (server streams work; bidirectional streams need plain gRPC). */
  web?: boolean;
}

/** One client per service. */
export interface Kubegate {
  pods: Client<typeof PodService>;
  exec: Client<typeof ExecService>;
  network: Client<typeof NetworkService>;
  cluster: Client<typeof ClusterService>;
  workflows: Client<typeof WorkflowService>;
  transport: Transport;
}

/** The environment variable the token is taken from when none is passed in code. */
export const TOKEN_VARIABLE = "KUBEGATE_API_TOKEN";

/** Connects to kubegate; every call carries the API token (`options.token`, else $KUBEGATE_API_TOKEN). */
export function connect(options: Options): Kubegate {
  const interceptors: Interceptor[] = [];
  const token = (options.token || globalThis.process?.env?.[TOKEN_VARIABLE] || "").trim();
  if (token) {
    const value = `Bearer ${token}`;
    interceptors.push((next) => (request) => {
      request.header.set("authorization", value);
      return next(request);
    });
  }
  const transport = options.web
    ? createGrpcWebTransport({ baseUrl: options.baseUrl, httpVersion: "1.1", interceptors })
    : createGrpcTransport({ baseUrl: options.baseUrl, interceptors });
  return {
    pods: createClient(PodService, transport),
    exec: createClient(ExecService, transport),
    network: createClient(NetworkService, transport),
    cluster: createClient(ClusterService, transport),
    workflows: createClient(WorkflowService, transport),
    transport,
  };
}

/** An event of an exec stream, simplified. */
export type ExecEvent =
  | { kind: "started"; sessionId: string }
  | { kind: "stdout" | "stderr"; data: Uint8Array; offset: bigint }
  | { kind: "gap"; requestedOffset: bigint; resumedOffset: bigint }
  | { kind: "exit"; exitCode: number }
  | { kind: "ended"; reason: string; message: string };

/** A running exec session: send input, iterate events until the exit event. */
export interface ExecSession extends AsyncIterable<ExecEvent> {
  send(data: Uint8Array): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  closeStdin(): Promise<void>;
  /** Leaves the session (kept by the service for a reattach during its grace period). */
  close(): void;
}

/** A bounded queue feeding the request stream: `push` waits while it is full (backpressure). */
class Inputs implements AsyncIterable<ExecStreamRequest> {
  private items: ExecStreamRequest[] = [];
  private waiting: ((r: IteratorResult<ExecStreamRequest>) => void) | undefined;
  private room: (() => void)[] = [];
  private done = false;
  constructor(private readonly capacity = 64) {}
  async push(item: ExecStreamRequest): Promise<void> {
    while (this.items.length >= this.capacity && !this.done) {
      await new Promise<void>((resolve) => this.room.push(resolve));
    }
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }
  end(): void {
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.room.splice(0).forEach((r) => r());
  }
  private take(): Promise<ExecStreamRequest | undefined> {
    const item = this.items.shift();
    this.room.shift()?.();
    if (item) return Promise.resolve(item);
    if (this.done) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = (r) => resolve(r.done ? undefined : r.value)));
  }
  // A generator, so the transport may end it early (return/throw) when the call ends.
  async *[Symbol.asyncIterator](): AsyncGenerator<ExecStreamRequest> {
    try {
      for (;;) {
        const item = await this.take();
        if (item === undefined) return;
        yield item;
      }
    } finally {
      this.end();
    }
  }
}

/** Starts an interactive command; an empty command is a shell. */
export function execStream(kg: Kubegate, start: MessageInitShape<typeof ExecStartSchema> & { pod: string }): ExecSession {
  const inputs = new Inputs();
  const abort = new AbortController();
  void inputs.push(create(ExecStreamRequestSchema, { kind: { case: "start", value: create(ExecStartSchema, start) } }));
  const responses = kg.exec.execStream(inputs, { signal: abort.signal });
  const input = (kind: ExecStreamRequest["kind"]) => inputs.push(create(ExecStreamRequestSchema, { kind }));
  return {
    send: (data) => input({ case: "input", value: { kind: { case: "stdin", value: data } } as never }),
    resize: (cols, rows) => input({ case: "input", value: { kind: { case: "resize", value: { cols, rows } } } as never }),
    closeStdin: () => input({ case: "input", value: { kind: { case: "closeStdin", value: true } } as never }),
    close: () => {
      inputs.end();
      abort.abort();
    },
    async *[Symbol.asyncIterator]() {
      for await (const response of responses) {
        const event = response.event?.kind;
        switch (event?.case) {
          case "started":
            yield { kind: "started", sessionId: event.value.sessionId };
            break;
          case "stdout":
          case "stderr":
            yield { kind: event.case, data: event.value.data, offset: event.value.offset };
            break;
          case "gap":
            yield { kind: "gap", requestedOffset: event.value.requestedOffset, resumedOffset: event.value.resumedOffset };
            break;
          case "exit":
            inputs.end();
            if (event.value.reason === ExecEndReason.EXITED) {
              yield { kind: "exit", exitCode: event.value.exitCode };
            } else {
              yield { kind: "ended", reason: ExecEndReason[event.value.reason], message: event.value.message };
            }
            return;
          default:
            break;
        }
      }
    },
  };
}
