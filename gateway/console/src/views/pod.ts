// One pod: its summary and containers, its logs followed live, a one-shot command, a terminal, and its
// exec sessions.

import { ApiError, call, query, stream } from "../api";
import { age, announce, checkbox, errorLine, field, h, replace, table } from "../dom";
import type { Stop } from "../main";
import { PodTerminal, type TerminalState } from "../terminal";
import { podLink } from "./pods";

const TABS: [string, string][] = [
  ["summary", "Summary"],
  ["logs", "Logs"],
  ["exec", "Run a command"],
  ["terminal", "Terminal"],
  ["sessions", "Sessions"],
];

/** The Kubernetes pod object, as far as the console reads it. */
interface PodObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
  spec?: { nodeName?: string; containers?: { name: string; image?: string; command?: string[]; args?: string[] }[] };
  status?: {
    phase?: string;
    podIP?: string;
    startTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: Record<string, { reason?: string; exitCode?: number; startedAt?: string; message?: string }>;
    }[];
  };
}

export function podView(main: HTMLElement, namespace: string, name: string, tab: string, extra?: string): Stop {
  const pod = { namespace, name };
  const tabs = h(
    "nav",
    { class: "tabs", "aria-label": `Views of pod ${name}` },
    ...TABS.map(([id, label]) =>
      h("a", { href: podLink(pod, id), "aria-current": id === tab ? "page" : null }, label),
    ),
  );
  const panel = h("section", { class: "panel", "aria-label": TABS.find(([id]) => id === tab)?.[1] ?? "Summary" });
  replace(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/pods" }, "Pods"), " / ", namespace),
    h("h1", {}, name),
    tabs,
    panel,
  );
  switch (tab) {
    case "logs":
      return logsPanel(panel, pod);
    case "exec":
      return execPanel(panel, pod);
    case "terminal":
      return terminalPanel(panel, pod, extra);
    case "sessions":
      return sessionsPanel(panel, pod);
    default:
      return summaryPanel(panel, pod);
  }
}

type Pod = { namespace: string; name: string };

function podPath(pod: Pod, suffix = ""): string {
  return `pods/${encodeURIComponent(pod.name)}${suffix}`;
}

async function fetchPod(pod: Pod, signal?: AbortSignal): Promise<PodObject> {
  const answer = await call<{ pod: PodObject }>("GET", podPath(pod, query({ namespace: pod.namespace })), undefined, signal);
  return answer.pod ?? {};
}

function summaryPanel(panel: HTMLElement, pod: Pod): Stop {
  const controller = new AbortController();
  panel.append(h("p", { class: "muted" }, "Loading…"));
  fetchPod(pod, controller.signal)
    .then((object) => {
      const status = object.status ?? {};
      const labels = Object.entries(object.metadata?.labels ?? {}).map(([k, v]) => h("li", {}, h("code", {}, `${k}=${v}`)));
      const facts = h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Phase"),
        h("dd", {}, status.phase ?? ""),
        h("dt", {}, "Node"),
        h("dd", {}, object.spec?.nodeName ?? ""),
        h("dt", {}, "Pod IP"),
        h("dd", {}, status.podIP ?? ""),
        h("dt", {}, "Started"),
        h("dd", {}, status.startTime ?? object.metadata?.creationTimestamp ?? ""),
        h("dt", {}, "Labels"),
        h("dd", {}, h("ul", { class: "names" }, ...labels)),
      );
      const containers = h("tbody");
      for (const c of object.spec?.containers ?? []) {
        const s = status.containerStatuses?.find((x) => x.name === c.name);
        const [stateName, detail] = Object.entries(s?.state ?? {})[0] ?? ["unknown", {}];
        const stateText = [stateName, detail.reason, detail.exitCode !== undefined ? `exit ${detail.exitCode}` : ""]
          .filter(Boolean)
          .join(", ");
        containers.append(
          h(
            "tr",
            {},
            h("td", {}, c.name),
            h("td", { class: "image" }, c.image ?? ""),
            h("td", {}, h("code", {}, [...(c.command ?? []), ...(c.args ?? [])].join(" "))),
            h("td", {}, stateText),
            h("td", {}, s?.ready ? "yes" : "no"),
            h("td", {}, s?.restartCount ?? 0),
          ),
        );
      }
      const conditions = h("tbody");
      for (const c of status.conditions ?? []) {
        conditions.append(h("tr", {}, h("td", {}, c.type), h("td", {}, c.status), h("td", {}, c.reason ?? ""), h("td", {}, c.message ?? "")));
      }
      replace(
        panel,
        facts,
        table("Containers", ["Name", "Image", "Command", "State", "Ready", "Restarts"], containers),
        conditions.children.length ? table("Conditions", ["Type", "Status", "Reason", "Message"], conditions) : null,
        h("p", { class: "muted" }, "Events are not shown: kubegate's API has no events route."),
      );
    })
    .catch((e: Error) => {
      if (e.name !== "AbortError") replace(panel, errorLine(e.message));
    });
  return () => controller.abort();
}

