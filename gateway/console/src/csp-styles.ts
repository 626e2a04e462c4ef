// xterm.js writes its sizes and colours into <style> elements it creates and into `style` attributes.
// The console's Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline') makes the browser ignore
// both. Rather than weaken the policy, the two paths are routed through the CSSOM, which the policy
// does not govern (it guards against markup injected into the page, not the page's own script):
// - a <style> element asked for is an inert <template> (an empty <style> in the page is itself a
//   violation), whose text becomes a constructed stylesheet adopted by the document, removed with it;
// - `setAttribute("style", css)` becomes `element.style.cssText = css`.
// Installed once, before the terminal is created.

let installed = false;

export function installCspStyles(): void {
  if (installed) return;
  installed = true;

  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (tag.toLowerCase() !== "style") return create.call(this, tag, options);
    const element = create.call(this, "template") as HTMLTemplateElement;
    adopt(element, this);
    return element;
  } as typeof Document.prototype.createElement;

  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() === "style" && this instanceof HTMLElement) {
      this.style.cssText = value;
      return;
    }
    setAttribute.call(this, name, value);
  };
}

function adopt(element: HTMLElement, doc: Document): void {
  const sheet = new CSSStyleSheet();
  let text = "";
  let adopted = false;
  Object.defineProperty(element, "textContent", {
    configurable: true,
    get: () => text,
    set: (value: string | null) => {
      text = value ?? "";
      sheet.replaceSync(text);
      if (!adopted) {
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
        adopted = true;
      }
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    if (adopted) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    adopted = false;
    remove();
  };
}
