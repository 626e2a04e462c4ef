// Building the page: elements made with properties and text nodes only, never from HTML strings, so that
// nothing a pod prints or a server sends can become markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** An element with attributes (`on…` keys are listeners, booleans toggle the attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      element.className = String(value);
    } else if (value === true) {
      element.setAttribute(key, "");
    } else if (key === "value" && "value" in element) {
      (element as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(key, String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children; strings and numbers become text. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let uniqueCounter = 0;
/** An id unique in the page, to tie labels to their controls. */
export function uid(prefix: string): string {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** A labelled control: `<label for>` tied to the control's id. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = uid("field");
  const hintNode = hint ? h("small", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintNode);
}

/** A labelled checkbox. */
export function checkbox(label: string, checked: boolean, name?: string): { row: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "checkbox", id: uid("check"), name });
  input.checked = checked;
  return { row: h("div", { class: "field check" }, input, h("label", { for: input.id }, label)), input };
}

/** A short human age: 42s, 5m, 3h, 2d. */
export function age(millis: number): string {
  const seconds = Math.max(0, Math.floor(millis / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** A table with a caption (for screen readers and the eye) and header cells with scope. */
export function table(caption: string, headers: string[], body: HTMLTableSectionElement): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...headers.map((name) => h("th", { scope: "col" }, name)))),
    body,
  );
}

/** Announces a short message in the live region. */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = message;
  status.classList.add("shown");
  window.setTimeout(() => {
    if (status.textContent === message) status.classList.remove("shown");
  }, 4000);
}

/** An error line, announced to assistive technology. */
export function errorLine(message: string): HTMLElement {
  return h("p", { class: "error", role: "alert" }, message);
}

/** Parses `KEY=VALUE` lines (or comma-separated pairs) into a map; blank entries are skipped. */
export function pairs(text: string, separator: RegExp = /[\n,]/): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(separator)) {
    const entry = raw.trim();
    if (!entry) continue;
    const at = entry.indexOf("=");
    if (at <= 0) throw new Error(`"${entry}" is not KEY=VALUE`);
    out[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return out;
}
