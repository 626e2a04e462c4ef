// The console in a real browser: Chromium (the system's, driven by playwright-core) against a real
// kubegate on its embedded cluster. Each scenario is what a person does and sees; pods are made through
// kubegate's gRPC API with the repository's TypeScript client, as another program would.
//
//   KUBEGATE_BIN=path/to/kubegate [CHROMIUM=path/to/chromium] node .test-build/console.test.mjs
// (test.sh builds it, checks the bundle and runs it)

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";

import { Code, ConnectError, type Kubegate as Client, connect } from "../../../clients/typescript/src/index.js";
import { type Kubegate, kubernetes, startKubegate } from "./kubegate.js";
import { type Proxy, startProxy } from "./proxy.js";

const here = dirname(fileURLToPath(import.meta.url));
const consoleDir = join(here, "..");
// The screenshots linked from the README are rewritten only when asked (CONSOLE_UPDATE_SCREENSHOTS=1), so a
// test run leaves the checkout as it was.
const screenshots = process.env.CONSOLE_UPDATE_SCREENSHOTS === "1" ? join(consoleDir, "screenshots") : join(consoleDir, ".test-build", "screenshots");
const require = createRequire(import.meta.url);
const NAMESPACE = "opencode-manager";
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// ---------------------------------------------------------------- a small runner

const scenarios: { name: string; run: () => Promise<void> }[] = [];
function scenario(name: string, run: () => Promise<void>): void {
  scenarios.push({ name, run });
}

async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------- the world the scenarios share

let kg: Kubegate;
let grpc: Client;
let browser: Browser;
let context: BrowserContext;
let proxy: Proxy;
/** Content-Security-Policy violations and page errors seen in any page. */
const violations: string[] = [];

async function newPage(origin = kg.origin, withToken = true): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => violations.push(`page error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.text().startsWith("CSP violation")) violations.push(`${page.url()}: ${message.text()}`);
  });
  page.on("dialog", (dialog) => void dialog.accept());
  if (withToken) {
    // What the token prompt stores, set before the page's own script runs.
    await page.addInitScript((token: string) => sessionStorage.setItem("kubegate.token", token), kg.token);
  }
  await page.goto(`${origin}/`);
  return page;
}

async function createPod(name: string, script: string): Promise<void> {
  await grpc.pods.createPod({ pod: { name, namespace: NAMESPACE, image: "busybox", command: ["sh", "-c", script] } });
  await eventually(`pod ${name} running`, 30_000, async () => {
    const got = await grpc.pods.getPod({ name, namespace: NAMESPACE });
    return got.pod?.ready ? true : undefined;
  });
}

/** A pod that sleeps, made once and shared by the scenarios that only need a place to run commands. */
async function ensurePod(name: string): Promise<void> {
  try {
    await grpc.pods.getPod({ name, namespace: NAMESPACE });
  } catch {
    await createPod(name, "sleep 3600");
  }
}

/** The terminal's screen as text, one line per row (xterm's buffer, as the person sees it). */
function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const terminal = (window as unknown as { kubegateTerminal?: { term: import("@xterm/xterm").Terminal } }).kubegateTerminal;
    if (!terminal) return "";
    const buffer = terminal.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i += 1) lines.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  });
}

/** Waits until the screen shows what `wanted` looks for; the screen is in the error otherwise. */
async function screenShows(page: Page, what: string, wanted: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  try {
    return await eventually(what, timeoutMs, async () => {
      const text = await screenText(page);
      return wanted(text) ? text : undefined;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; the screen:\n${(await screenText(page)).trimEnd()}`);
  }
}

async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator(".xterm-helper-textarea").focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

async function axe(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's policy (rightly) refuses an inline script tag.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const found = await axe.run(document, { resultTypes: ["violations"] });
    return found.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
  });
  const serious = results.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(serious.length === 0, `${what}: accessibility violations ${JSON.stringify(serious, null, 1)}`);
}

// ---------------------------------------------------------------- scenarios

