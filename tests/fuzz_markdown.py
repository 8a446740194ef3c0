"""Coverage-guided fuzzing of the Markdown + glossary renderer with atheris (libFuzzer).

Run by tests/test_fuzz.py for a bounded time; by hand:
    python tests/fuzz_markdown.py -max_total_time=60 CORPUS_DIR
Each input chooses raw HTML on or off, a link mode and extra term forms, then
a body. Any exception, script in the HTML, out-of-range line number or term
linked twice in `first` mode is a crash, saved by libFuzzer for replay.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Coverage only where the renderer's decisions are made: instrumenting every import
# (hashlib, pickle, the cache) costs half a minute and guides nothing.
RENDERER = ["markdown_it", "mdit_py_plugins", "generator.markdown", "generator.glossary"]
RENDERER += ["generator.parse", "generator.bodies"]
with atheris.instrument_imports(include=RENDERER):
    from generator.bodies import BodyJob, MarkdownSetup, parse_bodies
    from generator.glossary_links import Glossary, TermInfo
    from generator.glossary_match import TermMatcher
    from generator.markdown import LinkTargets

from tests.htmlscan import scan_page  # noqa: E402  (after instrumenting the renderer)

TERMS = {
    "leerling": ["Leerling", "leerlingen"],
    "avg": ["AVG"],
    "samen-leren": ["samen leren", "Samenwerkend leren"],
    "ij": ["IJ"],
    "risico": ["risico", "risico's"],
}
TARGETS = LinkTargets(
    items={"content/articles/b.md": "/artikelen/b/", "content/glossary/avg.md": "/begrippen/avg/"},
    drafts=frozenset({"content/articles/concept.md"}),
    static={"content/static/img/a.png": "/img/a.png"},
)
MODES = ("first", "all", "none")


def check(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    allow_html = fdp.ConsumeBool()
    mode = MODES[fdp.ConsumeIntInRange(0, 2)]
    extra = [fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 12)) for _ in range(2)]
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    forms = [(form, slug) for slug, written in TERMS.items() for form in written]
    forms += [(form, f"extra-{i}") for i, form in enumerate(extra)]
    infos = {slug: TermInfo(slug, f"/begrippen/{slug}/", "Uitleg.") for _, slug in forms}
    setup = MarkdownSetup(allow_html, Glossary(TermMatcher(forms), infos, mode), TARGETS)
    offset = 4
    job = BodyJob("content/articles/a.md", "content/articles/a.md", text, offset)
    parsed = parse_bodies([job], setup, workers=1)
    body, html = parsed[job.key], parsed.html(job.key)

    findings = scan_page("fuzz", html).findings
    if findings:
        raise AssertionError(f"script in the HTML: {findings}")
    last = offset + text.count("\n") + text.count("\r") + 1
    for line in [use.line for use in body.links] + [p.line for p in body.problems]:
        if not offset < line <= last:
            raise AssertionError(f"line {line} outside the body (lines {offset + 1}-{last})")
    if mode == "first" and not allow_html:  # raw HTML may hold look-alike links of its own
        linked = [slug for slug, _ in body.mentions]
        terms = html.count('class="glossary-term"')
        if terms > len(linked):
            raise AssertionError(f"{terms} term links for {len(linked)} terms in first mode")


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
