// Connection: the settings a token may change (enabled, namespace), those only the operator may (shown
// read-only), and the connection test with each permission kubegate needs.

import { call } from "../api";
import { announce, checkbox, errorLine, field, h, replace, table } from "../dom";
import type { Stop } from "../main";

interface Permission {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  allowed: boolean;
  reason?: string;
}

interface Connection {
  connected: boolean;
  error?: string;
  namespace?: string;
  serverVersion?: string;
  username?: string;
  allPermissionsAllowed?: boolean;
  permissions?: Permission[];
}

interface Settings {
  enabled: boolean;
  namespace: string;
  kubeconfigPath?: string;
}

function report(connection: Connection): HTMLElement {
  if (!connection.connected) {
    return h(
      "div",
      { class: "report" },
      h("p", {}, h("span", { class: "badge bad" }, "not connected"), " ", connection.error ?? "The connection is disabled."),
    );
  }
  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Connected"),
    h("dd", {}, h("span", { class: "badge good" }, "connected")),
    h("dt", {}, "Server version"),
    h("dd", {}, connection.serverVersion ?? ""),
    h("dt", {}, "Acting as"),
    h("dd", {}, connection.username ?? ""),
    h("dt", {}, "Namespace"),
    h("dd", {}, connection.namespace ?? ""),
    h("dt", {}, "Permissions"),
    h(
      "dd",
      {},
      connection.allPermissionsAllowed
        ? h("span", { class: "badge good" }, "all allowed")
        : h("span", { class: "badge bad" }, "some denied"),
    ),
  );
  const rows = h("tbody");
  for (const p of connection.permissions ?? []) {
    const resource = `${p.resource}${p.subresource ? `/${p.subresource}` : ""}${p.group ? `.${p.group}` : ""}`;
    rows.append(
      h(
        "tr",
        {},
        h("td", {}, p.verb),
        h("td", {}, resource),
        h("td", {}, h("span", { class: p.allowed ? "badge good" : "badge bad" }, p.allowed ? "allowed" : "denied")),
        h("td", {}, p.reason ?? ""),
      ),
    );
  }
  return h(
    "div",
    { class: "report" },
    facts,
    rows.children.length ? table("Permissions kubegate needs", ["Verb", "Resource", "Result", "Reason"], rows) : null,
  );
}

export function connectionView(main: HTMLElement): Stop {
  const controller = new AbortController();
  const enabled = checkbox("Enabled (kubegate talks to the cluster)", false, "enabled");
  const namespace = h("input", { type: "text", name: "namespace", autocomplete: "off", spellcheck: "false" });
  const kubeconfig = h("input", { type: "text", readonly: true, name: "kubeconfig" });
  const saveMessage = h("div", {});
  const testResult = h("div", { "aria-live": "polite" });
  const settingsForm = h(
    "form",
    { class: "card", "aria-labelledby": "settings-title" },
    h("h2", { id: "settings-title" }, "Settings"),
    enabled.row,
    field("Namespace", namespace, "Within the namespaces the operator allows."),
    h("button", { type: "submit" }, "Save settings"),
    saveMessage,
    h("h3", {}, "Set by the operator"),
    field(
      "Kubeconfig",
      kubeconfig,
      "Allowed namespaces, hostPath prefixes, the kubeconfig and default resources come from kubegate's flags, its settings file, or the admin token.",
    ),
  );
  const testButton = h("button", { type: "button" }, "Test the connection");
  const testCard = h(
    "section",
    { class: "card", "aria-labelledby": "test-title" },
    h("h2", { id: "test-title" }, "Connection test"),
    testButton,
    testResult,
  );
  replace(main, h("h1", {}, "Connection"), settingsForm, testCard);

  const show = (settings: Settings) => {
    enabled.input.checked = settings.enabled;
    namespace.value = settings.namespace;
    kubeconfig.value = settings.kubeconfigPath ?? "(default: in-cluster, $KUBECONFIG or the embedded cluster)";
  };

  call<{ config: Settings; connection: Connection }>("GET", "config", undefined, controller.signal)
    .then((answer) => {
      show(answer.config);
      replace(testResult, report(answer.connection));
    })
    .catch((e: Error) => {
      if (e.name !== "AbortError") replace(saveMessage, errorLine(e.message));
    });

  settingsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const body = { enabled: enabled.input.checked, namespace: namespace.value.trim() };
      const answer = await call<{ config: Settings }>("PUT", "config", body);
      show(answer.config);
      replace(saveMessage);
      announce("Settings saved");
    } catch (e) {
      replace(saveMessage, errorLine((e as Error).message));
    }
  });

  testButton.addEventListener("click", async () => {
    testButton.disabled = true;
    replace(testResult, h("p", { class: "muted" }, "Testing…"));
    try {
      const answer = await call<Connection>("POST", "test-connection", { namespace: namespace.value.trim() });
      replace(testResult, report(answer));
    } catch (e) {
      replace(testResult, errorLine((e as Error).message));
    } finally {
      testButton.disabled = false;
    }
  });

  return () => controller.abort();
}