/** A git repository on the claim `workspace`, as a coding agent's workspace would hold it; its commit. */
let workspaceCommit: Promise<string> | undefined;
function workspace(): Promise<string> {
  workspaceCommit ??= (async () => {
    const status = await kubernetes(kg.dataDir, "POST", `/api/v1/namespaces/${NAMESPACE}/persistentvolumeclaims`, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "workspace" },
      spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "1Gi" } } },
    });
    check(status === 201, `the claim was created (${status})`);
    const repo = join(kg.dataDir, "volumes", NAMESPACE, "workspace", "repos", "app");
    mkdirSync(repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=console test", "-c", "user.email=console@test.invalid", ...args], { cwd: repo }).toString().trim();
    git("init", "--quiet", "--initial-branch=main");
    writeFileSync(join(repo, ".nvmrc"), "20.11.0\n");
    writeFileSync(join(repo, "test.sh"), "echo running the tests\nsleep 1\necho all passed\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "tests");
    const commit = git("rev-parse", "HEAD");
    return commit;
  })();
  return workspaceCommit;
}


scenario("the page is served without the token, with a strict policy, and only for hosts kubegate serves", async () => {
  const page = await fetch(`${kg.origin}/`);
  check(page.status === 200, `GET / answered ${page.status}`);
  check(page.headers.get("content-type") === "text/html; charset=utf-8", "the page is HTML");
  const policy = page.headers.get("content-security-policy") ?? "";
  for (const part of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'none'", `connect-src 'self' ws://127.0.0.1:${kg.httpPort}`]) {
    check(policy.includes(part), `the policy lacks ${part}: ${policy}`);
  }
  check(!policy.includes("unsafe"), `the policy allows something unsafe: ${policy}`);
  check(page.headers.get("x-content-type-options") === "nosniff", "nosniff");
  const html = await page.text();
  check(!/<script>|<style|\sstyle=|\son[a-z]+=/i.test(html), "no inline script, style or handler in the page");
  const script = await fetch(`${kg.origin}/console/console.js`);
  check(script.status === 200 && script.headers.get("content-type")?.startsWith("text/javascript"), "the script is served as JavaScript");
  const etag = script.headers.get("etag") ?? "";
  const again = await fetch(`${kg.origin}/console/console.js`, { headers: { "If-None-Match": etag } });
  check(again.status === 304, `a revalidation with the ETag is 304, not ${again.status}`);
  // DNS rebinding: a page on another name pointed at 127.0.0.1 names its own host, and gets nothing.
  const rebound = execFileSync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: evil.example.com", `${kg.origin}/`]).toString();
  check(rebound === "421", `a foreign Host got ${rebound}, not 421`);
  const api = await fetch(`${kg.origin}/api/kubernetes/pods`);
  check(api.status === 401, "the API still needs the token");
});

scenario("without a token the console asks for one, refuses a wrong one, and keeps a right one in the tab only", async () => {
  const page = await newPage(kg.origin, false);
  const input = page.getByLabel("Token", { exact: true });
  await input.waitFor();
  check(await page.locator("#nav").isHidden(), "no sections before the token");
  check((await page.locator("table").count()) === 0, "no data before the token");
  await axe(page, "the token prompt");
  await input.fill("not-the-token-0123456789abcdef0123456789");
  await page.getByRole("button", { name: "Use this token" }).click();
  await page.getByText("That token was refused.").waitFor();
  await input.fill(kg.token);
  await page.getByRole("button", { name: "Use this token" }).click();
  await page.locator("#watch-state", { hasText: "live" }).waitFor();
  check(!page.url().includes(kg.token), "the token is not in the URL");
  const stored = await page.evaluate(() => sessionStorage.getItem("kubegate.token"));
  check(stored === kg.token, "the token is kept in sessionStorage");
  await page.reload();
  await page.locator("#watch-state", { hasText: "live" }).waitFor();
  await page.getByRole("button", { name: "Forget token" }).click();
  await input.waitFor();
  check((await page.evaluate(() => sessionStorage.getItem("kubegate.token"))) === null, "forgotten");
  await page.close();
});

