// One pod: its summary and containers, its logs followed live, a one-shot command, a terminal, and its
// exec sessions.

import { call, query, stream } from "../api";
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

function logsPanel(panel: HTMLElement, pod: Pod): Stop {
  let follow = new AbortController();
  let stopped = false;
  let paused = false;
  const lines: string[] = [];
  let held = 0;

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

  const matches = (line: string) => {
    const needle = search.value.trim().toLowerCase();
    return !needle || line.toLowerCase().includes(needle);
  };
  const showAll = () => {
    const shown = lines.filter(matches);
    output.textContent = shown.length ? `${shown.join("\n")}\n` : "";
    counter.textContent = search.value.trim() ? `${shown.length} of ${lines.length} lines match` : `${lines.length} lines`;
    output.scrollTop = output.scrollHeight;
  };
  const add = (line: string) => {
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
      output.append(`${line}\n`);
      if (atBottom) output.scrollTop = output.scrollHeight;
    }
    counter.textContent = search.value.trim() ? "" : `${lines.length} lines`;
  };

  const start = () => {
    follow.abort();
    follow = new AbortController();
    const signal = follow.signal;
    lines.length = 0;
    held = 0;
    showAll();
    state.textContent = "connecting";
    state.className = "badge";
    const params = query({
      namespace: pod.namespace,
      follow: true,
      container: container.value,
      previous: previous.input.checked || undefined,
      timestamps: timestamps.input.checked,
      tailLines: 1000,
    });
    let first = true;
    stream(
      "GET",
      podPath(pod, `/logs${params}`),
      (event) => {
        if (first) {
          state.textContent = "following";
          state.className = "badge good";
          first = false;
        }
        if (event.type === "line") add(String(event.line ?? ""));
        else if (event.type === "end") {
          state.textContent = `ended: ${String(event.reason ?? "")}`;
          state.className = "badge";
        } else if (event.type === "error") replace(message, errorLine(String(event.error ?? "the log failed")));
      },
      { signal },
    )
      .then(() => {
        if (first && !signal.aborted) {
          state.textContent = "ended";
          state.className = "badge";
        }
      })
      .catch((e: Error) => {
        if (e.name === "AbortError" || stopped) return;
        state.textContent = "stopped";
        state.className = "badge bad";
        replace(message, errorLine(e.message));
      });
    if (first) {
      // An empty log sends nothing until its first line: say it is followed once the answer arrived.
      window.setTimeout(() => {
        if (first && !signal.aborted && state.textContent === "connecting") {
          state.textContent = "following";
          state.className = "badge good";
        }
      }, 1500);
    }
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
  download.addEventListener("click", () => {
    const blob = new Blob([lines.join("\n") + "\n"], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `${pod.name}.log` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  for (const control of [container, previous.input, timestamps.input]) control.addEventListener("change", start);

  fetchPod(pod)
    .then((object) => {
      for (const c of object.spec?.containers ?? []) container.append(h("option", { value: c.name }, c.name));
    })
    .catch(() => {})
    .finally(() => {
      if (!stopped) start();
    });

  return () => {
    stopped = true;
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
