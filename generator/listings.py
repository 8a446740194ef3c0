"""View models of list pages: glossary A–Z, all resources, article and tag lists, tag index."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from generator.collation import index_letter, sort_key
from generator.context import (
    Card,
    GlossaryView,
    LetterGroup,
    Link,
    ListingView,
    Pagination,
    ResourceGroup,
    ResourceItem,
    ResourcesView,
    TagIndexView,
    ThemeListView,
    ViewBuilder,
)
from generator.urls import slugify

LETTERS = (*tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), "#")


def glossary_view(views: ViewBuilder) -> GlossaryView:
    """Terms grouped by letter in dictionary order (ICU collation of the site language)."""
    key = sort_key(views.config.language)
    terms = sorted(views.content.terms, key=lambda t: (key(t.term), t.slug))
    groups: dict[str, list[Card]] = {}
    for term in terms:
        groups.setdefault(index_letter(term.term), []).append(views.term_card(term.slug))
    return GlossaryView(
        intro=views.t["glossary_intro"],
        bar=tuple((letter, letter in groups) for letter in LETTERS),
        groups=tuple(
            LetterGroup(letter, _letter_id(letter), tuple(groups[letter]))
            for letter in LETTERS
            if letter in groups
        ),
    )


def _letter_id(letter: str) -> str:
    return "kb-letter-" + ("0" if letter == "#" else letter.lower())


def resources_view(views: ViewBuilder) -> ResourcesView:
    """Every outside resource, grouped by `kind` label, A–Z within each group."""
    key = sort_key(views.config.language)
    other = views.t["resources_other_kind"]
    by_label: dict[str, list[ResourceItem]] = {}
    shown: dict[str, str] = {}  # group key -> label as first written
    for resource in views.index.resources:
        label = resource.label or other
        # "Tool" and "tool" are one kind: one group, one heading id.
        group = slugify(label) or " ".join(label.casefold().split())
        shown.setdefault(group, label)
        themes = tuple(
            Link(views.themes[s].title, views.href(views.urls.theme(s))) for s in resource.themes
        )
        by_label.setdefault(group, []).append(
            ResourceItem(
                resource.title, resource.url, resource.description, resource.host, label, themes
            )
        )
    other_group = slugify(other) or other.casefold()
    groups_sorted = sorted(by_label, key=lambda g: (g == other_group, key(shown[g]), g))
    groups = tuple(
        ResourceGroup(
            label=_first_upper(shown[group]),
            id=f"kb-kind-{slugify(group) or number}",
            count=views.t.n("resources_count", len(by_label[group])),
            items=tuple(sorted(by_label[group], key=lambda r: (key(r.title), r.href))),
        )
        for number, group in enumerate(groups_sorted, 1)
    )
    return ResourcesView(
        views.t["resources_intro"], views.t.n("resources_count", len(views.index.resources)), groups
    )


def _first_upper(label: str) -> str:
    """ "tool" -> "Tool", leaving the rest as written ("ICT-tool" stays, not "Ict-tool")."""
    return label[:1].upper() + label[1:]


def theme_list_view(views: ViewBuilder) -> ThemeListView:
    key = sort_key(views.config.language)
    themes = sorted(views.content.themes, key=lambda t: (key(t.title), t.slug))
    return ThemeListView(tuple(views.theme_card(t.slug) for t in themes))


def list_chunks(slugs: Sequence[str], per_page: int) -> list[Sequence[str]]:
    """A newest-first list of article slugs cut into its pages (one empty page for none)."""
    pages = max(1, -(-len(slugs) // per_page))
    return [slugs[(number - 1) * per_page : number * per_page] for number in range(1, pages + 1)]


def paged_listings(
    views: ViewBuilder,
    title: str,
    intro: str,
    slugs: Sequence[str],
    path_of: Callable[[int], str],
    skip: Collection[str] = frozenset(),
) -> list[tuple[str, ListingView]]:
    """Split a newest-first list of article slugs into pages: [(site path, view)].

    Pages whose site path is in `skip` (taken whole from the cache) are left out
    before their cards are made.
    """
    chunks = list_chunks(slugs, views.config.per_page)
    pages = len(chunks)
    result: list[tuple[str, ListingView]] = []
    for number, chunk in enumerate(chunks, 1):
        path = path_of(number)
        if path in skip:
            continue
        pagination = None
        if pages > 1:
            pagination = Pagination(
                page=number,
                pages=pages,
                previous=views.href(path_of(number - 1)) if number > 1 else None,
                next=views.href(path_of(number + 1)) if number < pages else None,
                label=views.t.fill("page_of", page=str(number), pages=str(pages)),
            )
        cards = tuple(views.article_card(s) for s in chunk)
        result.append((path, ListingView(title, intro, cards, pagination)))
    return result


def tag_index_view(views: ViewBuilder) -> TagIndexView:
    key = sort_key(views.config.language)
    groups = sorted(views.index.tags.items(), key=lambda item: (key(item[1].name), item[0]))
    return TagIndexView(
        views.t["tag_index_intro"],
        tuple(
            Card(
                group.name,
                views.href(views.urls.tag(slug)),
                "",
                reading=views.t.n("tag_count", len(group.articles)),
            )
            for slug, group in groups
        ),
    )
