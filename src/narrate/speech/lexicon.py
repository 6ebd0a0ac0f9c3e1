"""The pronunciation lexicon: a user's rules for words the engines say wrong.

Rules run on the spoken text, after normalization (so numbers are already
words). Two kinds, per language or for every language:

- a **word** rule replaces a whole word, matched literally and case-sensitively
  (``Selenskyj`` -> ``Selenski``; ``Selenskyjs`` is another word);
- a **pattern** rule is a regular expression with a replacement that may use
  its groups (``Kyjiw(s?)`` -> ``Kiew\\1``).

Word rules run first (longest word first), then pattern rules in file order.

Two file formats. TOML, one table per language (``all`` for every language)::

    [de.words]
    Selenskyj = "Selenski"

    [de.patterns]
    "Kyjiw(s?)" = "Kiew\\\\1"

    [all.words]
    Nvidia = "Enwidia"

TSV (``.tsv`` or ``.txt``), one rule a line: ``FROM<TAB>TO[<TAB>LANG]``; a
``FROM`` starting with ``re:`` is a pattern; ``#`` starts a comment line::

    Selenskyj	Selenski	de
    re:Kyjiw(s?)	Kiew\\1	de

Every problem in a lexicon file is a :class:`~narrate.errors.UsageError` that
names the file and the line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrate.errors import UsageError
from narrate.speech.split import primary_language

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["ALL_LANGUAGES", "Rule", "Lexicon", "load_lexicon", "load_lexicons"]

ALL_LANGUAGES = "all"
"""The language name of rules that apply to every language."""

_Replacement = str | Callable[[re.Match[str]], str]
_PATTERN_PREFIX = "re:"
_KINDS = ("words", "patterns")
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class Rule:
    """One lexicon rule: what to find, what to say instead, where it was written."""

    find: str
    say: str
    language: str
    is_pattern: bool
    origin: str
    """``FILE:LINE``, for messages."""


@dataclass(frozen=True)
class Lexicon:
    """The rules of one or more lexicon files, ready to apply."""

    rules: tuple[Rule, ...] = ()
    _compiled: dict[str, list[tuple[re.Pattern[str], _Replacement]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __bool__(self) -> bool:
        return bool(self.rules)

    def __add__(self, other: Lexicon) -> Lexicon:
        return Lexicon(self.rules + other.rules)

    def apply(self, text: str, lang: str) -> str:
        """``text`` with every rule for ``lang`` (and for all languages) applied."""
        for pattern, replacement in self._for(primary_language(lang)):
            text = pattern.sub(replacement, text)
        return text

    def _for(self, lang: str) -> list[tuple[re.Pattern[str], _Replacement]]:
        if lang not in self._compiled:
            rules = [rule for rule in self.rules if rule.language in (lang, ALL_LANGUAGES)]
            self._compiled[lang] = _compile(rules)
        return self._compiled[lang]


def _compile(rules: list[Rule]) -> list[tuple[re.Pattern[str], _Replacement]]:
    """One alternation for the word rules, then each pattern rule on its own."""
    compiled: list[tuple[re.Pattern[str], _Replacement]] = []
    words = {rule.find: rule.say for rule in rules if not rule.is_pattern}
    if words:
        ordered = sorted(words, key=len, reverse=True)
        alternation = "|".join(re.escape(word) for word in ordered)
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        compiled.append((pattern, _literal_lookup(words)))
    for rule in rules:
        if rule.is_pattern:
            compiled.append((re.compile(rule.find), rule.say))
    return compiled


def _literal_lookup(words: dict[str, str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return words[match.group(0)]

    return replace


def load_lexicons(paths: Iterable[str | Path]) -> Lexicon:
    """The rules of all ``paths`` together, in order."""
    lexicon = Lexicon()
    for path in paths:
        lexicon = lexicon + load_lexicon(path)
    return lexicon


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a TOML (``.toml``) or TSV (any other suffix) lexicon file."""
    path = Path(path)
    text = _read(path)
    if path.suffix.lower() == ".toml":
        rules = list(_toml_rules(text, path))
    else:
        rules = list(_tsv_rules(text, path))
    for rule in rules:
        _check(rule)
    return Lexicon(tuple(rules))


