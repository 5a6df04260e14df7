"""A flag's evidence as a picture: the path from the entrant to the staff member (or to the
entry that counts), each person and shared attribute a box, each edge labelled in words.

:func:`evidence_svg` draws an inline SVG 1.1 image, pure Python, no scripts and no external
references, made accessible as the WAI-ARIA practices describe for SVG (``role="img"``, a
``<title>`` and ``<desc>`` named by ``aria-labelledby``). Every text is escaped, since names
and addresses come from entrants. The boxes stand in one column, each edge's words beside
the line that joins two boxes, so no box covers a word and the picture, drawn at its own
width, reads on a 390 px phone. The auditor's page tells the same path in sentences
(:func:`evidence_lines`), in the page's language. The picture is for the auditor alone: it
names people and shows the contacts and social accounts they share (``vk:123456``), which no
public page ever does.
"""

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from contest.i18n import N_, N_plural, Plural, translate

_BOX_WIDTH = 340
_BOX_HEIGHT = 54
_GAP = 40  # between two boxes, where the edge's words stand
_MARGIN = 10
_LINE_X = 28  # the joining line, from the boxes' left side
_TEXT = 44  # characters of a name a box shows
_COLOURS = {"entry": "#d8e8f4", "staff": "#f6d6c9", "relative": "#f9e7b9"}
_ATTRIBUTE = "#eeeeee"
_INK = "#222222"


def path_nodes(edges: Sequence[Mapping[str, str]]) -> list[str]:
    """The nodes the evidence edges walk through, in order."""
    if not edges:
        return []
    return [edges[0]["from"], *(edge["to"] for edge in edges)]


NODE_KINDS = {"entry": N_("entrant"), "staff": N_("staff member"),
              "relative": N_("declared relative"), "email": N_("e-mail"),
              "phone": N_("phone"), "account": N_("social account"), "device": N_("device"),
              "household": N_("home address"), "ip": N_("IP address"),
              "network": N_("network"), "agent": N_("browser or program"),
              "series": N_("numbered mailboxes"),
              "name": N_("name with digits"), "birth": N_("date of birth and source"),
              "domain": N_("throwaway mail domain"),
              "profile": N_("social account's state"),
              "registered": N_("accounts registered together")}
"""What each kind of node is, in words."""

EDGE_WORDS = {"email": N_("the same e-mail"), "phone": N_("the same phone"),
              "account": N_("the same social account"), "device": N_("the same device"),
              "household": N_("the same home"),
              "declared_relative": N_("declared as a staff member's relative"),
              "same_person": N_("name, birth date or address alike"),
              "burst": N_("came in a burst from"), "shared_device": N_("a device of many names"),
              "template": N_("follows a template"),
              "repeated_birth_date": N_("a birth date repeated under other names"),
              "disposable": N_("a throwaway mailbox"),
              "account_state": N_("an account with no one behind it"),
              "registered_together": N_("registered together with"),
              "related": N_("linked")}
"""Each edge label in words, short enough to stand beside a line."""

SHARED = {"email": N_("{a} and {b} gave the same e-mail: {value}."),
          "phone": N_("{a} and {b} gave the same phone: {value}."),
          "account": N_("{a} and {b} entered from the same social account: {value}."),
          "device": N_("{a} and {b} entered from the same device: {value}."),
          "household": N_("{a} and {b} live at the same address: {value}.")}
"""Two people and the attribute between them, in a sentence."""

LINKED = {"declared_relative": N_("{a} is a relative declared by {b}."),
          "same_person": N_("{a} and {b} look like one person: name, date of birth or "
                            "address alike."),
          "related": N_("{a} and {b} are linked.")}
"""Two people joined directly, in a sentence."""


SIGNALS: dict[str, str | Plural] = {
    "burst": N_plural("{a} came in a burst: {count} entry from {value} within ten minutes, a "
                      "large share of all the contest's entries then.",
                      "{a} came in a burst: {count} entries from {value} within ten minutes, "
                      "a large share of all the contest's entries then."),
    "shared_device": N_("{a} entered from a device {count} entrants of different names "
                        "used: {value}."),
    "template": N_plural("{a} follows a template shared by {count} entry: {value}.",
                         "{a} follows a template shared by {count} entries: {value}."),
    "repeated_birth_date": N_("{a} gave a date of birth {count} entrants of different names "
                              "gave from one source: {value}."),
    "disposable": N_("{a} gave a throwaway mailbox: {value}."),
    "registered_together": N_("{a} entered from one of {count} entrants' VK accounts "
                              "registered at about the same time: their ids lie close "
                              "together ({value})."),
    "account_state": N_("{a} entered from a social account that shows no one behind it.")}
"""A bot signal of one entry (:mod:`contest.fraud.bots`), in a sentence."""

