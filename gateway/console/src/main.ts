// The console's shell: the token prompt, the section links and the hash router. Each view renders into
// <main> and returns a function that stops what it started (streams, sockets, timers).

import "@xterm/xterm/css/xterm.css";
import "./style.css";

import { API, ApiError, call, forgetToken, setToken, token, whenUnauthorized } from "./api";
import { errorLine, field, h, replace } from "./dom";
import { connectionView } from "./views/connection";
import { networkView } from "./views/network";
import { podView } from "./views/pod";
import { podsView } from "./views/pods";
import { testRunsView } from "./views/testruns";

export type Stop = () => void;

const main = document.getElementById("main") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
const forget = document.getElementById("forget-token") as HTMLButtonElement;
let stopView: Stop = () => {};
let asking = false;

/** Shows the token prompt in place of the view; resolves once a token the server accepts is stored. */
function askForToken(problem?: string): void {
  if (asking) return;
  asking = true;
  stopView();
  stopView = () => {};
  const input = h("input", {
    type: "password",
    name: "token",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
  });
  const message = h("div", {}, problem ? errorLine(problem) : null);
  const form = h(
    "form",
    { class: "card token", "aria-labelledby": "token-title", novalidate: true },
    h("h1", { id: "token-title" }, "API token"),
    h(
      "p",
      {},
      "This kubegate asks for its API token. It is kept in this tab only (sessionStorage) and sent as a header, never in a link. ",
      "The server prints where it is written when it starts (",
      h("code", {}, "api-token"),
      " in its data directory).",
    ),
    field("Token", input),
    message,
    h("button", { type: "submit" }, "Use this token"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      replace(message, errorLine("Enter the token."));
      return;
    }
    setToken(value);
    try {
      await call("GET", `${API}/config`);
      asking = false;
      route();
    } catch (e) {
      forgetToken();
      const why = e instanceof ApiError && e.status === 401 ? "That token was refused." : String((e as Error).message);
      replace(message, errorLine(why));
      input.select();
    }
  });
  nav.hidden = true;
  forget.hidden = true;
  replace(main, form);
  input.focus();
}

whenUnauthorized(() => {
  const had = token() !== "";
  forgetToken();
  askForToken(had ? "The server no longer accepts this tab's token." : undefined);
});

forget.addEventListener("click", () => {
  forgetToken();
  askForToken();
});

/** Renders the view of the current hash. */
function route(): void {
  if (asking) return;
  stopView();
  nav.hidden = false;
  forget.hidden = token() === "";
  const path = (location.hash.replace(/^#\/?/, "") || "pods").split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a hand-typed link with a stray %
    }
  });
  for (const link of Array.from(nav.querySelectorAll("a"))) {
    const current = link.getAttribute("href") === `#/${path[0]}`;
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  replace(main);
  switch (path[0]) {
    case "connection":
      stopView = connectionView(main);
      break;
    case "network":
      stopView = networkView(main);
      break;
    case "test-runs":
      stopView = testRunsView(main);
      break;
    case "pod":
      stopView = podView(main, path[1] ?? "", path[2] ?? "", path[3] ?? "summary", path[4]);
      break;
    default:
      stopView = podsView(main);
  }
}

// A hash change before the first answer is read by the first route() itself.
let started = false;
window.addEventListener("hashchange", () => {
  if (started) route();
});

async function start(): Promise<void> {
  try {
    // One call tells whether the server wants a token and whether the one this tab has is right.
    await call("GET", `${API}/config`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      started = true;
      return; // the prompt is shown
    }
  }
  started = true;
  route();
}

void start();
