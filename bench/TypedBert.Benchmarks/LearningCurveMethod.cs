using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Benchmarks;

/// <summary>
/// How <c>learning-curve</c> trains at a budget, as TypedBert would there (bench label-efficiency's recipes, chosen on dev): few-shot
/// (SetFit) below <see cref="FewShotBelowPerLabel"/> labelled rows per label, fine-tuning with the head started from the descriptions
/// from there on; then, when <see cref="Student"/> says so, a student of that model on the unlabelled rest of the pool (self-training:
/// label-efficiency's <c>_unlabeled</c> keys, which gained over their teachers at 8 and 16 rows per label).
/// </summary>
internal sealed record LearningCurveMethod(int FewShotBelowPerLabel, string Student, int StudentPool)
{
    /// <summary>The trained model and the method's name.</summary>
    public (TextClassifier Model, string Name) Train(LabelEfficiencyData data, LabelEfficiencyRecipes recipes, List<TrainingExample> labelled, List<string> unlabelled, int seed)
    {
        int labels = data.Labels.Length;
        var perLabel = new int[labels];
        foreach (var e in labelled) perLabel[e.LabelId]++;
        // SetFit's pairs need two rows of each label; a draw without them (an uncertainty strategy can pick one label only) is fine-tuned.
        bool fewShot = labelled.Count < FewShotBelowPerLabel * labels && perLabel.All(n => n >= 2);
        var model = fewShot ? recipes.FewShot(data, labelled, seed) : recipes.FineTune(data, labelled, seed, fromDescriptions: true);
        string name = fewShot ? "few-shot" : "fine-tune (descriptions' head)";
        bool student = Student switch { "always" => true, "never" => false, _ => fewShot };
        if (!student) return (model, name);
        try
        {
            var pool = unlabelled.Take(StudentPool).ToList();
            // As label-efficiency's default: the descriptions' zero-shot model teaches beside the labelled one (won on both dev sets).
            using var descriptions = recipes.StudentRecipe.TeacherWithDescriptions ? recipes.ZeroShotTeacher(data) : null;
            using var descriptionsAtLength = descriptions?.WithSettings(descriptions.Settings with { MaxLength = model.Settings.MaxLength });
            IReadOnlyList<TextClassifier> teachers = descriptionsAtLength is null ? [model] : [model, descriptionsAtLength];
            return (recipes.Student(data, teachers, labelled, pool, seed, recipes.StudentRecipe), name + $" + student on {pool.Count} unlabelled");
        }
        finally
        {
            model.Dispose();
        }
    }
}