ACCOUNT_STATES = {
    "banned": N_("{a} entered from a social account the network has since banned."),
    "deleted": N_("{a} entered from a social account deleted since."),
    "bot": N_("{a} entered from an account the network says is a bot."),
    "empty": N_("{a} entered from a social account with no photo and almost no followers "
                "(or a closed profile).")}
"""The ``account_state`` signal in a sentence, by the state (:func:`contest.fraud.bots.
account_state`)."""

STATE_WORDS = {"banned": N_("banned"), "deleted": N_("deleted"), "bot": N_("a bot"),
               "empty": N_("no photo, almost no followers")}
"""An account's state in a box of the picture."""


def evidence_label(label: str, language: str) -> str:
    """An edge's label in words: ``same_person`` → "name, birth date or address alike"."""
    return translate(EDGE_WORDS.get(label, EDGE_WORDS["related"]), language)


def node_caption(node: str, names: Mapping[str, str], language: str) -> tuple[str, str]:
    """Two lines for a node: what it is, and who or which value."""
    words = _kind_words(node, language)
    kind, _, value = node.partition(":")
    if kind == "profile" and value in STATE_WORDS:
        value = translate(STATE_WORDS[value], language)
    return words[:1].upper() + words[1:], names.get(node, value)


def _kind_words(node: str, language: str) -> str:
    kind = node.partition(":")[0]
    return translate(NODE_KINDS[kind], language) if kind in NODE_KINDS else kind


def evidence_lines(edges: Sequence[Mapping[str, str]], names: Mapping[str, str],
                   language: str) -> list[str]:
    """The path in sentences: two people and what they share, or how they are joined."""
    def who(node: str) -> str:
        return f"{_kind_words(node, language)} {names.get(node, node.partition(':')[2])}"

    lines: list[str] = []
    index = 0
    while index < len(edges):
        edge = edges[index]
        if edge["label"] in SIGNALS:
            value = edge["to"].partition(":")[2]
            sentence = (ACCOUNT_STATES.get(value, SIGNALS["account_state"])
                        if edge["label"] == "account_state" else SIGNALS[edge["label"]])
            count = edge.get("count", "")
            lines.append(translate(sentence, language, {
                "a": who(edge["from"]), "count": int(count) if count.isdigit() else count,
                "value": edge["to"].partition(":")[2]}))
            index += 1
            continue
        shared = edge["to"].partition(":")[0]
        if shared in SHARED and index + 1 < len(edges):
            lines.append(translate(SHARED[shared], language, {
                "a": who(edge["from"]), "b": who(edges[index + 1]["to"]),
                "value": edge["to"].partition(":")[2]}))
            index += 2
            continue
        lines.append(translate(LINKED.get(edge["label"], LINKED["related"]), language,
                               {"a": who(edge["from"]), "b": who(edge["to"])}))
        index += 1
    return [line[:1].upper() + line[1:] for line in lines]


def evidence_svg(edges: Sequence[Mapping[str, str]], names: Mapping[str, str], *,
                 title: str, language: str, description: str = "",
                 element_id: str = "evidence") -> str:
    """The evidence path as an SVG image; ``names`` gives a person node's display name."""
    nodes = path_nodes(edges)
    width = 2 * _MARGIN + _BOX_WIDTH
    height = 2 * _MARGIN + max(1, len(nodes)) * (_BOX_HEIGHT + _GAP) - _GAP
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    told = description or " ".join(evidence_lines(edges, names, language))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(element_id)} role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(told)}</desc>',
    ]
    for index, edge in enumerate(edges):
        top = _top(index) + _BOX_HEIGHT
        x = _MARGIN + _LINE_X
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + _GAP}" '
                     f'stroke="{_INK}" stroke-width="1.5"/>')
        parts.append(f'<text class="edge" x="{x + 10}" y="{top + _GAP / 2 + 4:g}" '
                     f'fill="{_INK}" font-style="italic">'
                     f'{escape(evidence_label(edge["label"], language))}</text>')
    for index, node in enumerate(nodes):
        kind, value = node_caption(node, names, language)
        fill = _COLOURS.get(node.partition(":")[0], _ATTRIBUTE)
        x, y = _MARGIN, _top(index)
        parts.append(f'<g><title>{escape(kind)}: {escape(value)}</title>'
                     f'<rect x="{x}" y="{y}" width="{_BOX_WIDTH}" height="{_BOX_HEIGHT}" '
                     f'rx="6" fill="{fill}" stroke="{_INK}"/>'
                     f'<text x="{x + 8}" y="{y + 20}" fill="{_INK}" font-weight="bold">'
                     f'{escape(kind)}</text>'
                     f'<text x="{x + 8}" y="{y + 40}" fill="{_INK}">'
                     f'{escape(_short(value, _TEXT))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _top(index: int) -> int:
    return _MARGIN + index * (_BOX_HEIGHT + _GAP)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
