"""Paths: nothing an editor names makes the build read outside the site or write outside output/.

File names, tags, site.yaml `paths:`, static files, templates and links all
become paths somewhere; each test builds such a site and checks where the
bytes came from and where they went. --output itself is guarded too: a build
replaces the whole folder, so it may never be the site or hold its files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

import pytest

from generator.build import BuildResult, build
from generator.render import OutputFile
from generator.write import write_site
from tests.conftest import MINIMAL_SITE_YAML, MakeSite
from tests.test_invalid_sites import run_cli

SECRET = "GEHEIM-buiten-de-site"


def files_under(root: Path) -> dict[str, str]:
    """Every file below root (links and the build cache left out): relative path -> sha256."""
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".kennisbank-cache"]
        for name in names:
            path = Path(folder) / name
            if not path.is_symlink():
                found[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
    return found


def assert_paths_stay_inside(result: BuildResult) -> None:
    for output in result.outputs:
        parts = PurePosixPath(output.path).parts
        assert not PurePosixPath(output.path).is_absolute(), output.path
        assert ".." not in parts and "" not in output.path.split("/"), output.path
    paths = [o.path for o in result.outputs]
    assert len(paths) == len(set(paths)), "two outputs for one path: one overwrites the other"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a secret that must never be read."""
    folder = tmp_path / "buiten"
    for sub in ("articles", "static"):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "geheim.md").write_text(f"---\ntitle: x\ndate: 2024-03-01\n---\n{SECRET}\n")
    (folder / "geheim.md").write_text(
        f"---\ntitle: {SECRET}\ndate: 2024-03-01\n---\n{SECRET}\n", "utf-8"
    )
    (folder / "geheim.html").write_text(SECRET, "utf-8")
    (folder / "site.css").write_text(SECRET, "utf-8")
    return folder


def built_text(result: BuildResult) -> str:
    return "\n".join(
        o.data.decode("utf-8", "replace") for o in result.outputs if o.data is not None
    )


