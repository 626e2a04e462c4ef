// Talking to kubegate: the REST routes under /api/kubernetes on the page's own origin, with the API token
// from the tab's sessionStorage in the Authorization header (never in a URL), and its event streams read
// with fetch (EventSource cannot send a header).

const TOKEN_KEY = "kubegate.token";
export const API = "/api/kubernetes";

/** The token this tab was given, if any. */
export function token(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? "";
  } catch {
    return "";
  }
}

export function setToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer that was not a success: the HTTP status and kubegate's `{error, code}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Called when the server asks for a token (401), so the page can ask the person for one. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

function headers(extra: Record<string, string> = {}): Headers {
  const result = new Headers(extra);
  const current = token();
  if (current) result.set("Authorization", `Bearer ${current}`);
  return result;
}

async function failure(response: Response): Promise<ApiError> {
  let code = "UNKNOWN";
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (typeof body?.error === "string") message = body.error;
    if (typeof body?.code === "string") code = body.code;
  } catch {
    // Not JSON: keep the status line.
  }
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, code, message);
}

/** One JSON call: the parsed body, or an ApiError. */
export async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, headers: headers(), signal, cache: "no-store" };
  if (body !== undefined) {
    (init.headers as Headers).set("Content-Type", "application/json");
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, init);
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Query string from the non-empty entries. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** One server-sent event: its name (the `type`) and its JSON data. */
export interface StreamEvent {
  type: string;
  [key: string]: unknown;
}

/**
 * Reads a server-sent event stream (`Accept: text/event-stream`) and calls `onEvent` for each event,
 * until the stream ends (resolves) or fails (rejects with an ApiError, or the fetch error). Abort with
 * `signal`.
 */
export async function stream(
  method: string,
  path: string,
  onEvent: (event: StreamEvent) => void,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<void> {
  const init: RequestInit = {
    method,
    headers: headers({ Accept: "text/event-stream" }),
    signal: options.signal,
    cache: "no-store",
  };
  if (options.body !== undefined) {
    (init.headers as Headers).set("Content-Type", "application/json");
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(`${API}/${path}`, init);
  if (!response.ok) throw await failure(response);
  if (!response.body) throw new ApiError(0, "UNAVAILABLE", "the stream has no body");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        // The end of one event: its data lines joined are one JSON object with its type.
        if (data.length > 0) {
          try {
            const event = JSON.parse(data.join("\n")) as StreamEvent;
            if (event && typeof event.type === "string" && event.type !== "keepalive") onEvent(event);
          } catch {
            // A keepalive comment or a malformed event: nothing to show.
          }
        }
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
      // `event:` repeats the type, `:` lines are comments (keepalives).
    }
  }
}

/** A pod as the list shows it. */
export interface PodSummary {
  name: string;
  namespace: string;
  phase: string;
  ready: boolean;
  restartCount: number;
  age: number;
  image?: string;
  nodeName: string;
  podIP: string;
  exitCode?: number;
}
