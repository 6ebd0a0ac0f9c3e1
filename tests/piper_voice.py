"""Write a tiny Piper-format voice for tests: a few-KB ONNX model and its JSON config.

The model has the signature of a real Piper voice (inputs ``input`` int64 [1, n],
``input_lengths`` int64 [1], ``scales`` float32 [3]; output ``output`` float32
[1, 1, samples]) but, instead of speech, it produces a sine tone whose length is
``n × HOP_LENGTH × length_scale`` samples (floored), ``length_scale`` being
``scales[1]``. Tests can therefore predict the exact length of the audio Piper's own
code hands back.

Run ``python -m tests.piper_voice FOLDER`` to write ``de_DE-test-medium`` into FOLDER.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

__all__ = ["HOP_LENGTH", "SAMPLE_RATE", "TONE_HZ", "PHONEME_SYMBOLS", "write_voice"]

HOP_LENGTH = 256
"""Samples per phoneme id at length scale 1."""
SAMPLE_RATE = 16000
TONE_HZ = 440.0
OPSET = 17

PHONEME_SYMBOLS = (
    "_^$ !'(),-.:;?"  # pad, sentence start/end, space, punctuation
    "abcdefghijklmnopqrstuvwxyz"
    "æçðøŋœɐɑɒɔəɛɜɡɪʁɾʃʊʌʏʒʔθχˈˌːɹɚɫʎʝɲβɣɕʑʂʐ"
    "\u0303\u0327\u0329\u032f\u0361"  # combining tilde, cedilla, syllabic, non-syllabic, tie
)
"""Every symbol the tiny voice knows: espeak's German output and some spare IPA."""


def phoneme_id_map() -> dict[str, list[int]]:
    """Piper's map from phoneme to ids: pad ``_`` is 0, ``^`` is 1, ``$`` is 2."""
    return {symbol: [index] for index, symbol in enumerate(PHONEME_SYMBOLS)}


def voice_config(language: str = "de_DE", espeak_voice: str = "de") -> dict[str, object]:
    """The ``.onnx.json`` config Piper reads, in the layout of published voices."""
    id_map = phoneme_id_map()
    family = language.split("_")[0]
    return {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": "medium"},
        "espeak": {"voice": espeak_voice},
        "language": {"code": language, "family": family},
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": id_map,
        "num_symbols": len(id_map),
        "num_speakers": 1,
        "speaker_id_map": {},
        "hop_length": HOP_LENGTH,
        "dataset": "narrate-test-tone",
        "piper_version": "1.0.0",
    }


def tone_model_bytes() -> bytes:
    """Serialize the sine-tone model described in the module docstring."""
    from onnx import TensorProto, checker, helper

    def const(name: str, value: float | int | list[int]) -> object:
        if isinstance(value, list):
            return helper.make_tensor(name, TensorProto.INT64, [len(value)], value)
        kind = TensorProto.FLOAT if isinstance(value, float) else TensorProto.INT64
        return helper.make_tensor(name, kind, [], [value])

    initializers = [
        const("one_index", 1),
        const("hop", float(HOP_LENGTH)),
        const("zero", 0.0),
        const("step", 1.0),
        const("omega", 2.0 * math.pi * TONE_HZ / SAMPLE_RATE),
        const("amplitude", 0.5),
        const("out_shape", [1, 1, -1]),
    ]
    nodes = [
        helper.make_node("Shape", ["input"], ["input_shape"]),
        helper.make_node("Gather", ["input_shape", "one_index"], ["id_count"], axis=0),
        helper.make_node("Cast", ["id_count"], ["id_count_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one_index"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["id_count_f", "hop"], ["base_samples"]),
        helper.make_node("Mul", ["base_samples", "length_scale"], ["scaled_samples"]),
        helper.make_node("Floor", ["scaled_samples"], ["sample_count"]),
        helper.make_node("Range", ["zero", "sample_count", "step"], ["positions"]),
        helper.make_node("Mul", ["positions", "omega"], ["phases"]),
        helper.make_node("Sin", ["phases"], ["wave"]),
        helper.make_node("Mul", ["wave", "amplitude"], ["tone"]),
        helper.make_node("Reshape", ["tone", "out_shape"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "narrate-test-tone",
        inputs=[
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"])],
        initializer=initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="narrate-tests"
    )
    model.ir_version = 8  # readable by every onnxruntime piper-tts supports
    checker.check_model(model)
    return bytes(model.SerializeToString())


def write_voice(folder: Path, name: str = "de_DE-test-medium", language: str = "de_DE") -> Path:
    """Write ``NAME.onnx`` and ``NAME.onnx.json`` into ``folder``; return the model path."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    model.write_bytes(tone_model_bytes())
    espeak_voice = language.split("_")[0]
    config = voice_config(language, espeak_voice)
    Path(f"{model}.json").write_text(json.dumps(config, ensure_ascii=False, indent=2), "utf-8")
    return model


if __name__ == "__main__":
    print(write_voice(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
