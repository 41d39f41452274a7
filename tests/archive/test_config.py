"""archive.toml: a new archive's file says what the defaults are, and a bad spec is refused."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from archive.config import SiteSettings, load
from archive.errors import ConfigError
from archive.layout import Layout
from media.derivatives import DEFAULT_SPECS


def test_a_new_archives_settings_file_holds_the_default_specs(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "archive")
    layout.create()
    text = layout.config.read_text(encoding="utf-8")
    # Read as written (not the defaults a missing table falls back to).
    written = tomllib.loads(text)["derivatives"]
    assert list(written) == [spec.name for spec in DEFAULT_SPECS]
    settings = load(layout)
    assert settings.specs == DEFAULT_SPECS
    assert [s.fingerprint() for s in settings.specs] == [s.fingerprint() for s in DEFAULT_SPECS]
    assert settings.site == SiteSettings()
    assert "# Derivative specs. Changing a value re-makes that derivative" in text


def test_a_spec_with_an_unknown_role_is_refused_with_the_roles(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "archive")
    layout.create()
    text = layout.config.read_text(encoding="utf-8")
    layout.config.write_text(text.replace('role = "poster"', 'role = "still"'), encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"\[derivatives.poster\] role must be image, poster or video"
    ):
        load(layout)