def _read(path: Path) -> str:
    if not path.is_file():
        raise UsageError(f"lexicon file not found: {path}", "check the --lexicon path")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"lexicon {path} is not UTF-8 text: {error.reason}") from error
    except OSError as error:
        raise UsageError(f"cannot read lexicon {path}: {error.strerror or error}") from error


def _check(rule: Rule) -> None:
    if not rule.find:
        raise UsageError(f"{rule.origin}: empty word or pattern in the lexicon")
    if not re.fullmatch(r"[a-z]{2,3}|" + ALL_LANGUAGES, rule.language):
        raise UsageError(
            f"{rule.origin}: bad language {rule.language!r} in the lexicon",
            f"use a code like de or en, or {ALL_LANGUAGES}",
        )
    if rule.is_pattern:
        _check_pattern(rule)


def _check_pattern(rule: Rule) -> None:
    try:
        pattern = re.compile(rule.find)
        pattern.sub(rule.say, "")
        pattern.sub(rule.say, rule.find)
    except (re.error, IndexError) as error:
        raise UsageError(f"{rule.origin}: bad pattern {rule.find!r}: {error}") from error


def _tsv_rules(text: str, path: Path) -> Iterator[Rule]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.rstrip("\r").split("\t")
        origin = f"{path}:{number}"
        if len(fields) not in (2, 3):
            raise UsageError(
                f"{origin}: expected FROM<TAB>TO[<TAB>LANG], found {len(fields)} field(s)",
                "separate the fields with one tab each",
            )
        find, say = fields[0].strip(), fields[1].strip()
        language = fields[2].strip().lower() if len(fields) == 3 else ALL_LANGUAGES
        is_pattern = find.startswith(_PATTERN_PREFIX)
        yield Rule(find.removeprefix(_PATTERN_PREFIX), say, language, is_pattern, origin)


def _toml_rules(text: str, path: Path) -> Iterator[Rule]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_ERROR_LINE.search(str(error))
        where = f"{path}:{found.group(1)}" if found else str(path)
        message = _TOML_ERROR_LINE.sub("", str(error)).strip()
        raise UsageError(f"{where}: bad TOML in the lexicon: {message}") from error
    lines = _TomlLines(text)
    for language, table in document.items():
        if not isinstance(table, dict):
            raise UsageError(
                f"{path}:{lines.of_key(None, language)}: {language!r} must be a table",
                "write rules under [LANG.words] or [LANG.patterns]",
            )
        yield from _toml_table(table, language, path, lines)


def _toml_table(
    table: dict[str, Any], language: str, path: Path, lines: _TomlLines
) -> Iterator[Rule]:
    for kind, rules in table.items():
        header = f"{language}.{kind}"
        if kind not in _KINDS or not isinstance(rules, dict):
            raise UsageError(
                f"{path}:{lines.of_header(header)}: unknown lexicon table [{header}]",
                f"use [{language}.words] or [{language}.patterns]",
            )
        for find, say in rules.items():
            origin = f"{path}:{lines.of_key(header, find)}"
            if not isinstance(say, str):
                raise UsageError(f"{origin}: the replacement for {find!r} must be a string")
            yield Rule(find, say, language.lower(), kind == "patterns", origin)


class _TomlLines:
    """Finds the line a TOML table or key was written on, for messages."""

    _HEADER = re.compile(r"^\s*\[\s*(.+?)\s*\]\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def of_header(self, header: str) -> int:
        for number, table, _ in self._walk():
            if table == header:
                return number
        return 1

    def of_key(self, header: str | None, key: str) -> int:
        for number, table, found in self._walk():
            if found == key and table == header:
                return number
            if header is None and (table or "").split(".")[0] == key:
                return number
        return 1

    def _walk(self) -> Iterator[tuple[int, str | None, str | None]]:
        table: str | None = None
        for number, line in enumerate(self._lines, start=1):
            header = self._HEADER.match(line)
            if header:
                table = ".".join(_unquote(part) for part in header.group(1).split("."))
                yield number, table, None
                continue
            key = self._KEY.match(line)
            yield number, table, _unquote(key.group(1)) if key else None


def _unquote(key: str) -> str:
    key = key.strip()
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
        inner = key[1:-1]
        if key[0] == "'":
            return inner
        return inner.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return key
