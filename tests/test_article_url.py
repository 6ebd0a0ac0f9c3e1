"""Reading articles from http(s) addresses, against a real local HTTP server.

The server (127.0.0.1, a free port) serves the pages in ``tests/pages`` and
every way a fetch can go wrong: redirect chains and loops, 404 and 500, bodies
over the size limit, an answer that never comes, a PDF, a Latin-1 page.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from narrate import __version__
from narrate.article.fetch import (
    DEFAULT_MAX_BYTES,
    check_url,
    decode_page,
    describe_failure,
    fetch,
    is_url,
    kind_for_media_type,
    output_name,
    parse_content_type,
    sniff_charset,
)
from narrate.article.load import load_article, read_source
from narrate.cli import app
from narrate.errors import InputError, NetworkError
from narrate.pipeline import default_output
from tests.fakes import FakeEngine

PAGES = Path(__file__).parent / "pages"
RADWEGE = "Neue Radwege: Stadt investiert vier Millionen Euro"
LATIN1_PAGE = (
    "<!DOCTYPE html><html lang='de'><head><meta charset='iso-8859-1'>"
    "<title>Grüße aus Österreich | Testblatt</title></head><body><article>"
    "<h1>Grüße aus Österreich</h1>"
    "<p>Die Bürgermeisterin begrüßte am Samstag die Gäste aus Graz, Linz und Innsbruck "
    "mit einer kurzen Rede über die Städtepartnerschaft.</p>"
    "<p>Danach gab es Kaffee, Kuchen und Grießnockerlsuppe für alle, die geblieben waren.</p>"
    "</article></body></html>"
)
WINDOWS_1252_PAGE = LATIN1_PAGE.replace("Kaffee, Kuchen", "„Kaffee“ – Kuchen")
PLAIN_TEXT = "Ein schlichter Titel\n\nDer erste Absatz in reinem Text.\n"
MARKDOWN = "# Ein Markdown-Titel\n\nDer erste Absatz in **Markdown**.\n"

runner = CliRunner()

Responder = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    """Answers from the server's route table; records every request's headers."""

    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.server.seen[self.path] = dict(self.headers.items())
        respond = self.server.routes.get(self.path.split("?")[0], _not_found)
        try:
            respond(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: exactly what the size limit does

    def send(
        self, status: int, body: bytes, content_type: str | None, *, length: bool = True
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Keep the test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Responder] = {}
        self.seen: dict[str, dict[str, str]] = {}
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


def _not_found(handler: _Handler) -> None:
    handler.send(404, b"<html><body>Nicht gefunden</body></html>", "text/html")


def _page(name: str, content_type: str = "text/html; charset=utf-8") -> Responder:
    return lambda handler: handler.send(200, (PAGES / name).read_bytes(), content_type)


def _body(body: bytes, content_type: str | None, *, length: bool = True) -> Responder:
    return lambda handler: handler.send(200, body, content_type, length=length)


def _held(handler: _Handler) -> None:
    handler.server.release.wait(timeout=30)
    handler.send(200, "<p>Zu spät.</p>".encode(), "text/html")


def _truncated(handler: _Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "5000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>Abgebrochen")
    handler.close_connection = True


def _routes() -> dict[str, Responder]:
    huge = b"<html><body>" + b"<p>Viel zu viel Text.</p>" * 4000 + b"</body></html>"
    routes: dict[str, Responder] = {
        f"/pages/{path.name}": _page(path.name) for path in PAGES.glob("*.html")
    }
    routes |= {
        f"/redirect/{n}": (lambda handler, n=n: handler.redirect(f"/redirect/{n - 1}"))
        for n in range(1, 4)
    }
    routes |= {
        "/politik/energiewende-im-dorf-100.html": _page("rundfunk-energiewende.html"),
        "/redirect/0": lambda handler: handler.redirect("/pages/stadtkurier-radwege.html"),
        "/loop": lambda handler: handler.redirect("/loop"),
        "/broken": lambda handler: handler.send(500, b"Oops", "text/plain"),
        "/forbidden": lambda handler: handler.send(403, b"No", "text/plain"),
        "/huge": _body(huge, "text/html"),
        "/huge-streamed": _body(huge, "text/html", length=False),
        "/slow": _held,
        "/truncated": _truncated,
        "/bericht.pdf": _body(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        "/bild.jpg": _body(b"\xff\xd8\xff\xe0", "image/jpeg"),
        "/latin1": _body(LATIN1_PAGE.encode("latin-1"), "text/html; charset=ISO-8859-1"),
        "/latin1-meta": _body(LATIN1_PAGE.encode("latin-1"), "text/html"),
        "/utf8-labelled-latin1": _body(LATIN1_PAGE.encode(), "text/html; charset=iso-8859-1"),
        "/windows-1252": _body(WINDOWS_1252_PAGE.encode("cp1252"), "text/html; charset=ISO-8859-1"),
        "/untyped": _body((PAGES / "blog-sauerteig.html").read_bytes(), None),
        "/plain": _body(PLAIN_TEXT.encode(), "text/plain; charset=utf-8"),
        "/notes.md": _body(MARKDOWN.encode(), "text/markdown"),
    }
    return routes


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    """A local HTTP server in a thread; the held response is let go at teardown."""
    httpd = _Server()
    httpd.routes = _routes()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Talk to 127.0.0.1 directly even where a proxy is configured."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def refused_url() -> str:
    """An address on a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/artikel"


