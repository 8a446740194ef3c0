"""Records pickled by their field values (generator.pickling) come back equal, field by field."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from generator.bodies import _Entry
from generator.markdown import LinkUse
from generator.parse import ParsedBody
from generator.pickling import ByFields


@dataclass(frozen=True)
class _Record(ByFields):
    first: str
    second: int = 2
    third: tuple[str, ...] = ()


def test_a_record_comes_back_with_every_field_in_its_place() -> None:
    record = _Record("een", 7, ("drie",))
    back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == record
    assert (back.first, back.second, back.third) == ("een", 7, ("drie",))


def test_a_record_is_pickled_without_its_instance_dict() -> None:
    """By value: the field names are not written, once per record, into the cache."""
    data = pickle.dumps(_Record("een", 7), protocol=pickle.HIGHEST_PROTOCOL)
    assert b"second" not in data and b"een" in data


def test_a_cached_body_entry_round_trips() -> None:
    body = ParsedBody(
        html="",
        anchors=("inleiding",),
        first_paragraph="Een zin.",
        words=3,
        mentions=(("plg", 2),),
        packed_forms=b"\x00",
        links=(LinkUse("content/articles/a.md", "kop", 4),),
        problems=(),
    )
    entry = _Entry(body, "html-sum", "tooltips", "made-under", (("a.md", ("/a/", True)),))
    back = pickle.loads(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == entry
    assert back.body.links[0].anchor == "kop" and back.body.words == 3
