"""The operator page, `/admin`: users' feedback, its export as gold cases, and the index's status.

Only operators get it: a request carrying the auth token (`ASSISTANT_UI__AUTH_TOKEN`), or one whose
trusted user header, set by the authenticating proxy, names a user of `ASSISTANT_UI__ADMIN_USERS`.
With neither configured the page is refused to everyone: feedback holds users' questions.
The page is plain server-rendered HTML; every stored value is escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from assistant.errors import AssistantError
from assistant.retrieval.store import ChunkStore, IndexStatus
from assistant.settings import UISettings
from ui.feedback import FeedbackEntry, FeedbackStore, to_gold_case
from ui.render import safe_url
from ui.security import has_token

RATING_FILTERS = {"all": "All, thumbs down first", "down": "Thumbs down", "up": "Thumbs up"}
LANGUAGE_FILTERS = {"all": "Any language", "fr": "French", "en": "English"}
_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem; padding: 0 1rem; color: #1f2328; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; }
form { display: flex; gap: .8rem; align-items: end; flex-wrap: wrap; margin: 1rem 0; }
.entry { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; }
.entry.down { border-left: 6px solid #b42318; } .entry.up { border-left: 6px solid #1a7f37; }
.meta { color: #57606a; font-size: .9em; }
.down .rating { color: #b42318; } .up .rating { color: #1a7f37; } .answer { white-space: pre-wrap; }
.comment { background: #fff8c5; padding: .3rem .6rem; } blockquote { margin: .2rem 0 .4rem 1rem; color: #424a53; }
"""


def is_operator(request: Request, settings: UISettings) -> bool:
    token = settings.auth_token.get_secret_value()
    if token and has_token(request.headers.get("authorization", ""), token):
        return True
    if settings.trusted_user_header:
        return request.headers.get(settings.trusted_user_header, "").strip() in settings.admin_users
    return False


def router(feedback: FeedbackStore, store: ChunkStore, settings: UISettings) -> APIRouter:
    admin = APIRouter(include_in_schema=False)

    @admin.get("/admin")
    def page(request: Request, rating: str = "all", language: str = "all", commented: bool = False) -> Response:
        if not is_operator(request, settings):
            return refusal(settings)
        entries = filtered(feedback.entries(), rating, language, commented)
        return HTMLResponse(render_page(entries, index_status(store), rating, language, commented))

    @admin.get("/admin/export.jsonl")
    def export(request: Request, rating: str = "all", language: str = "all", commented: bool = False) -> Response:
        if not is_operator(request, settings):
            return refusal(settings)
        entries = filtered(feedback.entries(), rating, language, commented)
        lines = "".join(json.dumps(to_gold_case(e), ensure_ascii=False) + "\n" for e in entries)
        return Response(
            lines,
            media_type="application/x-ndjson; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="feedback-cases.jsonl"'},
        )

    return admin


def refusal(settings: UISettings) -> JSONResponse:
    if not (settings.auth_token or (settings.trusted_user_header and settings.admin_users)):
        message = (
            "The operator page is off: set ASSISTANT_UI__AUTH_TOKEN, or ASSISTANT_UI__TRUSTED_USER_HEADER "
            "and ASSISTANT_UI__ADMIN_USERS."
        )
    else:
        message = "Only operators may open this page (the auth token, or a user listed in ASSISTANT_UI__ADMIN_USERS)."
    return JSONResponse({"error": message}, status_code=403)


def filtered(entries: list[FeedbackEntry], rating: str, language: str, commented: bool) -> list[FeedbackEntry]:
    """The entries that pass the filters, thumbs down first, newest first within a rating."""
    kept = [
        e
        for e in entries
        if rating in (e.rating, "all") and language in (e.language, "all") and (e.comment or not commented)
    ]
    return sorted(kept, key=lambda e: (e.rating != "down", -e.id))


def index_status(store: ChunkStore) -> IndexStatus | str:
    """The index's status, or why it cannot be read."""
    try:
        return store.status()
    except AssistantError as error:
        return str(error)