scenario("the connection view shows the server, the identity and each permission", async () => {
  const page = await newPage();
  await page.getByRole("link", { name: "Connection" }).click();
  const enabled = page.getByLabel("Enabled (kubegate talks to the cluster)");
  await page.getByText("The connection is disabled.").waitFor();
  check((await page.getByLabel("Namespace").inputValue()) === NAMESPACE, "the namespace setting is shown");
  check(!(await enabled.isChecked()), "a new kubegate starts disabled");
  await page.getByRole("button", { name: "Test the connection" }).click();
  await page.getByText("Server version").waitFor();
  await page.locator(".badge", { hasText: "all allowed" }).waitFor();
  const allowed = await page.locator("table tbody tr", { hasText: "allowed" }).count();
  check(allowed >= 5, `each permission is listed (${allowed})`);
  check((await page.locator("dd", { hasText: /^v1\.\d+/ }).count()) === 1, "the server version is shown");
  // The settings a token may change: enable, saved, and read back on a fresh load.
  await enabled.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved").waitFor();
  await page.reload();
  await page.locator(".badge", { hasText: "all allowed" }).waitFor();
  check(await page.getByLabel("Enabled (kubegate talks to the cluster)").isChecked(), "the setting was saved");
  check((await page.getByLabel("Kubeconfig").getAttribute("readonly")) !== null, "the operator's settings are read-only");
  await axe(page, "the connection view");
  await page.close();
});

scenario("a pod created through gRPC appears in the list within 2 s, and the filters narrow it", async () => {
  const page = await newPage();
  await page.locator("#watch-state", { hasText: "live" }).waitFor();
  const started = Date.now();
  await grpc.pods.createPod({
    pod: { name: "web-1", namespace: NAMESPACE, image: "busybox", command: ["sh", "-c", "sleep 3600"], labels: { tier: "web" } },
  });
  await page.locator('tr[data-pod="web-1"]').waitFor({ timeout: 2000 });
  const took = Date.now() - started;
  await page.locator('tr[data-pod="web-1"]', { hasText: "Running" }).waitFor({ timeout: 15_000 });
  await createPod("worker-1", "sleep 3600");
  await page.locator('tr[data-pod="worker-1"]').waitFor({ timeout: 2000 });
  await page.getByLabel("Namespace", { exact: true }).fill("elsewhere");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("alert").filter({ hasText: "elsewhere" }).waitFor();
  await page.locator("#watch-state", { hasText: "stopped" }).waitFor();
  check((await page.locator("#pod-rows tr").count()) === 0, "a namespace outside the allow-list shows no pod, and says why");
  await page.getByLabel("Namespace", { exact: true }).fill("");
  await page.getByLabel("Label selector").fill("tier=web");
  await page.getByRole("button", { name: "Apply" }).click();
  await eventually("only the web pod listed", 5000, async () => (await page.locator("#pod-rows tr").count()) === 1);
  await page.getByLabel("Label selector").fill("");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByLabel("Phase").selectOption("Failed");
  await eventually("no failed pods", 5000, async () => (await page.locator("#pod-rows tr").count()) === 0);
  await page.getByLabel("Phase").selectOption("");
  await page.locator('tr[data-pod="worker-1"]').waitFor();
  await axe(page, "the pod list");
  await shot(page, "pods");
  process.stdout.write(`#   the new pod showed after ${took} ms\n`);
  await page.close();
});

const TICKER = "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 1; done";

scenario("logs are followed live: a new line appears without a reload, pause holds it, search narrows", async () => {
  await createPod("ticker", TICKER);
  const page = await newPage();
  await page.locator('tr[data-pod="ticker"] a').click();
  await page.getByRole("link", { name: "Logs" }).click();
  const log = page.locator("#log-lines");
  await eventually("a first line", 10_000, async () => (await log.textContent())?.includes("tick-1"));
  const highest = async () => Math.max(0, ...[...((await log.textContent()) ?? "").matchAll(/tick-(\d+)/g)].map((m) => Number(m[1])));
  const before = await highest();
  await eventually("a new line appearing", 5000, async () => (await highest()) > before);
  await page.getByRole("button", { name: "Pause" }).click();
  const paused = await highest();
  await new Promise((r) => setTimeout(r, 2200));
  check((await highest()) === paused, "paused: no new line is shown");
  await page.getByText(/paused, \d+ new line/).waitFor();
  await page.getByRole("button", { name: "Resume" }).click();
  check((await highest()) > paused, "resumed: the held lines are shown");
  await page.getByLabel("Search").fill("tick-2");
  await eventually("search narrows", 3000, async () => {
    const shown = ((await log.textContent()) ?? "").trim().split("\n");
    return shown.length >= 1 && shown.every((l) => l.includes("tick-2"));
  });
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Timestamps").check();
  check(/^\d{4}-\d\d-\d\dT\S+ tick-1$/m.test((await log.textContent()) ?? ""), "lines show their time when asked");
  await page.getByLabel("Timestamps").uncheck();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download" }).click();
  check((await download).suggestedFilename() === "ticker.log", "the log downloads as ticker.log");
  await axe(page, "the logs view");
  await shot(page, "logs");
  await page.close();
});

