"""Every string the chat shows, per language, and how the visitor's language is chosen.

The page speaks one language at a time: `?lang=fr|en` (the widget snippet's `data-lang` becomes
that), else the browser's preferred language (Accept-Language), else English, the language an
international visitor is likeliest to read. It then follows the conversation: a question asked in
the other language switches the page to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LANGUAGES = ("fr", "en")
# Gradio names its own buttons in the browser's language, once, at start (its English and French
# names below): chat.js renames them in the page's language, which may differ, and change later.
GRADIO_LABELS = {
    "Like": "like",
    "J'aime": "like",
    "Liked": "liked",
    "Dislike": "dislike",
    "Je n'aime pas": "dislike",
    "Disliked": "disliked",
    "Clear": "clear",
    "Effacer la conversation": "clear",
    "Copy message": "copy",
    "Copied message": "copied",
}


@dataclass(frozen=True, kw_only=True)
class Labels:
    page_title: str
    heading: str
    intro: str
    chat_label: str
    chat_placeholder: str
    examples: tuple[str, ...]  # the widget shows the first two
    question_label: str
    question_placeholder: str
    language_label: str
    language_choices: tuple[tuple[str, str], ...]
    new_chat: str
    comment_label: str
    send: str
    thanks: str
    unexpected: str
    sources_label: str
    suggestions_label: str
    buttons: dict[str, str] = field(default_factory=dict)  # Gradio's buttons (GRADIO_LABELS) and "submit"
    # The launcher (embed.js) on the host page.
    open_assistant: str
    close_assistant: str
    frame_title: str


STRINGS = {
    "fr": Labels(
        page_title="Assistant · Coopération internationale de l’Inserm",
        heading="Coopération internationale de l’Inserm",
        intro="Posez une question en français ou en anglais : chaque réponse cite ses sources.",
        chat_label="Conversation avec l’assistant",
        chat_placeholder="Posez votre question sur la coopération internationale de l’Inserm.",
        examples=(
            "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?",
            "Quels sont les programmes de coordination thématique de l’Inserm ?",
            "Où l’Inserm a-t-il des bureaux à l’étranger ?",
            "Quels laboratoires conjoints l’Inserm a-t-il à l’étranger ?",
        ),
        question_label="Votre question",
        question_placeholder="Votre question…",
        language_label="Langue des réponses",
        language_choices=(("Automatique", "auto"), ("Français", "fr"), ("Anglais", "en")),
        new_chat="Nouvelle conversation",
        comment_label="Un commentaire ? (facultatif)",
        send="Envoyer",
        thanks="Merci pour votre retour.",
        unexpected="Une erreur est survenue pendant la réponse ; elle a été journalisée. Réessayez.",
        sources_label="Sources",
        suggestions_label="Vous pourriez aussi demander",
        buttons={
            "like": "Réponse utile",
            "liked": "Réponse jugée utile",
            "dislike": "Réponse pas utile",
            "disliked": "Réponse jugée pas utile",
            "clear": "Effacer la conversation",
            "copy": "Copier le message",
            "copied": "Message copié",
            "submit": "Envoyer la question",
        },
        open_assistant="Poser une question à l’assistant",
        close_assistant="Fermer l’assistant",
        frame_title="Assistant · Coopération internationale de l’Inserm",
    ),
    "en": Labels(
        page_title="Assistant · Inserm international cooperation",
        heading="Inserm international cooperation",
        intro="Ask a question in English or in French: every answer cites its sources.",
        chat_label="Conversation with the assistant",
        chat_placeholder="Ask your question about Inserm's international cooperation.",
        examples=(
            "How many Horizon Europe projects does Inserm coordinate?",
            "What are Inserm's thematic coordination programmes?",
            "Where does Inserm have offices abroad?",
            "Which joint laboratories does Inserm have abroad?",
        ),
        question_label="Your question",
        question_placeholder="Your question…",
        language_label="Answer language",
        language_choices=(("Automatic", "auto"), ("French", "fr"), ("English", "en")),
        new_chat="New chat",
        comment_label="A comment? (optional)",
        send="Send",
        thanks="Thank you for your feedback.",
        unexpected="Something went wrong while answering; it was logged. Please try again.",
        sources_label="Sources",
        suggestions_label="You could also ask",
        buttons={
            "like": "Helpful answer",
            "liked": "Marked as helpful",
            "dislike": "Unhelpful answer",
            "disliked": "Marked as unhelpful",
            "clear": "Clear the conversation",
            "copy": "Copy the message",
            "copied": "Message copied",
            "submit": "Send the question",
        },
        open_assistant="Ask the assistant",
        close_assistant="Close the assistant",
        frame_title="Assistant · Inserm international cooperation",
    ),
}


def choose_language(requested: str | None, accept_language: str | None) -> str:
    """`requested` if it is fr or en, else the preferred of fr/en in an Accept-Language header, else en."""
    if requested in LANGUAGES:
        return str(requested)
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


def launcher_strings() -> dict[str, dict[str, str]]:
    """What embed.js needs, per language."""
    keys = ("open_assistant", "close_assistant", "frame_title")
    return {lang: {k: v for k, v in asdict(labels).items() if k in keys} for lang, labels in STRINGS.items()}


def button_keys() -> dict[str, str]:
    """Any name a button of the chat may have (Gradio's English or French, or ours) → what it is."""
    ours = {label: key for labels in STRINGS.values() for key, label in labels.buttons.items()}
    return GRADIO_LABELS | ours