def render_page(
    entries: list[FeedbackEntry], status: IndexStatus | str, rating: str, language: str, commented: bool
) -> str:
    query = f"rating={rating}&language={language}" + ("&commented=true" if commented else "")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Assistant — operators</title><style>{_STYLE}</style></head><body>"
        "<h1>Inserm international assistant — operators</h1>"
        f"<section id='index-status'><h2>Index status</h2>{_status_html(status)}</section>"
        f"<section id='feedback'><h2>Feedback ({len(entries)})</h2>"
        f"{_filters_html(rating, language, commented)}"
        f'<p><a id="export" href="admin/export.jsonl?{html.escape(query)}">Export these as gold cases (JSONL)</a>'
        " — review each case's <code>must</code> and <code>evidence</code> before adding it to "
        "<code>evals/data/gold.jsonl</code>.</p>"
        + ("".join(_entry_html(e) for e in entries) or "<p>No feedback matches.</p>")
        + "</section></body></html>"
    )


def _status_html(status: IndexStatus | str) -> str:
    if isinstance(status, str):
        return f'<p class="error">{html.escape(status)}</p>'
    rows = "".join(
        f"<tr><td>{html.escape(source)}</td><td>{count}</td></tr>" for source, count in status.chunks_per_source.items()
    )
    facts = {
        "Active generation": status.generation,
        "Built (last ingest)": status.built,
        "Published": status.published,
        "Embedder": status.embedder,
        "Chunks": str(sum(status.chunks_per_source.values())),
    }
    return (
        "<table><tbody>"
        + "".join(f"<tr><th>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in facts.items())
        + "</tbody></table><h3>Chunks per source</h3><table><thead><tr><th>Source</th><th>Chunks</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _filters_html(rating: str, language: str, commented: bool) -> str:
    return (
        '<form method="get" action="admin">'
        + _select("rating", "Rating", RATING_FILTERS, rating)
        + _select("language", "Language", LANGUAGE_FILTERS, language)
        + f'<label><input type="checkbox" name="commented" value="true"{" checked" if commented else ""}> '
        "With a comment only</label><button type='submit'>Filter</button></form>"
    )


def _select(name: str, label: str, options: dict[str, str], chosen: str) -> str:
    items = "".join(
        f'<option value="{value}"{" selected" if value == chosen else ""}>{html.escape(text)}</option>'
        for value, text in options.items()
    )
    return f'<label>{label}<br><select name="{name}">{items}</select></label>'


def _entry_html(entry: FeedbackEntry) -> str:
    earlier = "".join(f"<li>{html.escape(turn)}</li>" for turn in entry.turns[:-1])
    comment = f'<p class="comment">{html.escape(entry.comment)}</p>' if entry.comment else ""
    mark = f'<strong class="rating">{"Thumbs down" if entry.rating == "down" else "Thumbs up"}</strong>'
    return (
        f'<article class="entry {html.escape(entry.rating)}" id="feedback-{entry.id}">'
        f'<p class="meta">{mark} · {html.escape(entry.created_at)} · {html.escape(entry.language)} · '
        f"{html.escape(entry.responder)}{' · abstained' if entry.abstained else ''} · #{entry.id}</p>"
        + (f'<p class="meta">Earlier questions:</p><ol class="earlier">{earlier}</ol>' if earlier else "")
        + f'<p class="question"><strong>{html.escape(entry.question)}</strong></p>'
        f'<p class="answer">{html.escape(entry.answer)}</p>{comment}'
        f'<ol class="citations">{"".join(_citation_html(c) for c in entry.citations)}</ol></article>'
    )


def _citation_html(citation: dict[str, Any]) -> str:
    title = html.escape(" › ".join(str(part) for part in (citation.get("title"), citation.get("section")) if part))
    url = safe_url(str(citation.get("url", "")))
    name = f'<a href="{html.escape(url)}" rel="noopener noreferrer">{title}</a>' if url else title
    return (
        f'<li value="{int(citation.get("n", 0))}">{name} ({html.escape(str(citation.get("language", "")))})'
        f"<blockquote>{html.escape(str(citation.get('text', '')))}</blockquote></li>"
    )
