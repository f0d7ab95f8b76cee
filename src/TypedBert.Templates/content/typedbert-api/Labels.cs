using TypedBert;

// The enum is the label set. The source generator writes TypedBertAppLabels (parsing, ReadExamples), TypedBertAppScores,
// TypedBertAppClassifier and TypedBertApp.Predict(...); a model whose labels differ from the enum is refused when it loads.
#if (flags)
// [Flags]: a multi-label classifier. Each member is one label, a distinct power of two; Predict returns their combination.
[BertLabels(Model = "minilm-l6-uncased", ModelPath = "model"), Flags]
public enum TypedBertApp { None = 0, FLAG_MEMBERS }
#else
[BertLabels(Model = "minilm-l6-uncased", ModelPath = "model")]
public enum TypedBertApp { LABEL_MEMBERS }
#endif

// Checked at compile time against the base model: MaxLength = 1024 or FreezeLayers = 7 would not build (TB0101, TB0102).
// Small on purpose, so that the first run takes well under a minute; raise Epochs and MaxLength for real data.
[BertTrainingConfig(typeof(TypedBertApp), Epochs = 2, LearningRate = 1e-4, BatchSize = 8, MaxLength = 32, WarmupRatio = 0.1)]
public partial class TypedBertAppTraining;
