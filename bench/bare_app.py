"""The ceiling for the benchmarks: a bare Flask page, one route rendering a small template.

No database, no extensions, no security headers: what gunicorn and Flask cost on their own
on this machine. The catalog's pages are reported as a share of this page's requests/s.

    .venv/bin/gunicorn -w 2 -b 127.0.0.1:8001 bench.bare_app:app
"""

from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
  <h1>{{ title }}</h1>
  <ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</body>
</html>
"""

app = Flask(__name__)


@app.get("/")
def page() -> str:
    return render_template_string(PAGE, title="Bare Flask", items=["one", "two", "three"])
