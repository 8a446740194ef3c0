"""Render every page of the plan with Jinja -> OutputFiles in memory; nothing is written here.

The Jinja environment lives here alone: site templates first, the packaged
theme second, autoescape on, StrictUndefined so a template typo fails the
build as a TPL diagnostic instead of rendering blank.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from pathlib import Path

import jinja2

from generator.cache import BuildCache
from generator.config import SiteConfig
from generator.context import MenuLink, SiteView, Strings, ViewBuilder
from generator.diagnostics import Report
from generator.feeds import SitemapEntry, feed_xml, robots_txt, sitemap_entry, sitemap_xml
from generator.index import SiteIndex
from generator.model import Content
from generator.outputs import OutputFile as OutputFile  # part of this stage's API
from generator.page_inputs import (
    INPUT_KEYED,
    KINDS,
    PageInputs,
    kept_pages,
    page_input_keys,
    shared_inputs,
)
from generator.pages import PageSpec, SitePlan
from generator.render_jobs import render_planned
from generator.theme import Theme, hashed_name
from generator.urls import output_path
from generator.workers import Workers

ASSETS = ("site.css", "site.js")


def create_environment(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build makes its own environment: no template changes while it runs, so no
        # stat() of every included partial on every page (a tenth of render time).
        auto_reload=False,
    )
    return env


def render_site(
    content: Content,
    index: SiteIndex,
    config: SiteConfig,
    report: Report,
    site_root: Path,
    *,
    workers: Workers | int = 1,
    cache: BuildCache | None = None,
) -> list[OutputFile]:
    """Every output file of the site: pages, assets, feeds and static files."""
    theme = Theme(site_root)
    t = Strings(theme.strings(config.language))
    outputs: list[OutputFile] = []
    asset_paths: dict[str, str] = {}
    integrity: dict[str, str] = {}  # Subresource Integrity of each asset
    for name in ASSETS:
        data = theme.asset(name)
        path = f"assets/{hashed_name(name, data)}"
        asset_paths[name] = config.urls.href("/" + path)
        integrity[name] = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        outputs.append(OutputFile(path, data))
    site = _site_view(content, config, t, asset_paths, integrity)
    views = ViewBuilder(content, index, config, t)
    # Article and term pages whose inputs are unchanged come from the cache without a plan.
    keyed: list[PageInputs] = []
    reused: dict[str, str] = {}  # site path -> digest of the kept page
    if cache is not None and cache.enabled and cache.holds(INPUT_KEYED):
        keyed = page_input_keys(content, index, config, shared_inputs(theme, site, config))
        reused = kept_pages(cache, keyed)
        cache.reused(INPUT_KEYED, len(reused))
    planned = SitePlan(views).pages(reused)
    # Pages the cache holds are reused; the rest are rendered across the workers.
    # The pages keyed by their inputs are kept by those keys alone.
    listed, pages = render_planned(
        planned, site, theme, report, workers=workers, cache=cache, by_inputs=KINDS
    )
    outputs.extend(pages)
    sitemap = [e for e in map(sitemap_entry, listed) if e is not None]
    if cache is not None and cache.enabled:
        for page in keyed:
            if page.path in reused:
                outputs.append(cache.output(output_path(page.path), reused[page.path], page.kind))
                sitemap.append(SitemapEntry(page.path, config.urls.absolute(page.path), page.kind))
        if cache.writable:
            # A first build keys its pages after rendering them, for the next build to find.
            keyed = keyed or page_input_keys(
                content, index, config, shared_inputs(theme, site, config)
            )
            _keep_input_keyed(cache, keyed, reused, pages)
    index.related.settle()  # picks scored in a worker are kept in the cache by now
    outputs.append(OutputFile("feed.xml", feed_xml(content, index, config, t).encode()))
    outputs.append(OutputFile("sitemap.xml", sitemap_xml(sitemap, content, config).encode()))
    outputs.append(OutputFile("robots.txt", robots_txt(config).encode()))
    outputs.extend(_static_files(content, site_root, outputs, report))
    return sorted(outputs, key=lambda f: f.path)


def _keep_input_keyed(
    cache: BuildCache, keyed: list[PageInputs], reused: dict[str, str], pages: list[OutputFile]
) -> None:
    """Record each page rendered (and kept in the cache) under its input key."""
    digests = {page.path: page.digest for page in pages}
    fresh: dict[str, str] = {}
    for page in keyed:
        digest = digests.get(output_path(page.path))
        if page.path not in reused and digest is not None:
            fresh[page.key] = digest
    if fresh:
        cache.store(INPUT_KEYED, fresh)


def render_pages(
    env: jinja2.Environment, specs: Sequence[PageSpec], site: SiteView, report: Report
) -> list[OutputFile]:
    outputs: list[OutputFile] = []
    templates: dict[str, jinja2.Template] = {}
    for spec in specs:
        try:
            template = templates.get(spec.template) or env.get_template(spec.template)
            templates[spec.template] = template
            html = template.render(site=site, page=spec.page, view=spec.view)
        except jinja2.TemplateSyntaxError as exc:
            report.error(
                "TPL001",
                f"templates/{exc.name or spec.template}",
                exc.lineno or 1,
                "",
                problem=exc.message or str(exc),
                page=spec.page.path,
            )
            continue
        except jinja2.TemplateError as exc:
            name, line = _template_position(exc, spec.template)
            report.error("TPL001", name, line, "", problem=str(exc), page=spec.page.path)
            continue
        outputs.append(OutputFile(output_path(spec.page.path), html.encode("utf-8")))
    return outputs


def _template_position(exc: BaseException, fallback: str) -> tuple[str, int]:
    """The template file and line from a runtime error's traceback (Jinja keeps them)."""
    tb = exc.__traceback__
    found = (f"templates/{fallback}", 1)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            parts = Path(filename).parts
            name = (
                "/".join(parts[parts.index("templates") + 1 :])
                if "templates" in parts
                else Path(filename).name
            )
            found = (f"templates/{name}", tb.tb_lineno)
        tb = tb.tb_next
    return found


def _site_view(
    content: Content,
    config: SiteConfig,
    t: Strings,
    assets: dict[str, str],
    integrity: dict[str, str],
) -> SiteView:
    urls = config.urls
    menu = [
        MenuLink(m.title, urls.href(m.url) if m.url.startswith("/") else m.url, m.url)
        for m in config.menu
    ]
    listed = {m.url for m in config.menu}
    for page in sorted(
        (p for p in content.pages if p.menu is not None), key=lambda p: (p.menu, p.slug)
    ):
        path = urls.page(page.slug)
        if path not in listed:
            menu.append(MenuLink(page.title, urls.href(path), path))
    return SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        base_url=config.base_url,
        home=urls.href("/"),
        articles=urls.href(urls.article_list()),
        menu=tuple(menu),
        search=urls.href(urls.search()) if config.search else None,
        feed=urls.href("/feed.xml"),
        css=assets["site.css"],
        js=assets["site.js"],
        t=t,
        nofollow=config.nofollow,
        css_integrity=integrity["site.css"],
        js_integrity=integrity["site.js"],
    )


def _static_files(
    content: Content, root: Path, pages: list[OutputFile], report: Report
) -> list[OutputFile]:
    taken = {f.path for f in pages}
    files: list[OutputFile] = []
    for static in content.static:
        path = static.site_path.lstrip("/")
        if path in taken:
            report.error("OUT001", static.source, 1, "", url=static.site_path)
            continue
        files.append(OutputFile(path, source=root / static.source))
    return files