scenario("the live list and a followed log ride out a dropped connection: no gap, no repeat", async () => {
  try {
    await grpc.pods.getPod({ name: "ticker", namespace: NAMESPACE });
  } catch {
    await createPod("ticker", TICKER);
  }
  const origin = `http://127.0.0.1:${proxy.port}`;
  const list = await newPage(origin);
  await list.locator("#watch-state", { hasText: "live" }).waitFor();
  const logs = await newPage(origin);
  await logs.goto(`${origin}/#/pod/${NAMESPACE}/ticker/logs`);
  const log = logs.locator("#log-lines");
  const ticks = async () => [...((await log.textContent()) ?? "").matchAll(/^tick-(\d+)$/gm)].map((m) => Number(m[1]));
  await eventually("ticks followed", 10_000, async () => (await ticks()).length >= 2);
  // The network goes away for 3 s: every connection reset, new ones refused.
  proxy.refuseUntil(Date.now() + 3000);
  check(proxy.cutAll() >= 2, "the list's and the log's streams were cut");
  await list.locator("#watch-state", { hasText: "reconnecting" }).waitFor({ timeout: 3000 });
  await logs.locator("#log-state", { hasText: "reconnecting" }).waitFor({ timeout: 3000 });
  const before = Math.max(...(await ticks()));
  await grpc.pods.createPod({ pod: { name: "during-blip", namespace: NAMESPACE, image: "busybox", command: ["sh", "-c", "sleep 3600"] } });
  await list.locator("#watch-state", { hasText: "live" }).waitFor({ timeout: 15_000 });
  await list.locator('tr[data-pod="during-blip"]').waitFor({ timeout: 5000 });
  await eventually("ticks after the blip", 15_000, async () => Math.max(...(await ticks())) > before + 4);
  const seen = await ticks();
  const first = seen[0] ?? 0;
  const expected = seen.map((_, i) => first + i);
  check(JSON.stringify(seen) === JSON.stringify(expected), `every tick once and in order: ${seen.join(" ")}`);
  await list.close();
  await logs.close();
});

scenario("a one-shot command shows its real exit code, stdout and stderr apart", async () => {
  await ensurePod("worker-1");
  const page = await newPage();
  await page.goto(`${kg.origin}/#/pod/${NAMESPACE}/worker-1/exec`);
  await page.getByLabel("Command", { exact: true }).fill("sh -c 'exit 3'");
  await page.getByRole("button", { name: "Run" }).click();
  await eventually("exit code 3", 10_000, async () => (await page.locator("#exit-code").textContent()) === "3");
  await page.getByLabel("Command", { exact: true }).fill("echo to-stdout; echo to-stderr >&2");
  await page.getByRole("button", { name: "Run" }).click();
  await eventually("exit code 0", 10_000, async () => (await page.locator("#exit-code").textContent()) === "0");
  check((await page.locator("#exec-stdout").textContent())?.trim() === "to-stdout", "stdout alone");
  check((await page.locator("#exec-stderr").textContent())?.trim() === "to-stderr", "stderr alone");
  await axe(page, "the exec view");
  await page.close();
});

