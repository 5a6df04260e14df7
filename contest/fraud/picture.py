"""A flag's evidence as a picture: the path from the entrant to the staff member (or to the
entry that counts), each person and shared attribute a box, each edge labelled.

:func:`evidence_svg` draws an inline SVG 1.1 image, pure Python, no scripts and no external
references, made accessible as the WAI-ARIA practices describe for SVG (``role="img"``, a
``<title>`` and ``<desc>`` named by ``aria-labelledby``). Every text is escaped, since names
and addresses come from entrants. The auditor's page shows the same path as text
(:func:`evidence_lines`).
"""

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

_BOX_WIDTH = 170
_BOX_HEIGHT = 54
_GAP = 60
_PER_ROW = 4
_ROW_GAP = 46
_MARGIN = 10
_COLOURS = {"entry": "#d8e8f4", "staff": "#f6d6c9", "relative": "#f9e7b9"}
_ATTRIBUTE = "#eeeeee"
_INK = "#222222"


def path_nodes(edges: Sequence[Mapping[str, str]]) -> list[str]:
    """The nodes the evidence edges walk through, in order."""
    if not edges:
        return []
    return [edges[0]["from"], *(edge["to"] for edge in edges)]


def node_caption(node: str, names: Mapping[str, str]) -> tuple[str, str]:
    """Two lines for a node: what it is, and who or which value."""
    kind, _, value = node.partition(":")
    return kind.replace("_", " "), names.get(node, value)


def evidence_lines(edges: Sequence[Mapping[str, str]],
                   names: Mapping[str, str]) -> list[str]:
    """The path as text, one edge a line: ``entry Olga Sidorova —phone→ phone +79161234567``."""
    def shown(node: str) -> str:
        return " ".join(node_caption(node, names))

    return [f"{shown(edge['from'])} —{edge['label']}→ {shown(edge['to'])}" for edge in edges]


def evidence_svg(edges: Sequence[Mapping[str, str]], names: Mapping[str, str], *,
                 title: str, description: str = "", element_id: str = "evidence") -> str:
    """The evidence path as an SVG image; ``names`` gives a person node's display name."""
    nodes = path_nodes(edges)
    rows = max(1, -(-len(nodes) // _PER_ROW))
    columns = min(max(len(nodes), 1), _PER_ROW)
    width = 2 * _MARGIN + columns * _BOX_WIDTH + (columns - 1) * _GAP
    height = 2 * _MARGIN + rows * _BOX_HEIGHT + (rows - 1) * _ROW_GAP
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(element_id)} role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description or "; ".join(evidence_lines(edges, names)))}'
        '</desc>',
    ]
    places = [_place(index) for index in range(len(nodes))]
    for index, edge in enumerate(edges):
        (x1, y1), (x2, y2) = places[index], places[index + 1]
        start: tuple[float, float]
        end: tuple[float, float]
        if y1 == y2:  # along a row: from the right side of one box to the left of the next
            start, end = (x1 + _BOX_WIDTH, y1 + _BOX_HEIGHT / 2), (x2, y2 + _BOX_HEIGHT / 2)
        else:  # down to the next row
            start = (x1 + _BOX_WIDTH / 2, y1 + _BOX_HEIGHT)
            end = (x2 + _BOX_WIDTH / 2, y2)
        parts.append(f'<line x1="{start[0]:g}" y1="{start[1]:g}" x2="{end[0]:g}" '
                     f'y2="{end[1]:g}" stroke="{_INK}" stroke-width="1.5"/>')
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 4)
        parts.append(f'<text x="{middle[0]:g}" y="{middle[1]:g}" text-anchor="middle" '
                     f'fill="{_INK}">{escape(_short(edge["label"], 12))}</text>')
    for node, (x, y) in zip(nodes, places, strict=True):
        kind, value = node_caption(node, names)
        fill = _COLOURS.get(node.partition(":")[0], _ATTRIBUTE)
        parts.append(f'<g><title>{escape(kind)}: {escape(value)}</title>'
                     f'<rect x="{x}" y="{y}" width="{_BOX_WIDTH}" height="{_BOX_HEIGHT}" '
                     f'rx="6" fill="{fill}" stroke="{_INK}"/>'
                     f'<text x="{x + 8}" y="{y + 20}" fill="{_INK}" font-weight="bold">'
                     f'{escape(_short(kind, 24))}</text>'
                     f'<text x="{x + 8}" y="{y + 40}" fill="{_INK}">'
                     f'{escape(_short(value, 24))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _place(index: int) -> tuple[int, int]:
    row, column = divmod(index, _PER_ROW)
    return (_MARGIN + column * (_BOX_WIDTH + _GAP),
            _MARGIN + row * (_BOX_HEIGHT + _ROW_GAP))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
