"""Independent check of a generated corpus against the content format.

    python bench/check_corpus.py /tmp/kb-small

It re-reads the tree with PyYAML and its own term matcher (the content
format's rules: whole words, longest first, case-insensitive except all-capital
forms, not in headings or link text, across line breaks) rather than trusting
corpus.py, and checks: slugs, required fields, references, link targets and
anchors, heading levels, 300-1,500 words and 5-20 distinct terms per article,
unique glossary forms, and that the terms found equal the manifest's. Exit 1
on any problem. It is meant for small and medium trees (it is not fast).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import MANIFEST, heading_id, word_count

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
WORD_EDGE = r"\w'’"


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Markdown file."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}, text[end + 5 :]


def term_matchers(
    glossary: dict[str, dict[str, Any]],
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Case-insensitive and capitals-only regexes over all forms, and form -> slug."""
    owner: dict[str, str] = {}
    for slug, fm in glossary.items():
        aliases = fm.get("aliases") or []
        for form in [fm["term"], *([aliases] if isinstance(aliases, str) else aliases)]:
            key = form if is_capitals(form) else form.lower()
            if key in owner or key.lower() in owner:  # no two terms share a form
                raise SystemExit(f"form {form!r} of {slug} also belongs to another term")
            owner[key] = slug

    def pattern(forms: list[str], flags: int) -> re.Pattern[str]:
        forms = sorted(forms, key=len, reverse=True)
        alt = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
        return re.compile(rf"(?<![{WORD_EDGE}])(?:{alt})(?![{WORD_EDGE}])", flags)

    lower = [f for f in owner if not is_capitals(f)]
    caps = [f for f in owner if is_capitals(f)]
    return pattern(lower, re.I), pattern(caps or ["\0"], 0), owner


def is_capitals(form: str) -> bool:
    """At least one letter and no lower-case letter (an abbreviation)."""
    return any(c.isalpha() for c in form) and not any(c.islower() for c in form)


def matchable_text(body: str) -> str:
    """Body without headings and link texts: where term matching applies."""
    lines = [ln for ln in body.splitlines() if not ln.startswith("#")]
    return LINK.sub(" ", "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Check one corpus folder; print a summary and the problems."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    args = ap.parse_args(argv)
    site: Path = args.site
    problems: list[str] = []
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))

    items: dict[str, dict[str, tuple[dict[str, Any], str]]] = {}
    for coll in ("articles", "glossary", "themes", "pages"):
        items[coll] = {}
        for path in sorted((site / "content" / coll).glob("*.md")):
            if not SLUG.match(path.stem):
                problems.append(f"{path}: bad slug")
            items[coll][path.stem] = split_front_matter(path.read_text(encoding="utf-8"))

    glossary = {slug: fm for slug, (fm, _) in items["glossary"].items()}
    ci, caps, owner = term_matchers(glossary)
    anchors = {}
    for slug, (_, body) in items["articles"].items():
        ids: Counter[str] = Counter()
        found = set()
        for ln in body.splitlines():
            if ln.startswith("#"):
                base = heading_id(ln.lstrip("#").strip())
                found.add(base if not ids[base] else f"{base}-{ids[base]}")
                ids[base] += 1
        anchors[slug] = found

    words, per_article = [], []
    for slug, (fm, body) in items["articles"].items():
        where = f"articles/{slug}.md"
        for key in ("title", "date"):
            if key not in fm:
                problems.append(f"{where}: no {key}")
        if not DATE.match(str(fm.get("date"))):
            problems.append(f"{where}: date {fm.get('date')!r}")
        tags = fm.get("tags")
        tags = [tags] if isinstance(tags, str) else tags or []
        if not 1 <= len(tags) <= 4:
            problems.append(f"{where}: {len(tags)} tags")
        for rel in fm.get("related") or []:
            if isinstance(rel, str) and rel not in items["articles"]:
                problems.append(f"{where}: related {rel} missing")
        level = 1
        for ln in body.splitlines():
            if ln.startswith("#"):
                new = len(ln) - len(ln.lstrip("#"))
                if new > level + 1 or new == 1:
                    problems.append(f"{where}: heading level skip {ln!r}")
                level = new
        links = LINK.findall(body)
        if not 1 <= len(links) <= 3:
            problems.append(f"{where}: {len(links)} links")
        for _, target in links:
            path, _, anchor = target.partition("#")
            coll, _, name = path.rpartition("/")
            coll = {"": "articles", "../glossary": "glossary"}.get(coll, "?")
            stem = name.removesuffix(".md")
            if stem not in items.get(coll, {}):
                problems.append(f"{where}: link target {target} missing")
            elif anchor and anchor not in anchors.get(stem, set()):
                problems.append(f"{where}: anchor {target} missing")
        n = word_count(body)
        words.append(n)
        if not 300 <= n <= 1500:
            problems.append(f"{where}: {n} words")
        text = matchable_text(body)
        used = {owner[" ".join(m.group(0).lower().split())] for m in ci.finditer(text)}
        used |= {owner[m.group(0)] for m in caps.finditer(text)}
        per_article.append(len(used))
        if not 5 <= len(used) <= 20:
            problems.append(f"{where}: {len(used)} terms")
        if sorted(used) != manifest["article_terms"].get(slug):
            problems.append(f"{where}: terms found differ from the manifest")

    for slug, fm in glossary.items():
        for other in fm.get("see_also") or []:
            if other not in glossary:
                problems.append(f"glossary/{slug}.md: see_also {other} missing")
    for slug, (fm, _) in items["themes"].items():
        for section in fm.get("sections") or []:
            for link in section.get("links") or []:
                for coll, key in (("articles", "article"), ("glossary", "term")):
                    if key in link and link[key] not in items[coll]:
                        problems.append(f"themes/{slug}.md: {key} {link[key]} missing")

    usage = Counter(t for terms in manifest["article_terms"].values() for t in terms)
    unused = [t for t in glossary if not usage[t]]
    if unused:
        problems.append(f"{len(unused)} glossary terms used by no article")
    print(
        json.dumps(
            {
                "items": {k: len(v) for k, v in items.items()},
                "words": [min(words), round(sum(words) / len(words)), max(words)],
                "terms_per_article": [
                    min(per_article),
                    round(sum(per_article) / len(per_article), 2),
                    max(per_article),
                ],
                "capitals_forms": sum(1 for f in owner if is_capitals(f)),
                "multi_word_forms": sum(1 for f in owner if " " in f),
                "problems": len(problems),
            }
        )
    )
    for p in problems[:50]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
