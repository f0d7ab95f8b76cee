#!/usr/bin/env python3
"""Loads classifiers saved by TypedBert in Python transformers and compares what Python computes with what TypedBert did.

    python3 tests/python/hf_roundtrip.py check DIR [REPORT.json]
    python3 tests/python/hf_roundtrip.py ids DIR


DIR holds one folder per model, each written by TypedBert's TextClassifier.Save plus a typedbert.json beside it
(written by the test PythonRoundTripExport when TYPEDBERT_PYTHON_EXPORT=DIR):
{"pooling": "pooler", "problem_type": ..., "labels": [...], "cases": [{"text", "pair"?, "input_ids", "logits"}]}.

For each folder: AutoModelForSequenceClassification.from_pretrained and AutoTokenizer.from_pretrained must load it; the
problem type and labels must be TypedBert's; the token ids must be equal; the logits must agree within 1e-4, one text
at a time and in a padded batch. A model that pools by something other than the pooler ("mean", "cls") has no
equivalent in transformers' classes: it is loaded and its difference is reported, not asserted.
`ids DIR` reads DIR/vocab.txt and DIR/*.jsonl ({"text", "input_ids"} per line, written by TypedBert's BertTokenizer for
every row of ../shared/data) and counts the rows where transformers' BertTokenizer on that vocab gives other ids.
Exit status 1 when any strict check fails.
"""
import json
import os
import sys
import traceback

import torch
import transformers
from transformers import AutoModelForSequenceClassification, AutoTokenizer

TOLERANCE = 1e-4


def check_one(folder):
    with open(os.path.join(folder, "typedbert.json"), encoding="utf-8") as f:
        expected = json.load(f)
    model = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    report = {"model": type(model).__name__, "tokenizer": type(tokenizer).__name__, "pooling": expected["pooling"], "problems": []}
    problems = report["problems"]
    if model.config.problem_type != expected["problem_type"]:
        problems.append(f"problem_type {model.config.problem_type!r}, TypedBert saved {expected['problem_type']!r}")
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    if labels != expected["labels"]:
        problems.append(f"labels {labels}, TypedBert saved {expected['labels']}")

    cases = expected["cases"]
    worst_single, worst_batch = 0.0, 0.0
    for case in cases:
        encoded = tokenizer(case["text"], case.get("pair"), return_tensors="pt")
        ids = encoded["input_ids"][0].tolist()
        if ids != case["input_ids"]:
            problems.append(f"ids of {case['text']!r}: Python {ids}, TypedBert {case['input_ids']}")
        if "token_type_ids" not in encoded and "pair" in case and model.config.model_type == "albert":
            # transformers 5's AlbertTokenizer returns no token_type_ids (segment 0 throughout); compare the model on TypedBert's.
            encoded["token_type_ids"] = torch.tensor([case["token_type_ids"]])
            report["note"] = "the tokenizer returned no token_type_ids for the pair; TypedBert's were given to the model"
        with torch.no_grad():
            logits = model(**encoded).logits[0]
        worst_single = max(worst_single, (logits - torch.tensor(case["logits"])).abs().max().item())
    singles = [c for c in cases if "pair" not in c]
    batch = tokenizer([c["text"] for c in singles], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    worst_batch = (logits - torch.tensor([c["logits"] for c in singles])).abs().max().item()
    report.update(max_abs_logit_difference_single=worst_single, max_abs_logit_difference_padded_batch=worst_batch)
    if expected["pooling"] == "pooler":
        for what, worst in (("one at a time", worst_single), ("padded batch", worst_batch)):
            if worst > TOLERANCE:
                problems.append(f"logits {what} differ by {worst:.3e} (> {TOLERANCE})")
    return report


def check(directory, report_path=None):
    reports, failed = {}, []
    for name in sorted(os.listdir(directory)):
        folder = os.path.join(directory, name)
        if not os.path.exists(os.path.join(folder, "typedbert.json")):
            continue
        try:
            reports[name] = check_one(folder)
        except Exception:
            reports[name] = {"problems": [traceback.format_exc()]}
        ok = not reports[name]["problems"]
        failed += [] if ok else [name]
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {json.dumps(reports[name], ensure_ascii=False)}")
    if report_path:
        with open(report_path, "w", encoding="utf-8") as f:
            json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "models": reports}, f, indent=1, ensure_ascii=False)
    if not reports:
        print(f"no folder with typedbert.json under {directory}")
        return False
    return not failed


def ids(directory):
    config = os.path.join(directory, "tokenizer_config.json")
    with open(config, "w", encoding="utf-8") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": 512}, f)
    tokenizer = AutoTokenizer.from_pretrained(directory)
    all_equal = True
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".jsonl")):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        python = tokenizer([r["text"] for r in rows])["input_ids"]
        different = [(r, p) for r, p in zip(rows, python) if r["input_ids"] != p]
        tokens = sum(len(p) for p in python)
        print(f"{'ok  ' if not different else 'FAIL'} {name}: {len(rows)} rows, {tokens} tokens, {len(different)} rows with other ids")
        for row, p in different[:5]:
            print(f"   {row['text']!r}\n     TypedBert {row['input_ids']}\n     Python    {p}")
        all_equal &= not different
    return all_equal


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "ids":
        sys.exit(0 if ids(sys.argv[2]) else 1)
    if len(sys.argv) < 3 or sys.argv[1] != "check":
        sys.exit(__doc__)
    sys.exit(0 if check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None) else 1)
