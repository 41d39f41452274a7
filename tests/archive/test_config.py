"""archive.toml: a new archive's file says what the defaults are, a bad spec is refused, and the
time limits of [media] with the variables over them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from archive.config import SiteSettings, load
from archive.errors import ConfigError
from archive.layout import Layout
from media.derivatives import DEFAULT_SPECS
from media.video import Limits
from tests.archive.conftest import Cli


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "archive")
    layout.create()
    return layout


def with_media(layout: Layout, lines: str) -> Layout:
    text = layout.config.read_text(encoding="utf-8")
    layout.config.write_text(text.replace("[media]\n", f"[media]\n{lines}\n"), encoding="utf-8")
    return layout


def test_a_new_archive_has_the_default_limits(layout: Layout) -> None:
    assert "# probe_timeout = 60" in layout.config.read_text(encoding="utf-8")
    limits = load(layout, environ={}).limits
    assert limits == Limits(probe=60, transcode=None)
    assert limits.transcode_for(30) == 600  # 300 s + 10 s per second of video


def test_limits_in_archive_toml(layout: Layout) -> None:
    with_media(layout, "probe_timeout = 5\ntranscode_timeout = 120.5")
    assert load(layout, environ={}).limits == Limits(probe=5, transcode=120.5)


def test_the_environment_overrides_archive_toml(layout: Layout) -> None:
    with_media(layout, "probe_timeout = 5\ntranscode_timeout = 120")
    environ = {"PAMIR_PROBE_TIMEOUT": "2", "PAMIR_TRANSCODE_TIMEOUT": " 7.5 "}
    assert load(layout, environ=environ).limits == Limits(probe=2, transcode=7.5)
    assert load(layout, environ={"PAMIR_PROBE_TIMEOUT": ""}).limits.probe == 5  # empty: unset


@pytest.mark.parametrize("value", ["0", "-1", '"soon"', "true", "nan", "inf", "[60]"])
def test_a_bad_limit_in_archive_toml_names_the_setting(layout: Layout, value: str) -> None:
    with_media(layout, f"transcode_timeout = {value}")
    with pytest.raises(ConfigError, match=r"^\[media\] transcode_timeout in archive.toml must be"):
        load(layout, environ={})


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "1e999"])
def test_a_bad_limit_in_the_environment_names_the_variable(layout: Layout, value: str) -> None:
    with pytest.raises(ConfigError, match=r"^PAMIR_PROBE_TIMEOUT must be a number of seconds"):
        load(layout, environ={"PAMIR_PROBE_TIMEOUT": value})


def test_an_unknown_media_setting_is_refused(layout: Layout) -> None:
    with_media(layout, "probe_timout = 5")
    with pytest.raises(ConfigError, match="unknown settings: probe_timout"):
        load(layout, environ={})


def test_ingest_with_a_bad_variable_stops_with_its_name(
    cli: Cli, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAMIR_TRANSCODE_TIMEOUT", "a while")
    result = cli("ingest", str(photos), code=1)
    assert "PAMIR_TRANSCODE_TIMEOUT must be a number of seconds above 0, not 'a while'" in (
        result.stderr
    )


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