scenario("the terminal runs a shell: echo $((6*7)) prints 42, and resizing the window resizes the shell", async () => {
  await ensurePod("worker-1");
  const page = await newPage();
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.goto(`${kg.origin}/#/pod/${NAMESPACE}/worker-1/terminal`);
  await page.locator("#terminal-state", { hasText: "connected" }).waitFor({ timeout: 15_000 });
  await typeInTerminal(page, "echo $((6*7))");
  await screenShows(page, "42 on the screen", (t) => t.split("\n").some((l) => l.trim() === "42"));
  await typeInTerminal(page, "printf 'caf\\303\\251 \\342\\202\\254\\n'");
  await screenShows(page, "UTF-8 output", (t) => t.includes("café €"));
  await shot(page, "terminal");
  // The shell takes Tab; Shift+Escape is the keyboard's way out.
  await page.keyboard.press("Shift+Escape");
  check((await page.evaluate(() => document.activeElement?.id)) === "terminal-help", "Shift+Escape leaves the terminal");
  await page.setViewportSize({ width: 800, height: 560 });
  const size = await eventually("the terminal refitted", 5000, async () => {
    const s = await page.evaluate(() => {
      const t = (window as unknown as { kubegateTerminal: { term: { cols: number; rows: number } } }).kubegateTerminal.term;
      return { cols: t.cols, rows: t.rows };
    });
    return s.cols < 100 ? s : undefined;
  });
  await typeInTerminal(page, "stty size");
  await screenShows(page, `stty size says ${size.rows} ${size.cols}`, (t) => t.split("\n").some((l) => l.trim() === `${size.rows} ${size.cols}`));
  await axe(page, "the terminal view");
  await page.close();
});

scenario("a terminal whose connection is cut reattaches and shows what ran meanwhile, once", async () => {
  await ensurePod("worker-1");
  const page = await newPage(`http://127.0.0.1:${proxy.port}`);
  await page.goto(`http://127.0.0.1:${proxy.port}/#/pod/${NAMESPACE}/worker-1/terminal`);
  await page.locator("#terminal-state", { hasText: "connected" }).waitFor({ timeout: 15_000 });
  const session = await page.locator("#terminal-detail").textContent();
  await typeInTerminal(page, "echo before-$((1+1))");
  await screenShows(page, "before-2", (t) => t.includes("before-2\n"));
  await typeInTerminal(page, "sleep 1.5; echo after-$((40+2))");
  await new Promise((r) => setTimeout(r, 300));
  // The network goes away for 4 s: open connections reset, new ones refused; the shell keeps running.
  proxy.refuseUntil(Date.now() + 4000);
  const cut = proxy.cutTerminals();
  check(cut === 1, `one terminal connection cut (${cut})`);
  await page.locator("#terminal-state", { hasText: "reconnecting" }).waitFor({ timeout: 3000 });
  check(!(await screenText(page)).includes("after-42"), "the output came while the connection was down");
  await page.locator("#terminal-state", { hasText: "connected" }).waitFor({ timeout: 15_000 });
  check((await page.locator("#terminal-detail").textContent()) === session, "the same session");
  await screenShows(page, "after-42 replayed", (t) => t.includes("after-42"));
  const text = await screenText(page);
  const count = (needle: string) => text.split("\n").filter((l) => l.trim() === needle).length;
  check(count("after-42") === 1 && count("before-2") === 1, `no repeat and no gap:\n${text}`);
  check(!text.includes("was lost"), "no output lost");
  await typeInTerminal(page, "echo still-$((2+3))");
  await screenShows(page, "the shell still answers", (t) => t.includes("still-5"));
  await page.close();
});

