"""The house stands: no import circle between modules, no import up the layers or across the rooms.

Layers, lowest first: ingestion -> vectorstore -> assistant -> evals -> ui (prompts is data).
Inside the assistant, rooms rank: the core, then llm and people, answering, drafting and workspace,
and the cli on top. A module may import its own room or a lower one, never a higher or a sibling.
Every import counts, also one inside a function: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

LAYERS = {"prompts": 0, "ingestion": 0, "vectorstore": 1, "assistant": 2, "evals": 3, "ui": 4}
ROOMS = {"core": 0, "llm": 1, "people": 1, "answering": 2, "drafting": 3, "workspace": 3, "cli": 4}
CORE = {"assistant", "assistant.errors", "assistant.language", "assistant.messages", "assistant.models",
        "assistant.prompts", "assistant.services", "assistant.settings"}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every Python file of the layers under `root`."""
    found = {}
    for package in LAYERS:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body (`from a import b` may name a module b)."""
    known = modules(root)

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            targets |= {t for t in map(owner, names) if t and t != module}
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return found


def place(module: str) -> tuple[str, str]:
    """(layer, room): the room is a subpackage of the assistant, 'core' for its top modules."""
    parts = module.split(".")
    if parts[0] != "assistant":
        return parts[0], ""
    return "assistant", parts[1] if len(parts) > 1 and parts[1] in ROOMS else "core"


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import that runs up the layers, or up or across the assistant's rooms."""
    wrong = []
    for module, targets in graph.items():
        layer, room = place(module)
        for target in sorted(targets):
            t_layer, t_room = place(target)
            if layer != t_layer:
                ok = LAYERS[layer] > LAYERS[t_layer]
            else:
                ok = room == t_room or ROOMS[room] > ROOMS[t_room]
            if not ok:
                wrong.append(f"{module} -> {target}")
    return wrong


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_no_import_circle_between_modules() -> None:
    assert circles(imports(PROJECT_ROOT)) == []


def test_no_import_runs_up_the_layers_or_across_rooms() -> None:
    assert upward(imports(PROJECT_ROOT)) == []


def test_the_assistant_holds_only_the_core_outside_its_rooms() -> None:
    loose = {m for m, path in modules(PROJECT_ROOT).items()
             if m.startswith("assistant") and path.parent == PROJECT_ROOT / "assistant"}
    assert loose <= CORE, sorted(loose - CORE)
    rooms = {p.name for p in (PROJECT_ROOT / "assistant").iterdir() if (p / "__init__.py").exists()}
    assert rooms == set(ROOMS) - {"core"}


@pytest.mark.parametrize("room", sorted(set(ROOMS) - {"core"}))
def test_each_room_says_what_it_does_and_may_import(room: str) -> None:
    doc = ast.get_docstring(ast.parse((PROJECT_ROOT / "assistant" / room / "__init__.py").read_text()))
    assert doc and "import" in doc and len(doc.splitlines()) <= 4


def _edges(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    return graph


def test_the_checks_see_a_lazy_circle_and_an_upward_import(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "ingestion/__init__.py": "",
        "ingestion/a.py": "def f():\n    from ingestion.b import g\n",
        "ingestion/b.py": "from ingestion import a\n",
        "vectorstore/__init__.py": "",
        "vectorstore/c.py": "import assistant.answering.x\n",
        "assistant/__init__.py": "",
        "assistant/settings.py": "from assistant.answering import x\n",
        "assistant/answering/__init__.py": "",
        "assistant/answering/x.py": "from assistant.drafting.y import z\n",
        "assistant/drafting/__init__.py": "",
        "assistant/drafting/y.py": "from assistant.workspace import w\n",
        "assistant/workspace/__init__.py": "",
        "assistant/workspace/w.py": "",
    })
    graph = imports(root)
    assert circles(graph) == [["ingestion.a", "ingestion.b"]]
    assert sorted(upward(graph)) == ["assistant.answering.x -> assistant.drafting.y",
                             "assistant.drafting.y -> assistant.workspace.w",
                             "assistant.settings -> assistant.answering.x",
                             "vectorstore.c -> assistant.answering.x"]
    assert circles(_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])) == [["a", "b", "c"]]
