using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;
using TypedBert.Training.Distillation;
using TypedBert.Training.FewShot;
using TypedBert.ZeroShot;

namespace TypedBert.Benchmarks;

/// <summary>
/// The methods <c>label-efficiency</c> measures, each through the library's own code paths (the same ones the CLI's <c>train --method
/// zero-shot</c>, <c>train --method setfit</c>, <c>train --descriptions</c>, <c>train --unlabeled</c> and <c>distill</c> call). Every setting
/// here was chosen on dev (SST-2's dev split, a seeded slice of AG News train; docs/results.md), never on test.
/// </summary>
internal sealed class LabelEfficiencyRecipes(int maxLength, bool bf16, string teacherMethod, StudentRecipe studentRecipe, double zeroShotTeacherScale,
    StudentRecipe labelFreeStudentRecipe)
{
    /// <summary>Zero-shot: the label vectors of the chosen descriptions (four sentences per label), length 128 as chosen on dev.</summary>
    public TextClassifier ZeroShot(LabelEfficiencyData data) =>
        ZeroShotClassifier.Create(EmbeddedModels.DefaultName, Descriptions(data), new ZeroShotOptions());

    /// <summary>The zero-shot model as the teacher of a pool: the same label vectors, its scale (the inverse temperature of its soft labels)
    /// chosen on dev.</summary>
    public TextClassifier ZeroShotTeacher(LabelEfficiencyData data) =>
        ZeroShotClassifier.Create(EmbeddedModels.DefaultName, Descriptions(data), new ZeroShotOptions { Scale = zeroShotTeacherScale });

    /// <summary>Few-shot: SetFit's recipe (<see cref="FewShotTrainer"/> with its defaults).</summary>
    public TextClassifier FewShot(LabelEfficiencyData data, List<TrainingExample> labelled, int seed)
    {
        var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, data.Labels, seed: seed);
        new FewShotTrainer(classifier, new FewShotOptions { MaxLength = maxLength, Seed = seed, BFloat16MixedPrecision = bf16 }).Train(labelled);
        return classifier;
    }

    /// <summary>Fine-tuning on the labelled rows (the few-shot section's recipe: 10 epochs, batch 8, lr 5e-5, 10 % warm-up), the head
    /// started from the descriptions when <paramref name="fromDescriptions"/>.</summary>
    public TextClassifier FineTune(LabelEfficiencyData data, List<TrainingExample> labelled, int seed, bool fromDescriptions)
    {
        var classifier = Start(data, seed, fromDescriptions);
        new Trainer(classifier, new TrainingOptions
        {
            Epochs = 10, BatchSize = 8, LearningRate = 5e-5, WarmupRatio = 0.1, MaxLength = maxLength, Seed = seed, LoadBestModelAtEnd = false,
            BFloat16MixedPrecision = bf16,
        }).Train(labelled);
        return classifier;
    }

    /// <summary>
    /// Self-training or distillation on the pool: <paramref name="teacher"/> scores it, and a student (the base body, its head started
    /// from the descriptions) trains one epoch on the labelled rows plus the kept pool texts' soft labels (<see cref="Distiller"/>).
    /// </summary>
    /// <param name="eval">Scored after each round's training (its one epoch, or the last), for <paramref name="rounds"/>; null scores nothing.</param>
    /// <param name="rounds">Told each finished round.</param>
    public TextClassifier Student(LabelEfficiencyData data, IReadOnlyList<TextClassifier> teachers, List<TrainingExample> labelled, List<string> pool, int seed,
        StudentRecipe recipe, List<TrainingExample>? eval = null, Action<DistillationRound>? rounds = null)
    {
        using var source = Start(data, seed + 1, recipe.StudentFromDescriptions);
        var options = new DistillationOptions
        {
            Training = new TrainingOptions
            {
                Epochs = recipe.Epochs, BatchSize = 16, LearningRate = recipe.LearningRate, WarmupRatio = 0.1, MaxLength = maxLength, Seed = seed,
                GroupByLength = true, BFloat16MixedPrecision = bf16, LoadBestModelAtEnd = false,
                SoftTargetLoss = new SoftTargetLoss(recipe.Temperature, labelled.Count == 0 ? 1 : recipe.Alpha),
            },
            Selection = new PoolSelection(recipe.MinConfidence, null, recipe.Balance) { KeepFraction = recipe.KeepFraction },
            Rounds = recipe.Rounds, HardTargets = recipe.HardTargets,
        };
        return new Distiller(options).Distill(teachers, labelled, pool, eval, source, rounds);
    }

    /// <summary>The teacher of the labelled rows (<c>--teacher</c>): fine-tuning with its head started from the descriptions, few-shot, or
    /// fine-tuning with a new head.</summary>
    public TextClassifier Teacher(LabelEfficiencyData data, List<TrainingExample> labelled, int seed) => teacherMethod switch
    {
        "finetune-descriptions" => FineTune(data, labelled, seed, fromDescriptions: true),
        "fewshot" => FewShot(data, labelled, seed),
        "finetune" => FineTune(data, labelled, seed, fromDescriptions: false),
        _ => throw new ArgumentException($"--teacher takes finetune-descriptions, fewshot or finetune, not \"{teacherMethod}\""),
    };

    /// <summary>How the students learn (<c>--temperature</c>, <c>--alpha</c>, ...).</summary>
    public StudentRecipe StudentRecipe => studentRecipe;

    /// <summary>How the student of a zero-shot teacher learns (no labelled rows).</summary>
    public StudentRecipe LabelFreeStudentRecipe => labelFreeStudentRecipe;

    /// <summary>The base body with a new head, started from the descriptions when asked.</summary>
    TextClassifier Start(LabelEfficiencyData data, int seed, bool fromDescriptions)
    {
        var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, data.Labels, ProblemType.SingleLabel, PoolingStrategy.Mean, seed: seed);
        if (fromDescriptions) ZeroShotClassifier.InitializeHead(classifier, Descriptions(data), new ZeroShotOptions());
        return classifier;
    }

    static LabelDescriptions Descriptions(LabelEfficiencyData data) => LabelDescriptionsFile.Read(data.DescriptionsFile, data.Labels);
}

/// <summary>How a student learns from its teacher's soft labels on the pool (chosen on dev: docs/results.md).</summary>
internal sealed record StudentRecipe
{
    public double Temperature { get; init; } = 1;
    public double Alpha { get; init; } = 0.5;
    public double MinConfidence { get; init; }
    public bool Balance { get; init; } = true;
    public int Rounds { get; init; } = 1;
    public int Epochs { get; init; } = 1;
    public double LearningRate { get; init; } = 5e-5;
    public bool StudentFromDescriptions { get; init; } = true;
    public double KeepFraction { get; init; } = 1;
    public bool HardTargets { get; init; }

    /// <summary>With labelled rows: the zero-shot model of the descriptions teaches beside the labelled rows' teacher (mean probabilities).</summary>
    public bool TeacherWithDescriptions { get; init; } = true;
}
