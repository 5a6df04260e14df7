"""The marketer's import page as a browser uses it: upload a file (a preview), then send the
mapping form back as shown, or with some choices changed, pressing one of its buttons."""

import io
from html.parser import HTMLParser

from werkzeug.test import TestResponse

from tests.fixtures import Browser


class _MappingForm(HTMLParser):
    """The fields of the page's mapping form with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.select: str | None = None
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = "mapping" in found.get("class", "").split()
        elif not self.inside:
            return
        elif tag == "input" and found.get("name") and found.get("type") != "submit":
            self.values[found["name"]] = found.get("value", "")
        elif tag == "select":
            self.select = found["name"]
        elif tag == "option" and self.select is not None and "selected" in found:
            self.values[self.select] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def mapping_form(html: str) -> dict[str, str]:
    """What the page's mapping form sends as it is shown (without the button pressed)."""
    parser = _MappingForm()
    parser.feed(html)
    assert parser.values, "the page shows no mapping form"
    return parser.values


def column_field(form: dict[str, str], header: str) -> str:
    """The name of the select of the column headed ``header``."""
    for name, value in form.items():
        if name.startswith("header-") and value == header:
            return f"column-{name.removeprefix('header-')}"
    raise AssertionError(f"no column {header!r} in the form: {form}")


def upload(client: Browser, slug: str, content: bytes, name: str) -> TestResponse:
    """Choose a file and press Preview."""
    return client.submit(f"/manage/contests/{slug}/entries/import",
                         {"file": (io.BytesIO(content), name), "action": "preview"},
                         content_type="multipart/form-data")


def press(client: Browser, slug: str, shown: TestResponse, action: str,
          **changes: str) -> TestResponse:
    """Press "Preview again" (``preview``) or "Import" (``import``) on the page ``shown``,
    with ``changes`` (field name → value) made to its form first."""
    form = mapping_form(shown.get_data(as_text=True)) | changes
    return client.submit(f"/manage/contests/{slug}/entries/import", form | {"action": action})


def upload_and_import(client: Browser, slug: str, content: bytes, name: str) -> TestResponse:
    """Upload a file and import it as the preview reads it."""
    shown = upload(client, slug, content, name)
    assert shown.status_code == 200, shown.get_data(as_text=True)
    return press(client, slug, shown, "import")
