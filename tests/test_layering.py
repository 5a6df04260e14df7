"""Dependencies go one way (issue 16, section 4): no two packages of ``contest`` and ``web``
import each other, directly or around a ring, and no two modules do. The layers themselves are
import-linter's contracts in ``pyproject.toml`` (``make test`` runs ``lint-imports``);
``bench/import_cycles.py`` prints the same counts with the imports behind each cycle."""

from bench.import_cycles import cycles, module_graph, package_graph


def test_no_import_cycle_between_packages() -> None:
    found = cycles(package_graph(module_graph()))
    assert found == [], "\n".join(" → ".join(cycle + cycle[:1]) for cycle in found[:20])


def test_no_import_cycle_between_modules() -> None:
    found = cycles(module_graph())
    assert found == [], "\n".join(" → ".join(cycle + cycle[:1]) for cycle in found[:20])