scenario("the sessions view lists a pod's terminals: one left by a lost connection is reattached, one is ended", async () => {
  await ensurePod("worker-1");
  // A terminal whose network goes away for good: the page is closed while it cannot reach kubegate, so
  // no close frame arrives and the shell stays for a reattach.
  const lost = await newPage(`http://127.0.0.1:${proxy.port}`);
  await lost.goto(`http://127.0.0.1:${proxy.port}/#/pod/${NAMESPACE}/worker-1/terminal`);
  await lost.locator("#terminal-state", { hasText: "connected" }).waitFor({ timeout: 15_000 });
  const lostSession = ((await lost.locator("#terminal-detail").textContent()) ?? "").replace("session ", "");
  await typeInTerminal(lost, "echo left-$((3*3))");
  await screenShows(lost, "left-9", (t) => t.includes("left-9\n"));
  proxy.refuseUntil(Date.now() + 60_000);
  proxy.cutTerminals();
  await lost.close();
  proxy.refuseUntil(0);

  const page = await newPage();
  await page.goto(`${kg.origin}/#/pod/${NAMESPACE}/worker-1/sessions`);
  const detached = page.locator("tr", { hasText: lostSession });
  await eventually("the lost terminal listed as detached", 10_000, async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    return (await detached.textContent())?.includes("DETACHED");
  });
  await axe(page, "the sessions view");
  await detached.getByRole("link", { name: "Reattach" }).click();
  await page.locator("#terminal-state", { hasText: "connected" }).waitFor({ timeout: 15_000 });
  check((await page.locator("#terminal-detail").textContent()) === `session ${lostSession}`, "the same session");
  await screenShows(page, "the output kept for the reattach", (t) => t.includes("left-9"));
  await typeInTerminal(page, "echo back-$((4*4))");
  await screenShows(page, "the shell answering again", (t) => t.includes("back-16"));

  // From another tab, the attached terminal is ended; the page showing it says so.
  const other = await newPage();
  await other.goto(`${kg.origin}/#/pod/${NAMESPACE}/worker-1/sessions`);
  const attached = other.locator("tr", { hasText: lostSession });
  await attached.waitFor();
  check((await attached.textContent())?.includes("ATTACHED"), "the session is attached again");
  await attached.getByRole("button", { name: /End session/ }).click();
  await page.locator("#terminal-state", { hasText: "ended" }).waitFor({ timeout: 10_000 });
  await other.close();
  await page.close();
});

scenario("a test run started in the console is watched live and finishes PASSED", async () => {
  const commit = await workspace();
  const page = await newPage();
  await page.getByRole("link", { name: "Test runs" }).click();
  await page.getByLabel("Claim", { exact: true }).fill("workspace");
  await page.getByLabel("Path in the claim").fill("repos/app");
  await page.getByLabel("Commit").fill(commit);
  await page.getByLabel("Command", { exact: true }).fill("sh test.sh");
  await page.getByLabel("Commit").press("Tab");
  await page.getByText("Matched image: node:20.11.0-alpine (from .nvmrc, line 1)").waitFor({ timeout: 10_000 });
  await page.getByRole("button", { name: "Start" }).click();
  const run = page.locator(".run").first();
  await run.getByText(/^scheduled: pod/).waitFor({ timeout: 20_000 });
  await run.locator("li", { hasText: /^running$/ }).waitFor({ timeout: 20_000 });
  await run.locator("pre", { hasText: "running the tests" }).waitFor({ timeout: 20_000 });
  await run.locator('[data-outcome="PASSED"]').waitFor({ timeout: 60_000 });
  await run.getByText(/finished: PASSED, exit code 0/).waitFor();
  check((await run.locator("pre").textContent())?.includes("all passed"), "the output is shown");
  await axe(page, "the test runs view");
  await page.close();
});

scenario("a pod made with the form mounts a claim and runs; cleanup previews, then deletes, finished pods", async () => {
  await workspace();
  const page = await newPage();
  await page.locator("#watch-state", { hasText: "live" }).waitFor();
  await page.getByText("Create a pod").click();
  await page.getByLabel("Name", { exact: true }).fill("lister");
  await page.getByLabel("Image", { exact: true }).fill("busybox");
  await page.getByLabel("Command", { exact: true }).fill("ls /claim/repos; echo listed");
  await page.getByLabel("Labels").fill("made-by=console");
  await page.getByLabel("Claim mounts").fill("workspace:/claim:ro");
  await page.getByRole("button", { name: "Create pod" }).click();
  await page.locator('tr[data-pod="lister"]', { hasText: "Succeeded" }).waitFor({ timeout: 30_000 });
  const logs = await grpc.pods.getPodLogs({ name: "lister", namespace: NAMESPACE });
  const text = new TextDecoder().decode(logs.content);
  check(text.includes("app") && text.includes("listed"), `the claim was mounted: ${text}`);
  const made = await grpc.pods.getPod({ name: "lister", namespace: NAMESPACE });
  check(JSON.parse(made.objectJson).metadata.labels["made-by"] === "console", "the label was set");

  await page.getByText("Clean up finished pods").click();
  await page.getByLabel("Finished at least this many hours ago").fill("0");
  await page.getByRole("button", { name: "Preview cleanup" }).click();
  await page.locator("ul.names li", { hasText: "lister" }).waitFor();
  check(!(await page.locator("ul.names").textContent())?.includes("worker-1"), "running pods are not proposed");
  await new Promise((r) => setTimeout(r, 500));
  check((await page.locator('tr[data-pod="lister"]').count()) === 1, "a preview deletes nothing");
  await page.getByRole("button", { name: "Delete these pods" }).click();
  await page.getByText(/\d+ pod\(s\) deleted\./).waitFor();
  await page.locator('tr[data-pod="lister"]').waitFor({ state: "detached", timeout: 30_000 });
  await page.close();
});