# End to end: load_article on an address.


def test_load_article_from_an_address(server: _Server) -> None:
    url = server.url("/pages/stadtkurier-radwege.html")
    source = read_source(url)
    assert (source.kind, source.name) == ("html", url)
    article = load_article(url)
    assert (article.title, article.language) == (RADWEGE, "de-DE")
    assert "Teilen auf Facebook" not in str(article)


def test_request_says_who_asks_and_which_languages(server: _Server) -> None:
    fetch(server.url("/pages/blog-sauerteig.html?ua"))
    headers = server.seen["/pages/blog-sauerteig.html?ua"]
    assert headers["User-Agent"].startswith(f"narrate/{__version__} (+https://")
    assert headers["Accept-Language"].startswith("de")
    assert "text/html" in headers["Accept"]


def test_redirect_chain_is_followed(server: _Server) -> None:
    page = fetch(server.url("/redirect/3"))
    assert page.final_url == server.url("/pages/stadtkurier-radwege.html")
    assert load_article(server.url("/redirect/3")).title == RADWEGE


def test_redirect_loop_is_one_clear_error(server: _Server) -> None:
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/loop"))
    assert str(caught.value) == (
        f"could not fetch {server.url('/loop')}: more than 10 redirects "
        "(the site redirects in a loop)"
    )
    assert caught.value.exit_code == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found (check the address)"),
        ("/broken", "HTTP 500 Internal Server Error (the site has a problem; try again later)"),
        ("/forbidden", "HTTP 403 Forbidden (the site refuses access; it may block automated"),
    ],
)
def test_http_errors(server: _Server, path: str, message: str) -> None:
    with pytest.raises(NetworkError) as caught:
        load_article(server.url(path))
    assert str(caught.value).startswith(f"could not fetch {server.url(path)}: {message}")
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("path", ["/huge", "/huge-streamed"])
def test_body_over_the_size_limit_is_refused(server: _Server, path: str) -> None:
    with pytest.raises(InputError) as caught:
        fetch(server.url(path), max_bytes=10_000)
    assert str(caught.value) == (
        f"{server.url(path)} is larger than 10000 bytes: too big for an article page "
        "(give the address of the article itself)"
    )


def test_body_under_the_default_limit_is_read(server: _Server) -> None:
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    assert len(fetch(server.url("/huge-streamed")).text) > 10_000


def test_slow_answer_times_out(server: _Server) -> None:
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/slow"), timeout=0.3)
    assert str(caught.value) == (
        f"could not fetch {server.url('/slow')}: no answer within 0.3 s "
        "(the site is slow or unreachable)"
    )


