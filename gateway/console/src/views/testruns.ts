// Test runs: a command run at a commit of a repository on a claim, in a fresh pod. The image matched from
// the project's version files is shown before the start; the run is watched live (scheduled → running →
// output → finished) with its outcome and exit code.

import { type StreamEvent, call, stream } from "../api";
import { errorLine, field, h, replace } from "../dom";
import type { Stop } from "../main";
import { podLink } from "./pods";

interface ImageMatch {
  image: string;
  runtime: string;
  chosen?: { file: string; line: number; version: string } | null;
  notes: string[];
}

/** Runs started in this tab, kept while it is open. */
const history: HTMLElement[] = [];

export function testRunsView(main: HTMLElement): Stop {
  const controllers: AbortController[] = [];
  const claim = h("input", { type: "text", name: "claimName", required: true, value: "opencode-workspace", spellcheck: "false" });
  const path = h("input", { type: "text", name: "path", spellcheck: "false", placeholder: "repos/myapp" });
  const commit = h("input", { type: "text", name: "commit", required: true, spellcheck: "false", placeholder: "a1b2c3d" });
  const command = h("input", { type: "text", name: "command", required: true, value: "npm ci && npm test", spellcheck: "false" });
  const image = h("input", { type: "text", name: "image", spellcheck: "false", placeholder: "matched from the version files" });
  const matched = h("p", { class: "muted", id: "matched-image", "aria-live": "polite" }, "Give the claim, path and commit to see the image.");
  const message = h("div");
  const runs = h("div", { id: "runs" }, ...history);
  const form = h(
    "form",
    { class: "grid card", "aria-labelledby": "run-title" },
    h("h2", { id: "run-title" }, "Start a test run"),
    field("Claim", claim, "The PersistentVolumeClaim holding the repository; mounted read-only."),
    field("Path in the claim", path),
    field("Commit", commit),
    field("Command", command),
    field("Image", image, "Empty: the image matched from the project's version files at that commit."),
    matched,
    h("div", {}, h("button", { type: "submit" }, "Start")),
    message,
  );

  let matching = new AbortController();
  const match = async () => {
    matching.abort();
    matching = new AbortController();
    if (!claim.value.trim()) return;
    matched.textContent = "Matching the image…";
    try {
      const answer = await call<ImageMatch>(
        "POST",
        "match-image",
        { claimName: claim.value.trim(), path: path.value.trim(), commit: commit.value.trim() },
        matching.signal,
      );
      const from = answer.chosen ? ` (from ${answer.chosen.file}, line ${answer.chosen.line})` : "";
      matched.textContent = answer.image ? `Matched image: ${answer.image}${from}` : `No image matched. ${answer.notes.join(" ")}`;
    } catch (e) {
      if ((e as Error).name !== "AbortError") matched.textContent = `No image matched: ${(e as Error).message}`;
    }
  };
  for (const input of [claim, path, commit]) input.addEventListener("change", match);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    replace(message);
    const controller = new AbortController();
    controllers.push(controller);
    const run = runCard(commit.value.trim(), command.value.trim());
    history.unshift(run.card);
    runs.prepend(run.card);
    stream(
      "POST",
      "test-runs?stream=true",
      run.onEvent,
      {
        signal: controller.signal,
        body: {
          claimName: claim.value.trim(),
          path: path.value.trim(),
          commit: commit.value.trim(),
          command: command.value.trim(),
          image: image.value.trim() || undefined,
        },
      },
    ).catch((e: Error) => {
      if (e.name !== "AbortError") run.fail(e.message);
    });
  });

  replace(main, h("h1", {}, "Test runs"), form, h("h2", {}, "Runs"), runs);
  return () => {
    matching.abort();
    for (const c of controllers) c.abort();
  };
}

function runCard(commit: string, command: string) {
  const steps = h("ol", { class: "steps" });
  const outcome = h("p", { class: "outcome", "aria-live": "polite" }, h("span", { class: "badge" }, "starting"));
  const output = h("pre", { class: "log", tabindex: 0, "aria-label": "Test output" });
  const card = h(
    "section",
    { class: "card run", "aria-label": `Test run of ${commit}` },
    h("h3", {}, h("code", {}, commit.slice(0, 12)), " ", h("code", {}, command)),
    outcome,
    steps,
    output,
  );
  const step = (text: string, ...extra: (Node | string)[]) => steps.append(h("li", {}, text, ...extra));
  const setOutcome = (text: string, good: boolean | null) =>
    replace(outcome, h("span", { class: `badge ${good === null ? "warn" : good ? "good" : "bad"}`, "data-outcome": text }, text));
  return {
    card,
    onEvent: (event: StreamEvent) => {
      switch (event.type) {
        case "scheduled": {
          const pod = String(event.podName ?? "");
          step("scheduled: pod ", h("a", { href: podLink({ namespace: "", name: pod }) }, pod), ` with image ${String(event.image ?? "")}`);
          setOutcome("scheduled", null);
          break;
        }
        case "running":
          step("running");
          setOutcome("running", null);
          break;
        case "output":
          output.append(String(event.data ?? ""));
          output.scrollTop = output.scrollHeight;
          break;
        case "finished": {
          const code = event.exitCode === undefined || event.exitCode === null ? "" : `, exit code ${event.exitCode}`;
          const took = typeof event.durationMs === "number" ? `, ${(event.durationMs / 1000).toFixed(1)} s` : "";
          step(`finished: ${String(event.outcome)}${code}${took}`);
          if (event.message) step(String(event.message));
          setOutcome(String(event.outcome), event.outcome === "PASSED");
          if (event.namespace) {
            const link = steps.querySelector("a");
            link?.setAttribute("href", podLink({ namespace: String(event.namespace), name: String(event.podName ?? "") }));
          }
          break;
        }
        case "error":
          step(`error: ${String(event.code ?? "")} ${String(event.error ?? "")}`);
          setOutcome(String(event.code ?? "error"), false);
          break;
      }
    },
    fail: (message: string) => {
      setOutcome("failed to start", false);
      card.append(errorLine(message));
    },
  };
}