scenario("services and previews: a preview made in one form shows its URL and is deleted", async () => {
  const page = await newPage();
  await page.getByRole("link", { name: "Services and previews" }).click();
  await page.getByText("Create a preview (pod, Service and Ingress)").click();
  await page.getByLabel("Name", { exact: true }).fill("docs");
  await page.getByLabel("Image").fill("busybox");
  await page.getByLabel("Port").fill("8080");
  await page.getByLabel("Command", { exact: true }).fill("sleep 3600");
  await page.getByRole("button", { name: "Create preview" }).click();
  await page.getByText("Preview created:").waitFor({ timeout: 15_000 });
  const link = page.locator("table", { hasText: "Previews" }).getByRole("link", { name: /preview-docs/ });
  await link.waitFor();
  check((await link.getAttribute("href"))?.includes("preview-docs"), "the preview's URL is a link");
  await page.locator("table", { hasText: "Services" }).getByText("docs").first().waitFor();
  await axe(page, "the network view");
  await page.getByRole("button", { name: "Delete preview docs" }).click();
  await eventually("the preview gone", 10_000, async () => (await page.getByRole("button", { name: "Delete preview docs" }).count()) === 0);
  await page.close();
});

scenario("a pod deleted from the list is gone from the list and from the cluster", async () => {
  const page = await newPage();
  await page.locator('tr[data-pod="web-1"]').waitFor();
  await page.getByRole("button", { name: "Delete pod web-1" }).click();
  await page.locator('tr[data-pod="web-1"]').waitFor({ state: "detached", timeout: 30_000 });
  await eventually("web-1 gone from the cluster", 30_000, async () => {
    try {
      await grpc.pods.getPod({ name: "web-1", namespace: NAMESPACE });
      return undefined;
    } catch (e) {
      return e instanceof ConnectError && e.code === Code.NotFound ? true : undefined;
    }
  });
  await page.close();
});

scenario("no page broke the Content-Security-Policy or threw an error", async () => {
  check(violations.length === 0, violations.join("\n"));
});

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const binary = process.env.KUBEGATE_BIN ?? join(consoleDir, "../../target/debug/kubegate");
  const executablePath =
    process.env.CHROMIUM ??
    (process.env.PATH ?? "").split(":").map((dir) => join(dir, "chromium")).find((file) => existsSync(file));
  if (!executablePath) throw new Error("no chromium on PATH: install Debian's chromium package, or set CHROMIUM");
  kg = await startKubegate(binary);
  grpc = connect({ baseUrl: kg.grpcUrl, token: kg.token });
  proxy = await startProxy(kg.httpPort);
  browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  context = await browser.newContext({ viewport: { width: 1100, height: 700 }, acceptDownloads: true });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  let passed = 0;
  let failed = 0;
  const only = process.env.CONSOLE_TEST_ONLY;
  for (const { name, run } of scenarios) {
    if (only && !name.includes(only)) continue;
    const started = Date.now();
    try {
      await Promise.race([
        run(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 120 s")), 120_000)),
      ]);
      passed += 1;
      process.stdout.write(`ok - ${name} (${Date.now() - started} ms)\n`);
    } catch (e) {
      failed += 1;
      process.stdout.write(`not ok - ${name}\n  ${String((e as Error).stack ?? e).split("\n").join("\n  ")}\n`);
    }
  }
  await browser.close();
  await proxy.close();
  if (failed) process.stdout.write(`# kubegate's log:\n${kg.log().split("\n").slice(-40).join("\n")}\n`);
  await kg.stop();
  process.stdout.write(`console: ${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stdout.write(`console: could not run: ${String((e as Error).stack ?? e)}\nconsole: 0 passed, 1 failed\n`);
    process.exit(1);
  },
);
