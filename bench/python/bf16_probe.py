#!/usr/bin/env python3
"""What a CPU with a bf16 matrix unit would give TypedBert's bf16 path: a proxy measured with Python's PyTorch (libtorch,
the library TypedBert runs on) and ONNX Runtime, for machines where .NET is not at hand.

The encoder is MiniLM-L6's shape (6 layers, hidden 384, 12 heads, intermediate 1536) with random weights, batch 32 x 128
tokens, 2 threads (the project's machines have 2 cores). It times, alternating after warm-up:
  - ONNX Runtime, fp32, on the same encoder exported to ONNX;
  - libtorch fp32;
  - libtorch with bf16 Linear layers (weights cast once, activations cast at each matmul, LayerNorm, softmax and residual
    adds in fp32), which is what TypedBert's InferencePrecision.BFloat16 does;
and the 2048^3 matmul peak in fp32 and bf16. Prints one JSON object.

    python3 bench/python/bf16_probe.py [--threads 2] [--rounds 5]
"""
import argparse
import copy
import json
import platform
import time

import numpy as np
import torch
from transformers import BertConfig, BertModel


def flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def model_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def peak(dtype, size=2048, repeats=5):
    a, b = torch.randn(size, size).to(dtype), torch.randn(size, size).to(dtype)
    for _ in range(2):
        a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size ** 3 / best / 1e9


class BFloat16Linear(torch.nn.Module):
    def __init__(self, linear):
        super().__init__()
        self.weight = torch.nn.Parameter(linear.weight.detach().to(torch.bfloat16), requires_grad=False)
        self.bias = None if linear.bias is None else torch.nn.Parameter(linear.bias.detach().clone(), requires_grad=False)

    def forward(self, x):
        y = torch.nn.functional.linear(x.to(torch.bfloat16), self.weight).float()
        return y if self.bias is None else y + self.bias


def with_bf16_linears(module):
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Linear):
            setattr(module, name, BFloat16Linear(child))
        else:
            with_bf16_linears(child)
    return module


def seconds(run, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536)
    fp32 = BertModel(config, add_pooling_layer=False).eval()
    bf16 = with_bf16_linears(copy.deepcopy(fp32))
    ids = torch.randint(1000, 30000, (32, 128))
    mask = torch.ones_like(ids)

    import onnxruntime as ort
    path = "/tmp/minilm-shape.onnx"
    try:
        torch.onnx.export(fp32, (ids, mask), path, input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"}}, opset_version=17, dynamo=False)
    except TypeError:
        torch.onnx.export(fp32, (ids, mask), path, input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"], opset_version=17)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}

    with torch.inference_mode():
        reference = fp32(ids, mask).last_hidden_state
        low = bf16(ids, mask).last_hidden_state
        ort_out = session.run(None, feed)[0]
        runs = {"onnxruntime": lambda: session.run(None, feed), "torch_fp32": lambda: fp32(ids, mask), "torch_bf16": lambda: bf16(ids, mask)}
        for run in runs.values():
            run()
            run()
        totals = {k: [] for k in runs}
        for _ in range(3):
            for name, run in runs.items():
                totals[name].append(seconds(run, args.rounds))
                time.sleep(0.3)
    per_s = {k: 32 / float(np.median(v)) for k, v in totals.items()}
    cpu_flags = flags()
    print(json.dumps({
        "cpu": model_name(), "threads": args.threads, "torch": torch.__version__, "onnxruntime": ort.__version__,
        "amx_bf16": "amx_bf16" in cpu_flags, "avx512_bf16": "avx512_bf16" in cpu_flags,
        "matmul_peak_gflops_fp32": round(peak(torch.float32), 1), "matmul_peak_gflops_bf16": round(peak(torch.bfloat16), 1),
        "onnxruntime_seq_per_s": round(per_s["onnxruntime"], 2), "torch_fp32_seq_per_s": round(per_s["torch_fp32"], 2),
        "torch_bf16_seq_per_s": round(per_s["torch_bf16"], 2),
        "ratio_fp32_vs_onnxruntime": round(per_s["torch_fp32"] / per_s["onnxruntime"], 3),
        "ratio_bf16_vs_onnxruntime": round(per_s["torch_bf16"] / per_s["onnxruntime"], 3),
        "max_abs_difference_onnxruntime_vs_torch_fp32": float(np.abs(ort_out - reference.numpy()).max()),
        "max_abs_difference_bf16_vs_fp32": float((low - reference).abs().max()),
    }, indent=1))


if __name__ == "__main__":
    main()
