"""dbt's Jinja templates compiled once per checkout (ingest/jinja_cache.py): a later process renders the
same as one that compiled everything itself, from the cache; a changed template, another environment,
a foreign or broken cache file are compiled afresh; unused entries are dropped."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import jinja_cache

# (template, how it is rendered): dbt's text and native environments, and a macro called as dbt calls one
# (dbt_common.clients.jinja.BaseMacroGenerator.get_macro: the template's module, the macro by dbt's prefixed name)
TEMPLATES = [
    ("select {{ xs | join(', ') }} from t", "text"),
    ("{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", "text"),
    ("{{ xs | length }}", "native"),  # the int 3, not the text "3"
    ("{{ xs | length }}", "text"),
    ("{%- for x in xs -%} {{ x * 2 }}{% if not loop.last %},{% endif %}{%- endfor %}", "text"),
    (
        "{% macro q(rows) -%}{% for r in rows %}'{{ r }}'{{ ', ' if not loop.last }}{% endfor %}{%- endmacro %}",
        "macro q",
    ),
]

RENDER = """
import json, sys
from ingest import jinja_cache
cache = jinja_cache.install_from_env()
from dbt_common.clients.jinja import get_dbt_macro_name, get_template, render_template
ctx = {"xs": [1, 2, 3]}
out = []
for source, how in json.loads(sys.argv[1]):
    template = get_template(source, {}, native=how == "native")
    if how.startswith("macro "):
        macro = template.make_module(vars=ctx, shared=False).__dict__[get_dbt_macro_name(how.split()[1])]
        out.append(repr(str(macro(ctx["xs"]))))
    else:
        out.append(repr(render_template(template, ctx)))
print(json.dumps({"out": out, "hits": cache.hits if cache else None, "misses": cache.misses if cache else None}))
"""


def _render(cache_file: Path | str, templates=TEMPLATES) -> dict:
    env = {**os.environ, jinja_cache.ENV_VAR: str(cache_file)}
    proc = subprocess.run(
        [sys.executable, "-c", RENDER, json.dumps(templates)], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(proc.stdout)


def test_a_later_dbt_process_renders_the_same_from_the_cache(tmp_path):
    cache = tmp_path / "jinja" / "templates.pickle"
    uncached = _render("0")
    first = _render(cache)
    assert cache.exists()
    second = _render(cache)
    assert first["misses"] == len(TEMPLATES) and first["hits"] == 0
    assert second["hits"] == len(TEMPLATES) and second["misses"] == 0
    assert first["out"] == second["out"] == uncached["out"]
    assert uncached["out"][2] == "3" and uncached["out"][3] == "'3'"  # native int, text str: not mixed up
    assert uncached["out"][5] == repr("'1', '2', '3'")


def test_a_changed_template_is_compiled_and_the_rest_served(tmp_path):
    cache = tmp_path / "templates.pickle"
    _render(cache)
    changed = [*TEMPLATES[:-1], ("select {{ xs | sum }} as total", "text")]
    again = _render(cache, changed)
    assert (again["hits"], again["misses"]) == (len(TEMPLATES) - 1, 1)
    assert json.loads(json.dumps(again["out"]))[-1] == repr("select 6 as total")


def test_the_same_source_in_another_environment_is_not_served_the_others_code():
    from dbt_common.clients.jinja import get_environment

    text, native = get_environment(), get_environment(native=True)
    assert jinja_cache.environment_key(text) != jinja_cache.environment_key(native)
    assert jinja_cache.environment_key(text) == jinja_cache.environment_key(get_environment())  # stable


@pytest.mark.parametrize("content", [b"not a pickle", None])
def test_a_broken_or_foreign_cache_file_is_ignored_and_replaced(tmp_path, content):
    cache = tmp_path / "templates.pickle"
    if content is None:  # written by another Python, Jinja or dbt-common
        _render(cache)
        saved = pickle.loads(cache.read_bytes())
        saved["identity"] = "python 0.0; jinja2 0; dbt-common 0"
        cache.write_bytes(pickle.dumps(saved))
    else:
        cache.write_bytes(content)
    result = _render(cache)
    assert (result["hits"], result["misses"]) == (0, len(TEMPLATES))
    assert result["out"] == _render("0")["out"]
    assert pickle.loads(cache.read_bytes())["identity"] == jinja_cache.cache_identity()


def test_no_cache_when_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv(jinja_cache.ENV_VAR, "0")
    assert jinja_cache.install_from_env() is None
    assert _render("0")["hits"] is None


def test_entries_unused_for_keep_runs_saves_are_dropped(tmp_path):
    path = tmp_path / "templates.pickle"
    code = compile("x = 1", "<template>", "exec")
    cache = jinja_cache.TemplateCodeCache.load(path)
    cache.put(b"old", code)
    cache.save()
    for run in range(jinja_cache.KEEP_RUNS + 1):
        cache = jinja_cache.TemplateCodeCache.load(path)
        assert (b"old" in cache.entries) == (run < jinja_cache.KEEP_RUNS), run
        cache.put(b"new %d" % run, code)  # each run compiles something else and saves
        cache.save()
    cache = jinja_cache.TemplateCodeCache.load(path)
    assert b"old" not in cache.entries and b"new %d" % jinja_cache.KEEP_RUNS in cache.entries
    assert cache.get(b"new 20") is not None and cache.get(b"old") is None


def test_a_run_that_compiled_nothing_leaves_the_file_alone(tmp_path):
    path = tmp_path / "templates.pickle"
    _render(path)
    before = path.stat().st_mtime_ns
    _render(path)
    assert path.stat().st_mtime_ns == before