def test_broken_off_download(server: _Server) -> None:
    with pytest.raises(NetworkError) as caught:
        fetch(server.url("/truncated"))
    assert str(caught.value) == (
        f"could not fetch {server.url('/truncated')}: the download broke off (try again later)"
    )


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/bericht.pdf", "is a PDF document (application/pdf), not a web page"),
        ("/bild.jpg", "is an image (image/jpeg), not a web page"),
    ],
)
def test_documents_that_are_no_pages_are_refused(server: _Server, path: str, what: str) -> None:
    with pytest.raises(InputError) as caught:
        load_article(server.url(path))
    assert str(caught.value) == (
        f"{server.url(path)} {what} (narrate reads HTML, plain text and Markdown)"
    )
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("path", ["/latin1", "/latin1-meta", "/utf8-labelled-latin1"])
def test_charset_from_header_meta_or_bytes(server: _Server, path: str) -> None:
    article = load_article(server.url(path))
    assert article.title == "Grüße aus Österreich"
    assert article.sections[0].paragraphs[1] == (
        "Danach gab es Kaffee, Kuchen und Grießnockerlsuppe für alle, die geblieben waren."
    )


def test_latin1_label_reads_windows_1252_quotes_and_dashes(server: _Server) -> None:
    article = load_article(server.url("/windows-1252"))
    assert article.sections[0].paragraphs[1].startswith("Danach gab es „Kaffee“ – Kuchen")


@pytest.mark.parametrize(
    ("path", "kind", "title"),
    [
        ("/plain", "text", "Ein schlichter Titel"),
        ("/notes.md", "markdown", "Ein Markdown-Titel"),
        ("/untyped", "html", "Sauerteig ansetzen: Mein Weg zum ersten eigenen Brot"),
    ],
)
def test_content_type_chooses_the_reader(server: _Server, path: str, kind: str, title: str) -> None:
    assert read_source(server.url(path)).kind == kind
    assert load_article(server.url(path)).title == title


def test_refused_connection(refused_url: str) -> None:
    with pytest.raises(NetworkError) as caught:
        load_article(refused_url)
    assert str(caught.value) == (
        f"could not fetch {refused_url}: connection refused (is the address right and the site up?)"
    )


def test_given_session_is_used(server: _Server) -> None:
    with requests.Session() as session:
        session.headers["X-Test"] = "ja"
        fetch(server.url("/pages/blog-sauerteig.html?session"), session=session)
    assert server.seen["/pages/blog-sauerteig.html?session"]["X-Test"] == "ja"


# The command line.


def test_cli_script_reads_an_address(server: _Server, fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, ["script", server.url("/redirect/1"), "-e", "fake"])
    assert result.exit_code == 0, result.output
    assert RADWEGE in result.stdout
    assert "Kommentare" not in result.stdout


def test_cli_narrates_an_address_into_the_current_folder(
    server: _Server, fake_engine: FakeEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, [server.url("/politik/energiewende-im-dorf-100.html"), "-e", "fake"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["energiewende-im-dorf-100.mp3"]


def test_cli_refuses_ftp_with_exit_2(fake_engine: FakeEngine) -> None:
    result = runner.invoke(app, ["script", "ftp://example.org/artikel.txt", "-e", "fake"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "narrate: error: unsupported URL scheme 'ftp': only http and https"
    )


def test_cli_refused_port_is_exit_1_with_one_line(
    refused_url: str, fake_engine: FakeEngine
) -> None:
    result = runner.invoke(app, ["script", refused_url, "-e", "fake"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"narrate: error: could not fetch {refused_url}: connection refused "
        "(is the address right and the site up?)"
    ]


# The small decisions.


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://example.de/a.html", True),
        ("http://example.de", True),
        ("ftp://example.org/x", True),
        ("FILE:///etc/passwd", True),
        ("javascript:alert(1)", True),
        ("data:text/html,<p>x</p>", True),
        ("artikel.txt", False),
        ("C:\\Users\\lena\\artikel.txt", False),
        ("c://artikel", False),
        ("notizen:entwurf.txt", False),
        ("-", False),
    ],
)
def test_is_url(source: str, expected: bool) -> None:
    assert is_url(source) is expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/x", "unsupported URL scheme 'ftp': only http and https"),
        ("file:///etc/passwd", "unsupported URL scheme 'file': only http and https"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript': only http and https"),
        ("https:///pfad", "https:///pfad is not a valid URL: it names no host"),
    ],
)
def test_check_url_refuses(url: str, message: str) -> None:
    with pytest.raises(InputError, match=f"^{message}"):
        check_url(url)


def test_other_schemes_are_refused_before_any_file_lookup() -> None:
    with pytest.raises(InputError, match="^unsupported URL scheme 'javascript'"):
        read_source("javascript:alert(1)")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html; charset=ISO-8859-1", ("text/html", "iso-8859-1")),
        ('Text/HTML;Charset="utf-8"', ("text/html", "utf-8")),
        ("application/xhtml+xml", ("application/xhtml+xml", None)),
        ("", ("", None)),
    ],
)
def test_parse_content_type(header: str, expected: tuple[str, str | None]) -> None:
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        ("text/html", "html"),
        ("application/xhtml+xml", "html"),
        ("text/plain", "text"),
        ("text/markdown", "markdown"),
        ("text/x-markdown", "markdown"),
    ],
)
def test_kind_for_media_type(media_type: str, kind: str) -> None:
    assert kind_for_media_type(media_type, "u") == kind


