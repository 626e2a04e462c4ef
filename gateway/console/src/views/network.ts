// Services, Ingresses and Previews: lists, a preview made in one form (pod + Service + Ingress) with its
// URL as a link, and delete.

import { call, query } from "../api";
import { age, announce, checkbox, errorLine, field, h, pairs, replace, table } from "../dom";
import type { Stop } from "../main";

interface ServiceSummary {
  name: string;
  namespace: string;
  type: string;
  clusterIP?: string;
  ports: { port: number; protocol: string; targetPort: unknown }[];
  age: number;
}
interface IngressSummary {
  name: string;
  namespace: string;
  hosts: string[];
  addresses: string[];
  ingressClassName: string;
  age: number;
}
interface PreviewSummary {
  name: string;
  namespace: string;
  host: string;
  url: string;
  pod?: { phase: string };
}

/** Objects deleted and still listed (Kubernetes deletes gracefully): shown as being deleted. */
const deleting = new Set<string>();

function deleteButton(label: string, path: string, reload: () => Promise<void>, message: HTMLElement): HTMLButtonElement {
  if (deleting.has(path)) {
    return h("button", { type: "button", class: "danger small", disabled: true, "aria-label": `Deleting ${label}` }, "Deleting…");
  }
  const button = h("button", { type: "button", class: "danger small", "aria-label": `Delete ${label}` }, "Delete");
  button.addEventListener("click", async () => {
    if (!window.confirm(`Delete ${label}?`)) return;
    button.disabled = true;
    try {
      await call("DELETE", path);
      announce(`${label} deleted`);
      deleting.add(path);
      // Refreshed until the object is no longer listed.
      for (const wait of [0, 500, 1000, 2000, 4000, 8000]) {
        await new Promise((r) => setTimeout(r, wait));
        await reload();
        if (!document.querySelector(`[data-path="${CSS.escape(path)}"]`)) break;
      }
      deleting.delete(path);
    } catch (e) {
      button.disabled = false;
      replace(message, errorLine((e as Error).message));
    }
  });
  return button;
}

/** A table row standing for the object at `path`. */
function row(path: string, ...cells: HTMLElement[]): HTMLTableRowElement {
  return h("tr", { "data-path": path }, ...cells);
}

export function networkView(main: HTMLElement): Stop {
  const message = h("div");
  const services = h("tbody");
  const ingresses = h("tbody");
  const previews = h("tbody");
  const reload = async () => {
    try {
      const [s, i, p] = await Promise.all([
        call<{ services: ServiceSummary[] }>("GET", "services"),
        call<{ ingresses: IngressSummary[] }>("GET", "ingresses"),
        call<{ previews: PreviewSummary[] }>("GET", "previews"),
      ]);
      const ns = (namespace: string) => query({ namespace });
      services.replaceChildren(
        ...s.services.map((x) =>
          row(
            `services/${encodeURIComponent(x.name)}${ns(x.namespace)}`,
            h("td", {}, x.name),
            h("td", {}, x.type),
            h("td", {}, x.clusterIP ?? ""),
            h("td", {}, x.ports.map((port) => `${port.port}/${port.protocol}`).join(", ")),
            h("td", {}, age(x.age)),
            h("td", {}, deleteButton(`service ${x.name}`, `services/${encodeURIComponent(x.name)}${ns(x.namespace)}`, reload, message)),
          ),
        ),
      );
      ingresses.replaceChildren(
        ...i.ingresses.map((x) =>
          row(
            `ingresses/${encodeURIComponent(x.name)}${ns(x.namespace)}`,
            h("td", {}, x.name),
            h("td", {}, x.hosts.join(", ")),
            h("td", {}, x.ingressClassName),
            h("td", {}, x.addresses.join(", ")),
            h("td", {}, age(x.age)),
            h("td", {}, deleteButton(`ingress ${x.name}`, `ingresses/${encodeURIComponent(x.name)}${ns(x.namespace)}`, reload, message)),
          ),
        ),
      );
      previews.replaceChildren(
        ...p.previews.map((x) =>
          row(
            `previews/${encodeURIComponent(x.name)}${ns(x.namespace)}`,
            h("td", {}, x.name),
            h("td", {}, /^https?:\/\//.test(x.url) ? h("a", { href: x.url, rel: "noopener noreferrer", target: "_blank" }, x.url) : x.url),
            h("td", {}, x.pod?.phase ?? "no pod"),
            h("td", {}, deleteButton(`preview ${x.name}`, `previews/${encodeURIComponent(x.name)}${ns(x.namespace)}`, reload, message)),
          ),
        ),
      );
      replace(message);
    } catch (e) {
      replace(message, errorLine((e as Error).message));
    }
  };

  const name = h("input", { type: "text", name: "name", required: true, autocomplete: "off", spellcheck: "false" });
  const image = h("input", { type: "text", name: "image", required: true, value: "node:20-alpine", spellcheck: "false" });
  const port = h("input", { type: "number", name: "port", required: true, min: 1, max: 65535, value: 3000 });
  const command = h("input", { type: "text", name: "command", spellcheck: "false" });
  const env = h("textarea", { name: "env", rows: 2, spellcheck: "false" });
  const websocket = checkbox("Allow WebSocket connections", false, "websocket");
  const created = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "grid" },
    field("Name", name),
    field("Image", image),
    field("Port", port, "The port the container listens on."),
    field("Command", command, "Run with sh -c; empty: the image's own command."),
    field("Environment", env, "One KEY=VALUE per line."),
    websocket.row,
    h("div", {}, h("button", { type: "submit" }, "Create preview")),
    created,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const line = command.value.trim();
      const answer = await call<{ preview?: PreviewSummary }>("POST", "previews", {
        name: name.value.trim(),
        image: image.value.trim(),
        port: Number(port.value),
        command: line ? ["sh", "-c", line] : [],
        env: pairs(env.value, /\n/),
        websocket: websocket.input.checked,
      });
      const url = answer.preview?.url ?? "";
      replace(
        created,
        h("p", {}, "Preview created: ", /^https?:\/\//.test(url) ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, url) : url),
      );
      await reload();
    } catch (e) {
      replace(created, errorLine((e as Error).message));
    }
  });

  const refresh = h("button", { type: "button" }, "Refresh");
  refresh.addEventListener("click", reload);
  replace(
    main,
    h("h1", {}, "Services, ingresses and previews"),
    h("div", { class: "toolbar" }, refresh),
    message,
    h("details", { class: "card" }, h("summary", {}, "Create a preview (pod, Service and Ingress)"), form),
    table("Previews", ["Name", "URL", "Pod", "Actions"], previews),
    table("Services", ["Name", "Type", "Cluster IP", "Ports", "Age", "Actions"], services),
    table("Ingresses", ["Name", "Hosts", "Class", "Addresses", "Age", "Actions"], ingresses),
  );
  void reload();
  return () => {};
}
