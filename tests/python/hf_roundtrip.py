"""Cross-checks TypedBert's Hugging Face layout against Python transformers. See README.md."""
import json
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertForSequenceClassification, BertTokenizerFast

TEXTS = [
    "This movie was absolutely fantastic!",
    "Café naïve résumé — Ελληνικά, 日本語",
    "",
    "I love this 😍 so much!!! $1,234.56 = `quoted`",
]


def export(directory: str, vocab: str) -> None:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                        id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1})
    model = BertForSequenceClassification(config).eval()
    tokenizer = BertTokenizerFast(vocab_file=vocab, do_lower_case=True)
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    ids = [tokenizer(t)["input_ids"] for t in TEXTS]
    with open(f"{directory}/expected.json", "w") as f:
        json.dump({"texts": TEXTS, "input_ids": ids, "logits": logits.tolist()}, f, indent=1, ensure_ascii=False)


def check(directory: str) -> None:
    with open(f"{directory}/typedbert.json") as f:
        expected = json.load(f)
    model = AutoModelForSequenceClassification.from_pretrained(directory).eval()
    tokenizer = AutoTokenizer.from_pretrained(directory)
    ids = [tokenizer(t)["input_ids"] for t in expected["texts"]]
    assert ids == expected["input_ids"], f"token ids differ:\n{ids}\n{expected['input_ids']}"
    batch = tokenizer(expected["texts"], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    difference = (logits - torch.tensor(expected["logits"])).abs().max().item()
    assert difference <= 1e-4, f"logits differ by {difference}"
    print(f"ok: ids equal, max |logit difference| {difference:.2e}")


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "vocab.txt")
    else:
        check(sys.argv[2])
