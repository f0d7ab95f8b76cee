# Writes content/*/.template.config/template.json. The flag values of a [Flags] enum must be distinct powers of two and the
# template engine cannot count, so 16 anchored regex steps each give the k-th label "= 1 << k". Run after editing this file.
#
# Names: sourceName (TypedBertApp) is the project's name as given (-n My.Tickets: My.Tickets.csproj); every C# identifier
# derived from it is written TypedBertEnum in content/ and becomes the name without the characters an identifier cannot
# hold (MyTickets), with a leading _ when it would start with a digit.
import json, os

# A label equal to the enum's name, or None beside the [Flags] enum's None = 0: Labels.cs then holds an #error that says so.
CLASH = r"^([^;]+);(?:[^,]*,)*\s*\1\s*(?:,.*)?$"
FLAGS_NONE = r"^(?:[^,]*,)*\s*None\s*(?:,.*)?$"

def symbols(api):
    flag_steps = [{"regex": r"\s+", "replacement": ""}]
    for k in range(16):
        flag_steps.append({"regex": r"^((?:[^,]+,){%d})([^,=]+)(?=,|$)" % k, "replacement": "$1$2 = 1 << %d" % k})
    flag_steps.append({"regex": ",", "replacement": ", "})
    return {
        "labels": {
            "type": "parameter", "datatype": "text", "defaultValue": "",
            "description": "Comma-separated labels: the members of the [BertLabels] enum (default Negative,Positive; with --flags Billing,Outage,Account). With your own labels the data files are placeholders to replace. A label may not be the enum's name (the project's name as an identifier), nor None with --flags.",
        },
        "flags": {
            "type": "parameter", "datatype": "bool", "defaultValue": "false",
            "description": "A [Flags] enum: a multi-label classifier, where a text can have several labels or none.",
        },
        "customLabels": {"type": "computed", "value": "(labels != \"\")"},
        "defaultLabels": {
            "type": "generated", "generator": "switch",
            "parameters": {"evaluator": "C++", "datatype": "string", "cases": [
                {"condition": "(flags)", "value": "Billing,Outage,Account"},
                {"condition": "(!flags)", "value": "Negative,Positive"}]},
        },
        "labelList": {
            "type": "generated", "generator": "coalesce",
            "parameters": {"sourceVariableName": "labels", "fallbackVariableName": "defaultLabels"},
        },
        "labelMembers": {
            "type": "generated", "generator": "regex", "replaces": "LABEL_MEMBERS",
            "parameters": {"source": "labelList", "steps": [{"regex": r"\s+", "replacement": ""}, {"regex": ",", "replacement": ", "}]},
        },
        "flagMembers": {
            "type": "generated", "generator": "regex", "replaces": "FLAG_MEMBERS",
            "parameters": {"source": "labelList", "steps": flag_steps},
        },
        "firstLabel": {
            "type": "generated", "generator": "regex", "replaces": "FIRST_LABEL",
            "parameters": {"source": "labelList", "steps": [{"regex": r"\s+", "replacement": ""}, {"regex": r"^([^,]+).*$", "replacement": "$1"}]},
        },
        "secondLabel": {
            "type": "generated", "generator": "regex", "replaces": "SECOND_LABEL",
            "parameters": {"source": "labelList", "steps": [{"regex": r"\s+", "replacement": ""}, {"regex": r"^[^,]*,([^,]+).*$", "replacement": "$1"}]},
        },
        "enumName": {"type": "derived", "valueSource": "name", "valueTransform": "identifier", "replaces": "TypedBertEnum"},
        "nameAndLabels": {
            "type": "generated", "generator": "join",
            "parameters": {"symbols": [{"type": "ref", "value": "enumName"}, {"type": "ref", "value": "labelList"}], "separator": ";"},
        },
        "labelIsEnumName": {
            "type": "generated", "generator": "regex",
            "parameters": {"source": "nameAndLabels", "steps": [{"regex": CLASH, "replacement": "yes"}, {"regex": "^(?!yes$).*$", "replacement": "no"}]},
        },
        "labelIsNone": {
            "type": "generated", "generator": "regex",
            "parameters": {"source": "labelList", "steps": [{"regex": FLAGS_NONE, "replacement": "yes"}, {"regex": "^(?!yes$).*$", "replacement": "no"}]},
        },
        # Stamped by TypedBert.Templates.csproj when it packs: the TypedBert version of the same build, and the libtorch
        # version Directory.Packages.props pins.
        "typedBertVersion": {"type": "generated", "generator": "constant", "replaces": "TYPEDBERT_VERSION", "parameters": {"value": "@TypedBertPackageVersion@"}},
        "libtorchVersion": {"type": "generated", "generator": "constant", "replaces": "LIBTORCH_VERSION", "parameters": {"value": "@LibtorchVersion@"}},
    }

def sources():
    return [
        {"modifiers": [{"exclude": ["**/bin/**", "**/obj/**", "model/**", ".template.config/**"]}]},
        # Labels.cs, the paths, the saved model's fingerprint, and the Directory.* files that keep a project made inside another
        # repository (a clone of TypedBert, say) from inheriting that repository's build settings.
        {"source": "../shared-code/", "target": "./"},
        {"source": "../shared-data/", "target": "./data/", "modifiers": [
            {"condition": "(customLabels || flags)", "exclude": ["sentiment-*.tsv"]},
            {"condition": "(customLabels || !flags)", "exclude": ["tickets-*.tsv"]},
            {"condition": "(!customLabels)", "exclude": ["custom-*.tsv"]},
            {"rename": {"sentiment-train.tsv": "train.tsv", "sentiment-test.tsv": "test.tsv", "tickets-train.tsv": "train.tsv",
                        "tickets-test.tsv": "test.tsv", "custom-train.tsv": "train.tsv", "custom-test.tsv": "test.tsv"}},
        ]},
    ]

for folder, api in [("typedbert", False), ("typedbert-api", True)]:
    template = {
        "$schema": "http://json.schemastore.org/template",
        "author": "TypedBert contributors",
        "classifications": ["TypedBert", "BERT", "Machine Learning"] + (["Web", "API"] if api else ["Console"]),
        "identity": "TypedBert.Templates." + ("Api" if api else "Console"),
        "groupIdentity": "TypedBert.Templates." + ("Api" if api else "Console"),
        "name": "TypedBert prediction server" if api else "TypedBert text classifier",
        "shortName": folder,
        "description": ("An ASP.NET Core app that fine-tunes a [BertLabels] classifier on first start, then serves it: POST /predict, the playground page at /, the OpenAPI reference at /scalar/."
                        if api else "A console app with a [BertLabels] enum and a [BertTrainingConfig]: fine-tunes the embedded MiniLM on a small labelled file, evaluates, saves and predicts with typed calls."),
        "tags": {"language": "C#", "type": "project"},
        "sourceName": "TypedBertApp",
        "preferNameDirectory": True,
        "symbols": symbols(api),
        "forms": {
            "identifier": {"identifier": "chain", "steps": ["identifierCharacters", "identifierStart"]},
            "identifierCharacters": {"identifier": "replace", "pattern": r"[^\p{L}\p{Nd}_]", "replacement": ""},
            "identifierStart": {"identifier": "replace", "pattern": r"^(?=\p{Nd})", "replacement": "_"},
        },
        "sources": sources(),
    }
    path = os.path.join(os.path.dirname(__file__), "content", folder, ".template.config", "template.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(template, f, indent=2)
        f.write("\n")
