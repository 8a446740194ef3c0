"""The theme: where templates, UI strings and assets come from (site first, then the default).

The default theme ships inside the package (generator/_theme in a wheel, the
repository's templates/ in a checkout); a site's own templates/ overrides it
file by file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

import generator


def default_theme_dir() -> Path:
    """The packaged theme, or the checkout's templates/ for an editable install."""
    packaged = Path(str(resources.files(generator) / "_theme"))
    if packaged.is_dir():
        return packaged
    return Path(generator.__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Theme:
    """The ordered template folders of one site: its overrides, then the default theme."""

    site_root: Path

    @cached_property
    def dirs(self) -> tuple[Path, ...]:
        own = self.site_root / "templates"
        default = default_theme_dir()
        if own.is_dir() and own.resolve() != default.resolve():
            return (own, default)
        return (default,)

    def find(self, name: str) -> Path:
        """The first file called `name` in the theme folders (site first)."""
        for folder in self.dirs:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(name)

    def strings(self, language: str) -> dict[str, str]:
        """UI strings for `language`: the default theme's, with the site's own file on top.

        Merged key by key, so a site that overrides a few strings keeps working
        when a newer default theme adds keys.
        """
        merged: dict[str, str] = {}
        for folder in reversed(self.dirs):
            path = folder / "strings" / f"{language}.yaml"
            if path.is_file():
                data: Any = yaml.safe_load(path.read_text("utf-8"))
                merged.update({str(k): str(v) for k, v in (data or {}).items()})
        return merged

    def asset(self, name: str) -> bytes:
        return self.find(f"assets/{name}").read_bytes()

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every theme file: part of the cache keys of rendered pages (read once)."""
        digest = hashlib.sha256()
        for folder in self.dirs:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()


def hashed_name(name: str, data: bytes) -> str:
    """Content-hashed asset file name: "site.css" -> "site.3f2a9c1b.css"."""
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
