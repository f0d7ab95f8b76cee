using TypedBert;

// The enum is the label set. The source generator writes TypedBertEnumLabels (parsing, ReadExamples), TypedBertEnumScores,
// TypedBertEnumClassifier and TypedBertEnum.Predict(...); a model whose labels differ from the enum is refused when it loads.
// Checked when you build: a label in data/train.tsv that is not a member is an error at its line (TB0201), a member without
// examples is a warning (TB0202), and model/config.json, once trained, must have the enum's labels (TB0301).
// ModelPath and TrainingData are relative to the project folder; ProjectFiles.cs resolves them for the program.
#if (labelIsEnumName == "yes")
#error A label may not be the enum's name (TypedBertEnum): create the project again with another -n or other --labels.
#endif
#if (flags)
#if (labelIsNone == "yes")
#error None is the [Flags] enum's "no label" (None = 0), so it cannot be a label too: create the project again without it in --labels.
#endif
// [Flags]: a multi-label classifier. Each member is one label, a distinct power of two; Predict returns their combination.
[BertLabels(Model = "minilm-l6-uncased", ModelPath = "model", TrainingData = "data/train.tsv"), Flags]
public enum TypedBertEnum { None = 0, FLAG_MEMBERS }

// Checked at compile time against the base model: MaxLength = 1024 or FreezeLayers = 7 would not build (TB0101, TB0102).
// Small on purpose, so that the first run takes well under a minute; raise MaxLength for real data. A multi-label head
// learns each label's yes/no from few rows, so it needs more optimizer steps than one answer: small batches give them.
[BertTrainingConfig(typeof(TypedBertEnum), Epochs = 4, LearningRate = 1e-4, BatchSize = 4, MaxLength = 32, WarmupRatio = 0.1)]
public partial class TypedBertEnumTraining;
#else
[BertLabels(Model = "minilm-l6-uncased", ModelPath = "model", TrainingData = "data/train.tsv")]
public enum TypedBertEnum { LABEL_MEMBERS }

// Checked at compile time against the base model: MaxLength = 1024 or FreezeLayers = 7 would not build (TB0101, TB0102).
// Small on purpose, so that the first run takes well under a minute; raise Epochs and MaxLength for real data.
[BertTrainingConfig(typeof(TypedBertEnum), Epochs = 2, LearningRate = 1e-4, BatchSize = 8, MaxLength = 32, WarmupRatio = 0.1)]
public partial class TypedBertEnumTraining;
#endif
