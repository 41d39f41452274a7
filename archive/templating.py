"""Jinja2 environments for the faces' templates: a theme's own first, then the stock ones."""

from __future__ import annotations

from pathlib import Path

import jinja2

# The names the faces use, so that jinja2 is imported here only.
Environment = jinja2.Environment
Template = jinja2.Template
TemplateError = jinja2.TemplateError


def theme_environment(
    package: str,
    folder: str,
    theme: Path | None = None,
    *,
    keep_trailing_newline: bool = False,
) -> jinja2.Environment:
    """Templates from ``theme/templates`` when it exists, else the stock ones in ``package``'s
    ``folder``; a theme's template extends a stock one as ``{% extends "default:base.html" %}``.

    Everything is escaped unless a template says otherwise, and a name a template uses but the
    page does not give is an error, not an empty string.
    """
    default = jinja2.PackageLoader(package, folder)
    loaders: list[jinja2.BaseLoader] = []
    if theme is not None and (theme / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(theme / "templates"))
    loaders.append(default)
    loaders.append(jinja2.PrefixLoader({"default": default}, delimiter=":"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