/** The most log lines kept in the page. */
const MAX_LINES = 20_000;

/** A log line as the server sends it with timestamps: its RFC 3339 time and its text. */
interface LogLine {
  stamp: string;
  text: string;
}

/** An RFC 3339 time with its fraction padded to nanoseconds, so that times compare as strings. */
function stampKey(stamp: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(stamp);
  return match ? `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}${match[3]}` : stamp;
}

function parseLine(raw: string): LogLine {
  const space = raw.indexOf(" ");
  const stamp = space > 0 ? raw.slice(0, space) : "";
  return /^\d{4}-\d\d-\d\dT/.test(stamp) ? { stamp, text: raw.slice(space + 1) } : { stamp: "", text: raw };
}

/**
 * Logs followed live. The server is always asked for timestamps (shown or not): when the connection
 * drops, the follow resumes from the last line's time and the lines already shown are skipped, so a
 * network blip leaves neither a gap nor a repeat.
 */
function logsPanel(panel: HTMLElement, pod: Pod): Stop {
  let follow = new AbortController();
  let stopped = false;
  let paused = false;
  const lines: LogLine[] = [];
  let held = 0;
  let retry = 0;
  let retryTimer = 0;
  /** The newest time shown, and the lines shown at exactly that time (a resume starts there). */
  let lastKey = "";
  let atLast = new Set<string>();

  const container = h("select", { name: "container" });
  const previous = checkbox("Previous run of the container", false, "previous");
  const timestamps = checkbox("Timestamps", false, "timestamps");
  const search = h("input", { type: "search", name: "search", autocomplete: "off", spellcheck: "false" });
  const pause = h("button", { type: "button", "aria-pressed": "false" }, "Pause");
  const download = h("button", { type: "button" }, "Download");
  const state = h("span", { class: "badge", id: "log-state" }, "connecting");
  const counter = h("span", { class: "muted", "aria-live": "polite" });
  const output = h("pre", { class: "log", id: "log-lines", tabindex: 0, "aria-label": "Log lines" });
  const message = h("div");

  replace(
    panel,
    h(
      "div",
      { class: "toolbar" },
      field("Container", container),
      previous.row,
      timestamps.row,
      field("Search", search),
      pause,
      download,
      h("span", { class: "live" }, "Log: ", state, " ", counter),
    ),
    message,
    output,
  );

  const setState = (text: string, kind = "") => {
    state.textContent = text;
    state.className = `badge ${kind}`;
  };
  const shownText = (line: LogLine) => (timestamps.input.checked && line.stamp ? `${line.stamp} ${line.text}` : line.text);
  const matches = (line: LogLine) => {
    const needle = search.value.trim().toLowerCase();
    return !needle || shownText(line).toLowerCase().includes(needle);
  };
  const showAll = () => {
    const shown = lines.filter(matches).map(shownText);
    output.textContent = shown.length ? `${shown.join("\n")}\n` : "";
    counter.textContent = search.value.trim() ? `${shown.length} of ${lines.length} lines match` : `${lines.length} lines`;
    output.scrollTop = output.scrollHeight;
  };
  const add = (raw: string) => {
    const line = parseLine(raw);
    if (line.stamp) {
      // After a resume, what was already shown comes again first: skip it.
      const key = stampKey(line.stamp);
      if (key < lastKey || (key === lastKey && atLast.has(raw))) return;
      if (key > lastKey) {
        lastKey = key;
        atLast = new Set();
      }
      atLast.add(raw);
    }
    lines.push(line);
    if (lines.length > MAX_LINES) {
      lines.splice(0, lines.length - MAX_LINES);
      if (!paused) showAll();
    }
    if (paused) {
      held += 1;
      counter.textContent = `paused, ${held} new line(s)`;
      return;
    }
    if (matches(line)) {
      const atBottom = output.scrollHeight - output.scrollTop - output.clientHeight < 40;
      output.append(`${shownText(line)}\n`);
      if (atBottom) output.scrollTop = output.scrollHeight;
    }
    counter.textContent = search.value.trim() ? "" : `${lines.length} lines`;
  };

  /** Follows the log: from the start (the last 1000 lines), or resuming after the newest line shown. */
  const connect = (resume: boolean) => {
    follow.abort();
    follow = new AbortController();
    const signal = follow.signal;
    window.clearTimeout(retryTimer);
    if (!resume) {
      lines.length = 0;
      held = 0;
      lastKey = "";
      atLast = new Set();
      showAll();
    }
    setState(resume ? "reconnecting" : "connecting", resume ? "warn" : "");
    const since = resume && lastKey ? Math.max(1, Math.ceil((Date.now() - Date.parse(lastKey.replace(/\.\d+/, ""))) / 1000) + 5) : undefined;
    const params = query({
      namespace: pod.namespace,
      follow: true,
      container: container.value,
      previous: previous.input.checked || undefined,
      timestamps: true,
      tailLines: since === undefined ? 1000 : undefined,
      sinceSeconds: since,
    });
    let ended = false;
    let refused = false;
    stream(
      "GET",
      podPath(pod, `/logs${params}`),
      (event) => {
        retry = 0;
        if (event.type === "line") {
          setState("following", "good");
          add(String(event.line ?? ""));
        } else if (event.type === "end") {
          ended = true;
          setState(`ended: ${String(event.reason ?? "")}`);
        } else if (event.type === "error") {
          replace(message, errorLine(String(event.error ?? "the log failed")));
        }
      },
      { signal },
    )
      .catch((e: Error) => {
        if (e.name === "AbortError") return;
        refused = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429;
        if (refused) replace(message, errorLine(e.message));
      })
      .finally(() => {
        if (stopped || signal.aborted || ended) return;
        if (refused) {
          setState("stopped", "bad");
          return;
        }
        // The connection dropped (or kubegate restarted): resume after a pause.
        retry = Math.min(retry + 1, 5);
        setState("reconnecting", "warn");
        retryTimer = window.setTimeout(() => connect(true), 500 * retry);
      });
    // An empty log sends nothing until its first line: say it is followed once the answer is awaited.
    window.setTimeout(() => {
      if (!signal.aborted && (state.textContent === "connecting" || state.textContent === "reconnecting") && retry === 0) {
        setState("following", "good");
      }
    }, 1500);
  };

  pause.addEventListener("click", () => {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
    pause.setAttribute("aria-pressed", String(paused));
    if (!paused) {
      held = 0;
      showAll();
    }
  });
  search.addEventListener("input", showAll);
  timestamps.input.addEventListener("change", showAll);
  download.addEventListener("click", () => {
    const blob = new Blob([lines.map(shownText).join("\n") + "\n"], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `${pod.name}.log` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  for (const control of [container, previous.input]) control.addEventListener("change", () => connect(false));

  fetchPod(pod)
    .then((object) => {
      for (const c of object.spec?.containers ?? []) container.append(h("option", { value: c.name }, c.name));
    })
    .catch(() => {})
    .finally(() => {
      if (!stopped) connect(false);
    });

  return () => {
    stopped = true;
    window.clearTimeout(retryTimer);
    follow.abort();
  };
}

function execPanel(panel: HTMLElement, pod: Pod): Stop {
  const command = h("input", { type: "text", name: "command", required: true, spellcheck: "false", autocomplete: "off" });
  const shell = checkbox("Run with sh -c", true, "shell");
  const run = h("button", { type: "submit" }, "Run");
  const result = h("div", { "aria-live": "polite", id: "exec-result" });
  const form = h(
    "form",
    { class: "toolbar" },
    field("Command", command, "For example: ls -l /  or  sh -c 'exit 3'"),
    shell.row,
    run,
  );
  replace(panel, form, result);
  command.focus();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const line = command.value.trim();
    if (!line) return;
    run.disabled = true;
    replace(result, h("p", { class: "muted" }, "Running…"));
    try {
      const argv = shell.input.checked ? ["sh", "-c", line] : line.split(/\s+/);
      const answer = await call<{ exitCode: number; output: string; errors: string; timedOut: boolean }>(
        "POST",
        podPath(pod, "/exec"),
        { namespace: pod.namespace, command: argv },
      );
      replace(
        result,
        h(
          "p",
          {},
          "Exit code ",
          h("strong", { class: answer.exitCode === 0 ? "badge good" : "badge bad", id: "exit-code" }, answer.exitCode),
          answer.timedOut ? " (timed out)" : "",
        ),
        h("h2", {}, "Standard output"),
        h("pre", { class: "log", id: "exec-stdout", tabindex: 0 }, answer.output),
        h("h2", {}, "Standard error"),
        h("pre", { class: "log stderr", id: "exec-stderr", tabindex: 0 }, answer.errors),
      );
    } catch (e) {
      replace(result, errorLine((e as Error).message));
    } finally {
      run.disabled = false;
    }
  });
  return () => {};
}

function terminalPanel(panel: HTMLElement, pod: Pod, reattach?: string): Stop {
  const state = h("span", { class: "badge", id: "terminal-state" }, "connecting");
  const detail = h("span", { class: "muted", id: "terminal-detail" });
  const restart = h("button", { type: "button", hidden: true }, "New session");
  const screen = h("div", { class: "terminal", id: "terminal" });
  const help = h(
    "p",
    { class: "muted", id: "terminal-help", tabindex: -1 },
    "Shift+Escape leaves the terminal (Tab goes to the shell). Copy: select with the mouse. Paste: Ctrl+Shift+V or the browser menu. ",
    "Leaving this view ends the shell; a dropped connection reattaches by itself.",
  );
  replace(
    panel,
    h("div", { class: "toolbar" }, h("span", { class: "live" }, "Terminal: ", state, " ", detail), restart),
    screen,
    help,
  );
  let terminal: PodTerminal | null = null;
  const open = (session?: string, offset?: number) => {
    terminal?.dispose();
    screen.replaceChildren();
    restart.hidden = true;
    terminal = new PodTerminal(screen, { namespace: pod.namespace, pod: pod.name, session, offset }, (s: TerminalState, text: string) => {
      state.textContent = s;
      state.className = `badge ${s === "connected" ? "good" : s === "ended" ? "" : "warn"}`;
      detail.textContent = s === "connected" ? `session ${text}` : text;
      if (s === "ended") restart.hidden = false;
    }, help);
    terminal.term.focus();
    // Tests and people alike read the screen through xterm's buffer.
    (window as unknown as { kubegateTerminal?: PodTerminal }).kubegateTerminal = terminal;
  };
  restart.addEventListener("click", () => open());
  const [session, offset] = (reattach ?? "").split("@");
  open(session || undefined, session ? Number(offset || 0) : undefined);
  return () => terminal?.dispose();
}

interface Session {
  sessionId: string;
  command: string[];
  container: string;
  state: string;
  age: number;
  outputOffset: number;
  bufferedFromOffset: number;
  tty: boolean;
  exit?: { code?: number; reason: string };
}

function sessionsPanel(panel: HTMLElement, pod: Pod): Stop {
  const body = h("tbody");
  const message = h("div");
  const refresh = h("button", { type: "button" }, "Refresh");
  const load = async () => {
    try {
      const answer = await call<{ sessions: Session[] }>(
        "GET",
        `sessions${query({ namespace: pod.namespace, pod: pod.name })}`,
      );
      body.replaceChildren(
        ...answer.sessions.map((s) => {
          const end = h("button", { type: "button", class: "danger small", "aria-label": `End session ${s.sessionId}` }, "End");
          end.addEventListener("click", async () => {
            try {
              await call("DELETE", `sessions/${encodeURIComponent(s.sessionId)}`);
              announce("Session ended");
              await load();
            } catch (e) {
              replace(message, errorLine((e as Error).message));
            }
          });
          const canAttach = s.tty && s.state !== "EXITED";
          return h(
            "tr",
            {},
            h("td", {}, h("code", {}, s.sessionId)),
            h("td", {}, h("code", {}, s.command.join(" "))),
            h("td", {}, s.state, s.exit ? ` (${s.exit.code !== undefined ? `exit ${s.exit.code}` : s.exit.reason})` : ""),
            h("td", {}, age(s.age)),
            h("td", {}, `${s.outputOffset} bytes`),
            h(
              "td",
              { class: "buttons" },
              canAttach
                ? h(
                    "a",
                    { class: "button small", href: `${podLink(pod, "terminal")}/${encodeURIComponent(s.sessionId)}@${s.bufferedFromOffset}` },
                    "Reattach",
                  )
                : null,
              s.state !== "EXITED" ? end : null,
            ),
          );
        }),
      );
      replace(message, answer.sessions.length ? null : h("p", { class: "muted" }, "No sessions."));
    } catch (e) {
      replace(message, errorLine((e as Error).message));
    }
  };
  replace(
    panel,
    h("div", { class: "toolbar" }, refresh),
    table("Exec sessions of this pod", ["Session", "Command", "State", "Age", "Output", "Actions"], body),
    message,
  );
  refresh.addEventListener("click", load);
  void load();
  return () => {};
}
