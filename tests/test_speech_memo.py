"""The script memo: after an edit only the edited paragraph is split and spoken again."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrate.speech.build as build_module
from narrate.engines.cache import ChunkCache
from narrate.pipeline import prepare_script
from narrate.settings import Settings
from narrate.speech.memo import ScriptMemo

ARTICLE = """\
Neue Brücke für die Altstadt

Die Stadt baut eine neue Brücke. Sie soll am 12.05.2027 fertig sein.

Der Bürgermeister ist zufrieden. Die Kosten: 4 Mio. Euro.

Stimmen

Anwohner freuen sich auf die neue Verbindung.
"""


@pytest.fixture
def split_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every paragraph the script builder splits into sentences."""
    calls: list[str] = []
    split = build_module.split_sentences

    def counting(text: str, lang: str) -> list[str]:
        calls.append(text)
        return split(text, lang)

    monkeypatch.setattr(build_module, "split_sentences", counting)
    return calls


def script(article: Path, cache: ChunkCache | None, lexicons: tuple[str, ...] = ()) -> object:
    settings = Settings(engine="espeak", lang="de", lexicons=lexicons)
    prepared = prepare_script(article, settings, cache=cache)
    prepared.keep_memo()
    return prepared.script


def test_a_run_refused_before_any_audio_keeps_no_memo(tmp_path: Path) -> None:
    from narrate import narrate
    from narrate.errors import UsageError

    article = tmp_path / "artikel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(UsageError):
        narrate(
            article, tmp_path / "missing" / "out.mp3", engine="espeak", cache_dir=tmp_path / "c"
        )
    assert not (tmp_path / "c").exists() or ChunkCache(tmp_path / "c").info().parts == 0


def test_an_edited_article_splits_only_the_edited_paragraph_again(
    tmp_path: Path, split_calls: list[str]
) -> None:
    article, cache = tmp_path / "artikel.txt", ChunkCache(tmp_path / "cache")
    article.write_text(ARTICLE, encoding="utf-8")
    first = script(article, cache)
    assert len(split_calls) == 3
    assert script(article, cache) == first and len(split_calls) == 3  # all from the memo
    article.write_text(ARTICLE.replace("zufrieden", "sehr zufrieden"), encoding="utf-8")
    edited = script(article, cache)
    assert split_calls[3:] == ["Der Bürgermeister ist sehr zufrieden. Die Kosten: 4 Mio. Euro."]
    assert edited == script(article, None)  # as built without any memo
    assert "vier Millionen Euro" in str(edited)  # spoken texts from the memo and made anew


def test_another_lexicon_or_source_has_a_memo_of_its_own(
    tmp_path: Path, split_calls: list[str]
) -> None:
    article, cache = tmp_path / "artikel.txt", ChunkCache(tmp_path / "cache")
    article.write_text(ARTICLE, encoding="utf-8")
    script(article, cache)
    lexicon = tmp_path / "aussprache.tsv"
    lexicon.write_text("Brücke\tBrügge\n", encoding="utf-8")
    spoken = script(article, cache, (str(lexicon),))
    assert "Brügge" in str(spoken) and len(split_calls) == 6
    other = tmp_path / "anderer.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    script(other, cache)
    assert len(split_calls) == 9


@pytest.mark.parametrize(
    "data", [b"not json", b"[1, 2]", b'{"sentences": {"a": "b"}}', b'{"spoken": {"a": 1}}']
)
def test_a_memo_that_is_not_one_is_an_empty_one(data: bytes) -> None:
    memo = ScriptMemo.from_bytes(data)
    assert memo.sentences("Ein Satz. Noch einer.", lambda text: [text]) == ["Ein Satz. Noch einer."]
    assert memo.learned
