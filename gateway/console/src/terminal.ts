// A shell in a pod: xterm.js over kubegate's terminal WebSocket (/ws/kubernetes/exec).
//
// The protocol: keystrokes go as binary frames (raw stdin bytes, so nothing typed is ever taken for a
// control message); `{"type":"resize","cols","rows"}` as text. The server sends output as text and control
// messages as JSON objects with a `type`: `session` (its id and the offset it starts from), `exit`,
// `error`, `gap`. The token travels as a subprotocol entry next to `kubegate.terminal`, never in the URL.
//
// A connection that drops without a close frame leaves the session running on the server for its grace
// period; this client reconnects with `session=ID&offset=N`, N being the session's offset plus the UTF-8
// bytes of output received, and gets exactly what it missed: no gap, no repeat.

import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";

import { token } from "./api";
import { installCspStyles } from "./csp-styles";

export interface TerminalTarget {
  namespace: string;
  pod: string;
  container?: string;
  /** Reattach to this session instead of starting one. */
  session?: string;
  /** The offset to resume from when reattaching. */
  offset?: number;
}

export type TerminalState = "connecting" | "connected" | "reconnecting" | "ended";

const PROTOCOL = "kubegate.terminal";
/** How long to keep trying to reattach: the server's default grace period. */
const REATTACH_FOR_MS = 60_000;

/** The subprotocol entries carrying the token: `bearer.<token>`, or Kubernetes' base64url form when the
 * token has characters a subprotocol cannot hold. */
function tokenProtocols(): string[] {
  const value = token();
  if (!value) return [];
  if (/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(value)) return [`bearer.${value}`];
  const bytes = new TextEncoder().encode(value);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const encoded = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return [`base64url.bearer.authorization.k8s.io.${encoded}`];
}

export class PodTerminal {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly encoder = new TextEncoder();
  private socket: WebSocket | null = null;
  private sessionId: string | undefined;
  private offset = 0;
  private ended = false;
  private closing = false;
  private droppedAt = 0;
  private retryTimer = 0;
  private attempts = 0;
  private readonly observer: ResizeObserver;

  constructor(
    host: HTMLElement,
    private readonly target: TerminalTarget,
    private readonly onState: (state: TerminalState, detail: string) => void,
    /** Where Shift+Escape moves the focus: the shell takes Tab, so the keyboard needs a way out. */
    private readonly exit?: HTMLElement,
  ) {
    installCspStyles();
    this.term = new Terminal({
      cursorBlink: true,
      convertEol: false,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      fontSize: 14,
      scrollback: 5000,
      screenReaderMode: false,
    });
    this.term.loadAddon(this.fit);
    this.term.open(host);
    this.sessionId = target.session;
    this.offset = target.offset ?? 0;
    this.fitNow();
    this.term.attachCustomKeyEventHandler((event) => {
      if (event.type === "keydown" && event.key === "Escape" && event.shiftKey && this.exit) {
        this.exit.focus();
        return false;
      }
      return true;
    });
    this.term.onData((data) => this.send(this.encoder.encode(data)));
    this.term.onBinary((data) => {
      const bytes = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i += 1) bytes[i] = data.charCodeAt(i) & 0xff;
      this.send(bytes);
    });
    this.term.onResize(({ cols, rows }) => {
      if (this.socket?.readyState === WebSocket.OPEN) {
        this.socket.send(JSON.stringify({ type: "resize", cols, rows }));
      }
    });
    this.observer = new ResizeObserver(() => this.fitNow());
    this.observer.observe(host);
    this.connect();
  }

  /** The session this terminal is attached to, once the server said. */
  get session(): string | undefined {
    return this.sessionId;
  }

  private fitNow(): void {
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet (hidden): the observer fits it when it is.
    }
  }

  private send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  private url(): string {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const params = new URLSearchParams();
    if (this.sessionId) {
      params.set("session", this.sessionId);
      params.set("offset", String(this.offset));
    } else {
      params.set("pod", this.target.pod);
      params.set("namespace", this.target.namespace);
      if (this.target.container) params.set("container", this.target.container);
      params.set("cols", String(this.term.cols));
      params.set("rows", String(this.term.rows));
    }
    return `${scheme}//${location.host}/ws/kubernetes/exec?${params}`;
  }

  private connect(): void {
    const reattaching = this.sessionId !== undefined;
    this.onState(reattaching && this.droppedAt ? "reconnecting" : "connecting", "");
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url(), [PROTOCOL, ...tokenProtocols()]);
    } catch (e) {
      this.finish(`could not open the terminal: ${(e as Error).message}`);
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.droppedAt = 0;
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.ended || this.closing) return;
      if (event.code >= 4000) {
        this.finish(event.reason || `closed with ${event.code}`);
        return;
      }
      if (!this.sessionId) {
        this.finish(event.reason || "the terminal closed before it started");
        return;
      }
      // Dropped without an exit: the session still runs on the server; reattach from where we are.
      if (!this.droppedAt) this.droppedAt = Date.now();
      if (Date.now() - this.droppedAt > REATTACH_FOR_MS) {
        this.finish("the connection stayed down longer than the session waits");
        return;
      }
      this.attempts += 1;
      const delay = Math.min(250 * 2 ** (this.attempts - 1), 4000);
      this.onState("reconnecting", `reattaching in ${Math.round(delay / 100) / 10}s`);
      this.retryTimer = window.setTimeout(() => this.connect(), delay);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") {
      // The server sends text; bytes would be output all the same.
      const bytes = new Uint8Array(data as ArrayBuffer);
      this.offset += bytes.length;
      this.term.write(bytes);
      return;
    }
    const control = this.control(data);
    if (!control) {
      this.offset += this.encoder.encode(data).length;
      this.term.write(data);
      return;
    }
    switch (control.type) {
      case "session":
        this.sessionId = String(control.sessionId);
        if (typeof control.offset === "number") this.offset = control.offset;
        this.onState("connected", this.sessionId);
        // The size may have changed while the connection was down.
        this.socket?.send(JSON.stringify({ type: "resize", cols: this.term.cols, rows: this.term.rows }));
        break;
      case "gap":
        this.term.write(`\r\n\x1b[33m[output from byte ${control.requestedOffset} to ${control.resumedOffset} was lost]\x1b[0m\r\n`);
        this.offset = Number(control.resumedOffset);
        break;
      case "exit": {
        const how = control.code === null || control.code === undefined ? `${control.reason ?? "ended"}` : `exit ${control.code}`;
        this.term.write(`\r\n\x1b[2m[session ended: ${how}]\x1b[0m\r\n`);
        this.finish(how);
        break;
      }
      case "error":
        this.term.write(`\r\n\x1b[31m[${control.code}: ${control.message}]\x1b[0m\r\n`);
        break;
    }
  }

  /** A control message: a JSON object whose `type` is one the server sends; anything else is output. */
  private control(text: string): Record<string, unknown> | null {
    if (!text.startsWith("{") || !text.endsWith("}")) return null;
    try {
      const value = JSON.parse(text);
      if (value && typeof value === "object" && ["session", "exit", "error", "gap"].includes(value.type)) return value;
    } catch {
      // Output that looks like JSON but is not.
    }
    return null;
  }

  private finish(detail: string): void {
    this.ended = true;
    window.clearTimeout(this.retryTimer);
    this.onState("ended", detail);
  }

  /** Ends the terminal: the socket closes cleanly, which ends the shell on the server. */
  dispose(): void {
    this.closing = true;
    window.clearTimeout(this.retryTimer);
    this.observer.disconnect();
    this.socket?.close(1000, "closed by the console");
    this.term.dispose();
  }
}