def test_names_that_look_like_paths_become_plain_slugs(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(
        {
            "content/articles/%2e%2e%2F%2e%2e%2Fetc.md": "---\ntitle: A\ndate: 2024-03-01\ntags: ['../../x']\n---\nx\n",
            "content/articles/x\\..\\..\\win.md": "---\ntitle: B\ndate: 2024-03-01\ntags: ['/etc/passwd']\n---\nx\n",
            "content/glossary/~root.md": "---\nterm: Root\n---\nx\n",
            "content/pages/%2e%2e.md": "---\ntitle: Punten\n---\nx\n",
        },
        site_yaml=MINIMAL_SITE_YAML
        + "search: false\npaths:\n  articles: ../../../tmp\n  tags: /etc\n",
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    assert_paths_stay_inside(result)
    html = sorted(o.path for o in result.outputs if o.path.endswith("/index.html"))
    assert "tmp/2e-2e-2f-2e-2e-2fetc/index.html" in html  # the section word "../../../tmp"
    assert "tmp/x-win/index.html" in html
    assert "etc/x/index.html" in html and "etc/etc-passwd/index.html" in html
    assert "begrippen/root/index.html" in html and "2e-2e/index.html" in html
    out = tmp_path / "out"
    write_site(result.outputs, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_file_name_without_letters_or_digits_is_refused(make_site: MakeSite) -> None:
    """Regression: "!!!.md" had the empty slug and its page overwrote the home or list page."""
    root = make_site(
        {
            "content/articles/!!!.md": "---\ntitle: Leeg\ndate: 2024-03-01\n---\nx\n",
            "content/pages/---.md": "---\ntitle: Leeg\n---\nx\n",
        }
    )
    result = build(root, jobs=1)
    assert result.report.format_lines("nl") == [
        "content/articles/!!!.md:1: '!!!' is geen bruikbare slug "
        "(gebruik letters a-z, cijfers en streepjes, zoals samen-leren)",
        "content/pages/---.md:1: '---' is geen bruikbare slug "
        "(gebruik letters a-z, cijfers en streepjes, zoals samen-leren)",
    ]


def test_static_files_with_odd_names_are_copied_inside_output(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site(
        {
            "content/static/a..foo": b"a",
            "content/static/a b/c d.png": b"b",
            "content/static/%2e%2e/x.txt": b"c",
            "content/static/x\\..\\..\\y.txt": b"d",
            "content/static/..hidden": b"e",
        },
        site_yaml=MINIMAL_SITE_YAML + "search: false\n",
    )
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    assert_paths_stay_inside(result)
    out = tmp_path / "out"
    write_site(result.outputs, out)
    written = files_under(out)
    assert {"a..foo", "a b/c d.png", "%2e%2e/x.txt", "x\\..\\..\\y.txt"} <= set(written)
    assert "..hidden" not in written  # names starting with a dot are never published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


@pytest.mark.parametrize("path", ["../buiten.html", "/tmp/buiten.html", "a/../../buiten.html"])
def test_write_refuses_an_output_path_that_leaves_the_output_folder(
    tmp_path: Path, path: str
) -> None:
    out = tmp_path / "out"
    write_site([OutputFile("index.html", b"oud")], out)
    with pytest.raises(ValueError, match="escapes the output folder"):
        write_site([OutputFile("index.html", b"nieuw"), OutputFile(path, b"x")], out)
    assert (out / "index.html").read_bytes() == b"oud"
    assert not (tmp_path / "buiten.html").exists() and not Path("/tmp/buiten.html").exists()


def test_links_out_of_the_site_are_never_read(
    make_site: MakeSite, outside: Path, tmp_path: Path
) -> None:
    root = make_site({"content/articles/a.md": "---\ntitle: A\ndate: 2024-03-01\n---\nx\n"})
    links = {
        "content/articles/geheim.md": outside / "geheim.md",
        "content/static/geheim.html": outside / "geheim.html",
        "content/static/map": outside,
        "templates/partials/footer.html": outside / "geheim.html",
        "templates/assets/site.css": outside / "site.css",
    }
    for relative, target in links.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(target)
    result = build(root, jobs=1)
    assert sorted((d.path, d.code) for d in result.report.errors) == sorted(
        (relative, "FM008") for relative in links
    )
    assert not result.outputs


@pytest.mark.parametrize("folder", ["content", "content/static", "content/articles", "templates"])
def test_a_folder_of_the_site_that_links_outside_is_not_read(
    make_site: MakeSite, outside: Path, folder: str
) -> None:
    """Regression: content/static linked to another folder published that folder."""
    root = make_site({})
    (root / folder).parent.mkdir(parents=True, exist_ok=True)
    (root / folder).symlink_to(outside, target_is_directory=True)
    result = build(root, jobs=1)
    errors = [(d.path, d.code) for d in result.report.errors]
    expected = ["content/articles", "content/static"] if folder == "content" else [folder]
    assert errors == [(path, "FM008") for path in expected]
    assert SECRET not in built_text(result)


def test_links_inside_the_site_are_followed(make_site: MakeSite) -> None:
    root = make_site(
        {
            "shared/gedeeld.md": "---\ntitle: Gedeeld\ndate: 2024-03-01\n---\nGedeelde tekst.\n",
            "shared/logo.svg": "<svg/>",
        },
        site_yaml=MINIMAL_SITE_YAML + "search: false\n",
    )
    for relative, target in {
        "content/articles/gedeeld.md": "../../shared/gedeeld.md",
        "content/static/logo.svg": "../../shared/logo.svg",
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(target)
    result = build(root, jobs=1)
    assert result.ok, result.report.format_lines()
    paths = {o.path for o in result.outputs}
    assert {"artikelen/gedeeld/index.html", "logo.svg"} <= paths


def test_templates_cannot_include_files_by_a_relative_path(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/pages/over.md": "---\ntitle: Over\n---\nx\n",
            "templates/page.html": '{% include "../../../../../../etc/passwd" %}\n',
        }
    )
    result = build(root, jobs=1)
    assert [(d.path, d.code) for d in result.report.errors] == [("templates/page.html", "TPL001")]
    assert "root:x:0" not in built_text(result)


def test_relative_links_resolve_against_known_items_only(make_site: MakeSite) -> None:
    """Relative .md links resolve against known items only: no file is read for a link."""
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: A\ndate: 2024-03-01\n---\n"
            "[x](../../../../../../etc/passwd.md) ![y](../../../../../etc/hostname)\n"
        }
    )
    result = build(root, jobs=1)
    assert [d.code for d in result.report.errors] == ["LNK001", "LNK001"]


@pytest.mark.parametrize("output", [".", "..", "content", "content/static", "templates"])
def test_output_may_not_be_the_site_or_hold_its_files(make_site: MakeSite, output: str) -> None:
    """Regression: `build --output .` swapped the site folder away and deleted content/."""
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: A\ndate: 2024-03-01\n---\nx\n",
            "content/static/logo.svg": "<svg/>",
            "templates/page.html": "{{ page.title }}",
        },
        site_yaml=MINIMAL_SITE_YAML + "search: false\n",
    )
    before = files_under(root.parent)
    result = run_cli("build", "--output", output, cwd=root)
    assert result.returncode == 1, result.stderr
    assert f"--output: {output} bevat de site zelf of andere bestanden" in result.stderr
    assert files_under(root.parent) == before


def test_output_may_not_be_a_folder_of_other_files(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({}, site_yaml=MINIMAL_SITE_YAML + "search: false\n")
    documents = tmp_path / "documenten"
    documents.mkdir()
    (documents / "brief.txt").write_text("niet weggooien", "utf-8")
    result = run_cli("build", "--source", root, "--output", documents)
    assert result.returncode == 1
    assert (documents / "brief.txt").read_text("utf-8") == "niet weggooien"
    # An empty folder, or one holding an earlier build, is fine.
    assert run_cli("build", "--source", root, "--output", tmp_path / "leeg").returncode == 0
    assert run_cli("build", "--source", root, "--output", tmp_path / "leeg").returncode == 0
