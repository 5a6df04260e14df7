"""Dependencies go one way (issue 16, section 4): no two packages of ``contest`` and ``web``
import each other, directly or around a ring, and no two modules do. The layers themselves are
import-linter's contracts in ``pyproject.toml`` (``make test`` runs ``lint-imports``);
``bench/import_cycles.py`` prints the same counts with the imports behind each cycle."""

import ast
from pathlib import Path

from bench.import_cycles import cycles, module_graph, package_graph

ROOT = Path(__file__).resolve().parent.parent


def test_no_import_cycle_between_packages() -> None:
    found = cycles(package_graph(module_graph()))
    assert found == [], "\n".join(" → ".join(cycle + cycle[:1]) for cycle in found[:20])


def test_no_import_cycle_between_modules() -> None:
    found = cycles(module_graph())
    assert found == [], "\n".join(" → ".join(cycle + cycle[:1]) for cycle in found[:20])


def _defined_names(module: Path) -> set[str]:
    """The names a module defines itself (functions, classes, assignments), the submodules of
    a package, and what a package lists in ``__all__`` as its public face."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                names.update(ast.literal_eval(node.value))
        elif isinstance(node, ast.If | ast.Try):
            # ``if TYPE_CHECKING:`` or a fallback: what it defines counts, what it imports not.
            for inner in ast.walk(node):
                if isinstance(inner, ast.FunctionDef | ast.ClassDef):
                    names.add(inner.name)
    if module.name == "__init__.py":
        names.update(p.stem for p in module.parent.glob("*.py"))
        names.update(p.name for p in module.parent.iterdir() if (p / "__init__.py").exists())
    return names


def _module_file(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def test_every_name_is_imported_from_its_one_home() -> None:
    """A name that moved has one import path: no module passes on what it imported, so
    ``from contest.rules.publishing import find_published`` (it lives in ``versions``) fails."""
    defined: dict[Path, set[str]] = {}
    strays = []
    for folder in ("contest", "web", "tests", "features", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                if node.module.split(".")[0] not in ("contest", "web"):
                    continue
                home = _module_file(node.module)
                if home is None:
                    continue
                own = defined.setdefault(home, _defined_names(home))
                strays += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {node.module}"
                    for alias in node.names
                    if alias.name != "*" and alias.name not in own
                ]
    assert strays == [], "\n".join(strays)
