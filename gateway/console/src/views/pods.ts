// Pods: a live list from the REST watch (server-sent events, no polling), filtered by label selector and
// phase; create a pod; delete one; clean up finished pods after a dry-run preview of what would go.

import { ApiError, type PodSummary, call, query, stream } from "../api";
import { age, announce, checkbox, errorLine, field, h, pairs, replace, table } from "../dom";
import type { Stop } from "../main";

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

interface Row {
  pod: PodSummary;
  /** When the pod's age was read, to keep it current. */
  seen: number;
}

export function podLink(pod: { namespace: string; name: string }, tab = "summary"): string {
  return `#/pod/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}/${tab}`;
}

export function podsView(main: HTMLElement): Stop {
  let watch = new AbortController();
  const rows = new Map<string, Row>();
  let synced = false;
  let stopped = false;
  let retry = 0;

  const namespace = h("input", {
    type: "text",
    name: "namespace",
    placeholder: "the configured one",
    autocomplete: "off",
    spellcheck: "false",
  });
  const selector = h("input", {
    type: "text",
    name: "labelSelector",
    placeholder: "app=web,tier!=db",
    autocomplete: "off",
    spellcheck: "false",
  });
  const phase = h(
    "select",
    { name: "phase" },
    h("option", { value: "" }, "Any phase"),
    ...PHASES.map((p) => h("option", { value: p }, p)),
  );
  const state = h("span", { class: "badge", id: "watch-state" }, "connecting");
  const filters = h(
    "form",
    { class: "toolbar", role: "search", "aria-label": "Filter pods" },
    field("Namespace", namespace),
    field("Label selector", selector),
    field("Phase", phase),
    h("button", { type: "submit" }, "Apply"),
    h("span", { class: "live" }, "List: ", state),
  );
  const body = h("tbody", { id: "pod-rows" });
  const empty = h("p", { class: "muted" }, "No pods yet.");
  const listMessage = h("div");

  const render = () => {
    const wanted = phase.value;
    const now = Date.now();
    const sorted = [...rows.values()]
      .filter((r) => !wanted || r.pod.phase === wanted)
      .sort((a, b) => a.pod.name.localeCompare(b.pod.name));
    body.replaceChildren(
      ...sorted.map(({ pod, seen }) => {
        const remove = h("button", { type: "button", class: "danger small", "aria-label": `Delete pod ${pod.name}` }, "Delete");
        remove.addEventListener("click", () => deletePod(pod, remove));
        return h(
          "tr",
          { "data-pod": pod.name },
          h("td", {}, h("a", { href: podLink(pod) }, pod.name)),
          h("td", {}, h("span", { class: `badge phase-${pod.phase.toLowerCase()}` }, pod.phase)),
          h("td", {}, pod.ready ? "yes" : "no"),
          h("td", {}, pod.restartCount),
          h("td", {}, age(pod.age + (now - seen))),
          h("td", { class: "image" }, pod.image ?? ""),
          h("td", {}, remove),
        );
      }),
    );
    empty.hidden = sorted.length > 0 || !synced;
  };

  let scheduled = false;
  const soon = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  };

  const deletePod = async (pod: PodSummary, button: HTMLButtonElement) => {
    if (!window.confirm(`Delete pod ${pod.name}?`)) return;
    button.disabled = true;
    try {
      await call("DELETE", `pods/${encodeURIComponent(pod.name)}${query({ namespace: pod.namespace })}`);
      announce(`Pod ${pod.name} is being deleted`);
    } catch (e) {
      button.disabled = false;
      replace(listMessage, errorLine((e as Error).message));
    }
  };

  const connect = () => {
    watch = new AbortController();
    const signal = watch.signal;
    state.textContent = "connecting";
    state.className = "badge";
    let fresh = true;
    let refused = false;
    stream(
      "GET",
      `pods/watch${query({ namespace: namespace.value.trim(), labelSelector: selector.value.trim() })}`,
      (event) => {
        if (fresh) {
          // A (re)started watch begins with every pod: start from an empty list.
          rows.clear();
          fresh = false;
        }
        const pod = event.pod as PodSummary | undefined;
        switch (event.type) {
          case "ADDED":
          case "MODIFIED":
            if (pod) rows.set(`${pod.namespace}/${pod.name}`, { pod, seen: Date.now() });
            break;
          case "DELETED":
            if (pod) rows.delete(`${pod.namespace}/${pod.name}`);
            break;
          case "SYNCED":
            synced = true;
            retry = 0;
            state.textContent = "live";
            state.className = "badge good";
            replace(listMessage);
            break;
          case "error":
            replace(listMessage, errorLine(String(event.error ?? "the watch failed")));
            break;
        }
        soon();
      },
      { signal },
    )
      .catch((e: Error) => {
        if (e.name === "AbortError") return;
        // A refusal (bad selector, namespace not allowed) stays a refusal: say so and stop.
        refused = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429;
        replace(listMessage, errorLine(e.message));
      })
      .finally(() => {
        if (stopped || signal.aborted) return;
        if (refused) {
          state.textContent = "stopped";
          state.className = "badge bad";
          return;
        }
        // The watch ended (a restart of kubegate, a dropped connection): resume after a pause.
        state.textContent = "reconnecting";
        state.className = "badge warn";
        retry = Math.min(retry + 1, 5);
        window.setTimeout(() => {
          if (!stopped && !signal.aborted) connect();
        }, 500 * retry);
      });
  };

  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    watch.abort();
    rows.clear();
    synced = false;
    soon();
    connect();
  });
  phase.addEventListener("change", soon);

  const ticker = window.setInterval(soon, 5000);

  replace(
    main,
    h("h1", {}, "Pods"),
    filters,
    listMessage,
    h("div", { class: "scroll" }, table("Pods, updated live", ["Name", "Phase", "Ready", "Restarts", "Age", "Image", "Actions"], body)),
    empty,
    createForm(),
    cleanupForm(),
  );
  connect();

  return () => {
    stopped = true;
    watch.abort();
    window.clearInterval(ticker);
  };
}

