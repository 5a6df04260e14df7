"""Import cycles between the packages of ``contest`` and ``web``: prints figures, asserts
nothing (``tests/test_layering.py`` holds the count at zero).

A *package* here is one part of the code a reader names: ``contest.rules``,
``contest.lifecycle``, ``contest.cli``, ``web.public``, and ``contest`` or ``web`` for the
package's own ``__init__``. Every import counts, as grimp (import-linter's graph) finds it:
at the top of a module, inside a function, or only for the type checker, since each ties
the two packages together for a reader all the same. Printed:

- ``packages`` and ``imports``: the nodes and edges of the package graph;
- ``cycles``: the elementary cycles in it (A → B → A is one; every extra route counts);
- ``tangles``: the groups of packages that all reach one another (strongly connected
  components), each listed with the module imports that close it;
- ``module cycles``: the same count one level down, between modules.

    .venv/bin/python bench/import_cycles.py
"""

from collections.abc import Iterable

import grimp
import networkx as nx

ROOTS = ("contest", "web")


def package_of(module: str) -> str:
    """``contest.rules.publishing`` → ``contest.rules``; ``web`` → ``web``."""
    return ".".join(module.split(".")[:2])


def module_graph(roots: Iterable[str] = ROOTS) -> "nx.DiGraph[str]":
    """Every import between the modules of ``roots`` (migrations left out: Alembic loads
    them by file, no module imports them)."""
    imports = grimp.build_graph(*roots, include_external_packages=False, cache_dir=None)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for module in imports.modules:
        if ".migrations" in module:
            continue
        graph.add_node(module)
        for imported in imports.find_modules_directly_imported_by(module):
            if ".migrations" not in imported:
                graph.add_edge(module, imported)
    return graph


def package_graph(modules: "nx.DiGraph[str]") -> "nx.DiGraph[str]":
    """The imports between packages, each edge holding the module imports behind it."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for module in modules.nodes:
        graph.add_node(package_of(module))
    for importer, imported in modules.edges:
        source, target = package_of(importer), package_of(imported)
        if source != target:
            if not graph.has_edge(source, target):
                graph.add_edge(source, target, imports=[])
            graph.edges[source, target]["imports"].append((importer, imported))
    return graph


def cycles(graph: "nx.DiGraph[str]") -> list[list[str]]:
    """The elementary cycles of ``graph``, shortest first."""
    return sorted((list(cycle) for cycle in nx.simple_cycles(graph)), key=lambda c: (len(c), c))


def tangles(graph: "nx.DiGraph[str]") -> list[set[str]]:
    """The groups of two or more nodes that all reach one another."""
    return [group for group in nx.strongly_connected_components(graph) if len(group) > 1]


def main() -> None:
    modules = module_graph()
    packages = package_graph(modules)
    found = cycles(packages)
    print(f"packages: {packages.number_of_nodes()}, imports between them: "
          f"{packages.number_of_edges()}")
    print(f"cycles between packages: {len(found)}")
    for group in tangles(packages):
        print(f"  tangle of {len(group)}: {', '.join(sorted(group))}")
        for source, target in sorted(packages.subgraph(group).edges):
            for importer, imported in packages.edges[source, target]["imports"]:
                print(f"    {importer} → {imported}")
    print(f"cycles between modules: {len(cycles(modules))} "
          f"(tangles: {len(tangles(modules))})")


if __name__ == "__main__":
    main()
