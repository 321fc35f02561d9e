"""Reading pages as the fuzzer does (tests/test_fuzzing.py): the forms a page offers, with
their fields and where they go, and the words a person reads."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    fields: set[str] = field(default_factory=set)
    targets: set[tuple[str, str]] = field(default_factory=set)


class FormFinder(HTMLParser):
    """The forms of a page: the names of their fields, and where (method, path) they go."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.current: Form | None = None
        self.owned: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form()
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
            method = (attrs.get("method") or "get").upper()
            self.current.targets.add((method, attrs.get("action") or ""))
        form = self.current
        if form is None and (attrs.get("hx-post") or attrs.get("hx-get")):
            form = Form()
            self.forms.append(form)
        if form is not None:
            for verb in ("post", "get"):
                if attrs.get(f"hx-{verb}"):
                    form.targets.add((verb.upper(), attrs[f"hx-{verb}"]))
            if attrs.get("formaction"):
                form.targets.add(("POST", attrs["formaction"]))
        if tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            if attrs.get("form"):
                self.owned.append((attrs["form"], attrs["name"]))
            elif self.current is not None:
                self.current.fields.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None

    def found(self) -> list[Form]:
        for form_id, name in self.owned:
            if form_id in self.by_id:
                self.by_id[form_id].fields.add(name)
        return self.forms


class TextFinder(HTMLParser):
    """The words a person reads, without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style") and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.words += data.split()


def words_in(html: str) -> str:
    finder = TextFinder()
    finder.feed(html)
    return " ".join(finder.words)


class FieldValues(HTMLParser):
    """What each field of a page holds, by name: an input's value (a checkbox's only when
    ticked), a textarea's text."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""
        elif tag == "input" and name and attrs.get("type") not in ("hidden", "submit"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values[name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def field_values(html: str) -> dict[str, str]:
    """The page's fields by name, as a browser would send them (textareas stripped of the
    newline after their opening tag)."""
    finder = FieldValues()
    finder.feed(html)
    return {name: value.strip() for name, value in finder.values.items()}
