#!/usr/bin/env python3
"""Fails when the modules of a Rust crate import each other in a cycle.

Each file is a module (`src/a.rs` and `src/a/mod.rs` are `a`, `src/a/b.rs` is `a::b`). A reference
`crate::a::b::Item`, `super::x` or `self::x` from a module is an edge to the longest module path it
names; `mod x;` declarations and references to the crate root are not edges. Tests inside a file
(`#[cfg(test)] mod tests`) are ignored, as they may use anything.

    tests/tools/module_cycles.py core/src gateway/src embedded/src src
"""
import os
import re
import sys


def modules(root):
    found = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            if rel and rel[0] == "bin":
                continue
            found["::".join(rel)] = path
    return found


def strip_tests(text):
    match = re.search(r"#\[cfg\(test\)\]\s*mod \w+\s*\{", text)
    return text[: match.start()] if match else text


def references(text):
    """Yields module paths as written: ('crate', ['a', 'b']) or ('super', [...]) for every use."""
    text = re.sub(r"//[^\n]*", "", text)
    # Expand `use crate::{a::x, b}` groups one level deep.
    for m in re.finditer(r"\b(crate|super|self)::\{([^{}]*)\}", text):
        for part in m.group(2).split(","):
            part = part.strip()
            if part:
                yield m.group(1), [p for p in part.split("::") if p]
    for m in re.finditer(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)", text):
        yield m.group(1), m.group(2).strip(":").split("::")


def graph(root):
    mods = modules(root)
    edges = {m: set() for m in mods}
    for module, path in mods.items():
        with open(path, encoding="utf-8") as f:
            text = strip_tests(f.read())
        here = module.split("::") if module else []
        is_dir_module = path.endswith(("mod.rs", "lib.rs"))
        refs = list(references(text))
        # A module names its own children without a prefix (`mod x;` then `x::f()`, `pub use x::Y`).
        for child in re.findall(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text):
            if re.search(r"\b" + child + r"::", text):
                refs.append(("self", [child]))
        for kind, parts in refs:
            if kind == "crate":
                base = []
            elif kind == "super":
                base = here[:-1] if not is_dir_module else here[:-1]
                # super:: may repeat
                while parts and parts[0] == "super":
                    base, parts = base[:-1], parts[1:]
            else:
                base = here
            full = base + parts
            target = None
            for n in range(len(full), 0, -1):
                candidate = "::".join(full[:n])
                if candidate in mods:
                    target = candidate
                    break
            if target is None or target == module or target == "":
                continue
            edges[module].add(target)
    return edges


def cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def main(roots):
    failed = False
    for root in roots:
        found = cycles(graph(root))
        for comp in found:
            failed = True
            print(f"{root}: modules in a cycle: {' <-> '.join(comp)}")
        if not found:
            print(f"{root}: no module cycle ({len(modules(root))} modules)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src"]))