function createForm(): HTMLElement {
  const name = h("input", { type: "text", name: "name", required: true, autocomplete: "off", spellcheck: "false" });
  const image = h("input", { type: "text", name: "image", required: true, value: "busybox", spellcheck: "false" });
  const command = h("input", { type: "text", name: "command", value: "sleep 3600", spellcheck: "false" });
  const env = h("textarea", { name: "env", rows: 2, spellcheck: "false" });
  const labels = h("input", { type: "text", name: "labels", spellcheck: "false" });
  const claims = h("textarea", { name: "claims", rows: 2, spellcheck: "false" });
  const shell = checkbox("Run the command with sh -c", true, "shell");
  const message = h("div");
  const form = h(
    "form",
    { class: "grid" },
    field("Name", name),
    field("Image", image),
    field("Command", command, "Empty: the image's own command."),
    shell.row,
    field("Environment", env, "One KEY=VALUE per line."),
    field("Labels", labels, "key=value, comma-separated."),
    field("Claim mounts", claims, "One CLAIM:/mount/path per line (add :ro for read-only)."),
    h("div", {}, h("button", { type: "submit" }, "Create pod")),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const line = command.value.trim();
      const volumeClaims = claims.value
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [claimName, mountPath, mode] = l.split(":");
          if (!claimName || !mountPath) throw new Error(`"${l}" is not CLAIM:/mount/path`);
          return { claimName, mountPath, readOnly: mode === "ro" };
        });
      const body = {
        name: name.value.trim(),
        image: image.value.trim(),
        command: line ? (shell.input.checked ? ["sh", "-c", line] : line.split(/\s+/)) : [],
        env: pairs(env.value, /\n/),
        labels: pairs(labels.value),
        volumeClaims,
      };
      const answer = await call<{ podName: string }>("POST", "pods", body);
      replace(message);
      announce(`Pod ${answer.podName} created`);
      name.value = "";
    } catch (e) {
      replace(message, errorLine((e as Error).message));
    }
  });
  return h("details", { class: "card" }, h("summary", {}, "Create a pod"), form);
}

function cleanupForm(): HTMLElement {
  const hours = h("input", { type: "number", name: "maxAgeHours", min: 0, step: "any", value: 24 });
  const preview = h("button", { type: "button" }, "Preview cleanup");
  const confirm = h("button", { type: "button", class: "danger", disabled: true }, "Delete these pods");
  const result = h("div", { "aria-live": "polite" });
  const body = () => ({ maxAgeMs: Math.round(Number(hours.value || 0) * 3600_000) });
  preview.addEventListener("click", async () => {
    try {
      const answer = await call<{ deletedNames: string[] }>("POST", "cleanup", { ...body(), dryRun: true });
      confirm.disabled = answer.deletedNames.length === 0;
      replace(
        result,
        answer.deletedNames.length
          ? h(
              "div",
              {},
              h("p", {}, `${answer.deletedNames.length} finished pod(s) would be deleted:`),
              h("ul", { class: "names" }, ...answer.deletedNames.map((n) => h("li", {}, n))),
            )
          : h("p", {}, "Nothing would be deleted."),
      );
    } catch (e) {
      replace(result, errorLine((e as Error).message));
    }
  });
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const answer = await call<{ deleted: number }>("POST", "cleanup", { ...body(), dryRun: false });
      replace(result, h("p", {}, `${answer.deleted} pod(s) deleted.`));
    } catch (e) {
      replace(result, errorLine((e as Error).message));
    }
  });
  return h(
    "details",
    { class: "card" },
    h("summary", {}, "Clean up finished pods"),
    h(
      "div",
      { class: "grid" },
      field("Finished at least this many hours ago", hours),
      h("div", { class: "buttons" }, preview, confirm),
      result,
    ),
  );
}