@pytest.mark.parametrize("media_type", ["application/pdf", "image/png", "application/json", ""])
def test_other_media_types_are_refused(media_type: str) -> None:
    with pytest.raises(InputError, match="not a web page"):
        kind_for_media_type(media_type, "u")


@pytest.mark.parametrize(
    ("data", "declared", "text"),
    [
        ("Grüße".encode(), None, "Grüße"),
        ("Grüße".encode(), "iso-8859-1", "Grüße"),
        ("Grüße".encode("latin-1"), "iso-8859-1", "Grüße"),
        ("„Grüße“".encode("cp1252"), "iso-8859-1", "„Grüße“"),
        ("„Grüße“".encode("cp1252"), None, "„Grüße“"),
        ("Grüße".encode("latin-1"), "no-such-charset", "Grüße"),
        (b"\xef\xbb\xbfGr\xc3\xbc\xc3\x9fe", "iso-8859-1", "Grüße"),
        ("Grüße".encode("utf-16"), None, "Grüße"),
        ("Größe".encode("iso-8859-15"), "iso-8859-15", "Größe"),
    ],
)
def test_decode_page(data: bytes, declared: str | None, text: str) -> None:
    assert decode_page(data, declared, "text/plain") == text


def test_decode_page_uses_the_meta_charset_of_html_only() -> None:
    data = "<meta charset='koi8-r'><p>Привет</p>".encode("koi8-r")
    assert "Привет" in decode_page(data, None, "text/html")
    assert "Привет" not in decode_page(data, None, "text/plain")


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b"<meta charset='ISO-8859-1'>", "iso-8859-1"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            "windows-1252",
        ),
        (b"<meta charset=utf-8 />", "utf-8"),
        (b"<title>charset=latin1</title>", None),
    ],
)
def test_sniff_charset(head: bytes, charset: str | None) -> None:
    assert sniff_charset(b"<html><head>" + head + b"</head>") == charset


def test_describe_failure_names_an_unknown_host() -> None:
    error = requests.ConnectionError(
        "Caused by NameResolutionError(Failed to resolve 'nirgends.invalid' "
        "([Errno -2] Name or service not known))"
    )
    assert describe_failure("https://nirgends.invalid/a", error, 20) == (
        "could not fetch https://nirgends.invalid/a: host nirgends.invalid not found",
        "is the address right, and are you online?",
    )


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://example.de/politik/energiewende-im-dorf-100.html", "energiewende-im-dorf-100"),
        ("https://blog.example/2024/02/sauerteig-ansetzen/", "sauerteig-ansetzen"),
        ("https://example.de/artikel/gr%C3%BC%C3%9Fe?id=3#oben", "grüße"),
        ("https://example.de/a/v1.2-release", "v1.2-release"),
        ("https://example.de/index.php", "index"),
        ("https://www.example.de/", "www.example.de"),
        ("https://www.example.de", "www.example.de"),
        ("https://example.de/%20%2F/", "example.de"),
    ],
)
def test_output_name(url: str, name: str) -> None:
    assert output_name(url) == name


def test_default_output_of_an_address_is_in_the_current_folder() -> None:
    url = "https://example.de/politik/energiewende-im-dorf-100.html"
    assert default_output(url) == Path("energiewende-im-dorf-100.mp3")
    assert default_output("texte/artikel.txt") == Path("texte/artikel.mp3")
