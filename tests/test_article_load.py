"""Reading sources: kinds, decoding, and one clear InputError per bad input."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from narrate.article.load import decode_text, load_article, parse_article, read_source
from narrate.article.model import Article, Section
from narrate.errors import InputError


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("artikel.txt", "text"),
        ("artikel.md", "markdown"),
        ("artikel.MD", "markdown"),
        ("artikel.markdown", "markdown"),
        ("artikel", "text"),
        ("artikel.html", "html"),
        ("artikel.HTM", "html"),
        ("artikel.xhtml", "html"),
        ("artikel.rst", "text"),
    ],
)
def test_kind_follows_the_suffix(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text("Titel\n\nText.\n", encoding="utf-8")
    source = read_source(path)
    assert (source.kind, source.name, source.text) == (kind, str(path), "Titel\n\nText.\n")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"# Titel\n\nText.", "markdown"),
        (b"\n  # Titel\n\nText.", "markdown"),
        (b"---\ntitle: Titel\n---\nText.", "markdown"),
        (b"Titel\n\nText.", "text"),
        (b"#hashtag\n\nText.", "text"),
    ],
)
def test_stdin_is_sniffed(data: bytes, kind: str) -> None:
    source = read_source("-", io.BytesIO(data))
    assert (source.kind, source.name) == (kind, "standard input")


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Grüße\n".encode(), "Grüße\n"),
        (codecs.BOM_UTF8 + "Grüße\n".encode(), "Grüße\n"),
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\r\nb", "a\n\nb"),
        ("a\u2028b\u2029c".encode(), "a\nb\nc"),
        ("Grüße\r\n".encode("utf-16"), "Grüße\n"),
        (codecs.BOM_UTF16_BE + "Grüße".encode("utf-16-be"), "Grüße"),
        (b"tab\tand\x0cform feed", "tab\tand\nform feed"),
    ],
)
def test_decoding(data: bytes, text: str) -> None:
    assert decode_text(data, "x") == text


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "artikel.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "artikel.txt is empty: nothing to narrate"),
        (b" \n\t\r\n \n", "artikel.txt is empty: nothing to narrate"),
        (codecs.BOM_UTF8, "artikel.txt is empty: nothing to narrate"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "artikel.txt looks like a binary file"),
        (b"Titel\x00Text", "artikel.txt looks like a binary file"),
        (bytes(range(1, 32)) * 4, "artikel.txt looks like a binary file"),
        ("Größe".encode("latin-1"), "artikel.txt is not valid UTF-8 text (byte 0xF6 at offset 2"),
        (b"Zeile 1\nZeile 2 \x93zitiert\x94", "(byte 0x93 at offset 16, line 2)"),
    ],
)
def test_bad_content_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_source(_write(tmp_path, data))
    assert message in str(caught.value)


def test_undecodable_text_says_how_to_convert(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(_write(tmp_path, "Maß".encode("cp1252")))
    assert caught.value.hint is not None and "convert it to UTF-8" in caught.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^article not found: .*nope\.txt"):
        read_source(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not an article"):
        read_source(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, b"Titel")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match="permission denied") as caught:
        read_source(path)
    assert caught.value.exit_code == 2


def test_empty_stdin() -> None:
    with pytest.raises(InputError, match="^standard input is empty: nothing to narrate"):
        read_source("-", io.BytesIO(b"\n\n"))


def test_load_article_removes_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    text = "Titel\n\nDrücken Sie Play, um diesen Artikel anzuhören\nErster Satz.\n\nFoto: dpa\n"
    path.write_text(text, encoding="utf-8")
    assert load_article(path) == Article("Titel", (Section(None, ("Erster Satz.",)),))


def test_keep_boilerplate_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titel\n\nAnzeige\n\nErster Satz.\n", encoding="utf-8")
    article = load_article(path, keep_boilerplate=True)
    assert article.sections == (Section("Anzeige", ("Erster Satz.",)),)


def test_extra_patterns_remove_whole_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titel\n\nAbo: nur 1 Euro.\n\nText.\n", encoding="utf-8")
    article = load_article(path, extra_patterns=[r"abo: .*"])
    assert article.sections == (Section(None, ("Text.",)),)


def test_load_article_reads_stdin() -> None:
    article = load_article("-", stdin=io.BytesIO(b"# Titel\n\nText."))
    assert article == Article("Titel", (Section(None, ("Text.",)),))


def test_nothing_but_boilerplate_is_refused() -> None:
    source = read_source("-", io.BytesIO(b"Anzeige\n\nTeilen\n"))
    with pytest.raises(InputError, match="nothing but page furniture"):
        parse_article(source)
