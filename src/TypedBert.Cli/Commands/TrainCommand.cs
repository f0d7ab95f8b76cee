using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert train</c>: fine-tune a pre-trained encoder on a labelled file and save the classifier.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training file (.tsv, .csv, .jsonl)", Required = true };
        var eval = new Option<string?>("--eval") { Description = "Evaluation file, scored after every epoch (picks the best epoch)" };
        var test = new Option<string?>("--test") { Description = "Test file, scored once with the final model" };
        var model = new Option<string>("--model") { Description = "Base model: an embedded name, a Hugging Face folder, or a hub id (bert-base-uncased, org/name@revision)", DefaultValueFactory = _ => EmbeddedModels.DefaultName };
        var output = new Option<string>("--output") { Description = "Folder for the fine-tuned classifier", Required = true };
        var labels = new Option<string?>("--labels") { Description = "Label names in id order, comma-separated (default: the labels found in --data)" };
        var problem = new Option<ProblemType>("--problem-type") { Description = "SingleLabel, MultiLabel (labels joined with |) or Regression", DefaultValueFactory = _ => ProblemType.SingleLabel };
        var pooling = new Option<PoolingStrategy?>("--pooling") { Description = "Pooler, Cls or Mean (default: what the base model recommends)" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 3 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 16 };
        var accumulation = new Option<int>("--gradient-accumulation-steps") { DefaultValueFactory = _ => 1 };
        var learningRate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 5e-5 };
        var warmupSteps = new Option<int?>("--warmup-steps");
        var warmupRatio = new Option<double>("--warmup-ratio") { DefaultValueFactory = _ => 0.0 };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0.0 };
        var maxGradNorm = new Option<double>("--max-grad-norm") { DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var maxLength = new Option<int?>("--max-length") { Description = "Longest training input in tokens (default: the model's maximum)" };
        var groupByLength = new Option<bool>("--group-by-length") { Description = "Batch texts of similar length together" };
        var freezeEmbeddings = new Option<bool>("--freeze-embeddings");
        var freezeLayers = new Option<int>("--freeze-layers") { Description = "Keep the first N encoder layers fixed", DefaultValueFactory = _ => 0 };
        var classWeights = new Option<string?>("--class-weights") { Description = "Per-label loss weights, comma-separated" };
        var patience = new Option<int?>("--early-stopping-patience");
        var threads = new Option<int?>("--threads");
        var json = new Option<string?>("--json") { Description = "Write the run's metrics to this JSON file" };
        var dataOptions = new DataOptions();

        var command = new Command("train", "Fine-tune a pre-trained BERT on labelled texts")
        {
            data, eval, test, model, output, labels, problem, pooling, epochs, batchSize, accumulation, learningRate, warmupSteps, warmupRatio,
            weightDecay, maxGradNorm, seed, maxLength, groupByLength, freezeEmbeddings, freezeLayers, classWeights, patience, threads, json,
        };
        dataOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => Task.Run(() =>
        {
            var problemType = result.GetValue(problem);
            var trainRows = dataOptions.ReadRows(result, result.GetValue(data)!);
            var labelSet = result.GetValue(labels) is { } names
                ? new LabelSet(names.Split(',', StringSplitOptions.TrimEntries))
                : problemType == ProblemType.Regression ? new LabelSet(["value"]) : LabelSet.FromRows(trainRows, problemType == ProblemType.MultiLabel);
            var trainExamples = TrainingExample.FromRows(trainRows, labelSet, problemType);
            var evalExamples = result.GetValue(eval) is { } evalPath ? dataOptions.ReadExamples(result, evalPath, labelSet, problemType) : null;
            var options = new TrainingOptions
            {
                Epochs = result.GetValue(epochs), BatchSize = result.GetValue(batchSize), GradientAccumulationSteps = result.GetValue(accumulation),
                LearningRate = result.GetValue(learningRate), WarmupSteps = result.GetValue(warmupSteps), WarmupRatio = result.GetValue(warmupRatio),
                WeightDecay = result.GetValue(weightDecay), MaxGradNorm = result.GetValue(maxGradNorm), Seed = result.GetValue(seed),
                MaxLength = result.GetValue(maxLength), GroupByLength = result.GetValue(groupByLength), FreezeEmbeddings = result.GetValue(freezeEmbeddings),
                FreezeLayers = result.GetValue(freezeLayers), EarlyStoppingPatience = result.GetValue(patience), Threads = result.GetValue(threads),
                ClassWeights = result.GetValue(classWeights)?.Split(',').Select(w => float.Parse(w, CultureInfo.InvariantCulture)).ToArray(),
            };

            Console.WriteLine($"base model {result.GetValue(model)}; labels: {string.Join(", ", labelSet.Names)}; {trainExamples.Count} training examples"
                + (evalExamples is null ? "" : $", {evalExamples.Count} evaluation examples"));
            using var classifier = TextClassifier.FromPretrained(result.GetValue(model)!, labelSet.Names, problemType, result.GetValue(pooling), seed: options.Seed);
            var trainer = new Trainer(classifier, options);
            var progress = new Progress<TrainingProgress>(p => Console.Error.WriteLine(
                $"epoch {p.Epoch}/{p.Epochs}  step {p.Step}/{p.TotalSteps}  loss {Report.F(p.Loss)}  lr {p.LearningRate.ToString("0.00e0", CultureInfo.InvariantCulture)}  " +
                $"{Report.F(p.ExamplesPerSecond, "0.0")} examples/s  elapsed {Report.Duration(p.Elapsed)}  eta {Report.Duration(p.Remaining)}" +
                (p.Evaluation is null ? "" : $"  eval: {p.Evaluation}")));
            var run = trainer.Train(trainExamples, evalExamples, new SynchronousProgress<TrainingProgress>(((IProgress<TrainingProgress>)progress).Report), cancellationToken);
            classifier.Save(result.GetValue(output)!);

            Console.WriteLine();
            Report.Table(["epoch", "train loss", "learning rate", "eval loss", "eval score", "elapsed"], run.Epochs.Select(e => (IReadOnlyList<string>)
            [
                e.Epoch.ToString(CultureInfo.InvariantCulture) + (e.Epoch == run.BestEpoch ? " *" : ""), Report.F(e.TrainingLoss),
                e.LearningRate.ToString("0.00e0", CultureInfo.InvariantCulture), e.Evaluation is null ? "-" : Report.F(e.Evaluation.Loss),
                e.Evaluation is null ? "-" : Report.F(e.Evaluation.Score(BestModelMetric.Default)), Report.Duration(e.Elapsed),
            ]));
            Console.WriteLine($"saved to {Path.GetFullPath(result.GetValue(output)!)} (epoch {run.BestEpoch}); {Report.F(run.ExamplesPerSecond, "0.0")} examples/s, {Report.Duration(run.Elapsed)}");

            EvaluationResult? testResult = null;
            if (result.GetValue(test) is { } testPath)
            {
                var testExamples = dataOptions.ReadExamples(result, testPath, labelSet, problemType);
                testResult = Evaluation.Run(classifier, testExamples);
                Console.WriteLine();
                Console.WriteLine($"test: {testPath}");
                Report.Evaluation(testResult);
            }
            Report.WriteJson(result.GetValue(json), new Dictionary<string, object?>
            {
                ["base_model"] = result.GetValue(model),
                ["labels"] = labelSet.Names,
                ["train_examples"] = trainExamples.Count,
                ["options"] = options,
                ["best_epoch"] = run.BestEpoch,
                ["stopped_early"] = run.StoppedEarly,
                ["steps"] = run.Steps,
                ["wall_seconds"] = run.Elapsed.TotalSeconds,
                ["examples_per_second"] = run.ExamplesPerSecond,
                ["epochs"] = run.Epochs.Select(e => new Dictionary<string, object?>
                {
                    ["epoch"] = e.Epoch, ["train_loss"] = e.TrainingLoss, ["learning_rate"] = e.LearningRate,
                    ["eval"] = e.Evaluation is null ? null : Report.EvaluationJson(e.Evaluation), ["elapsed_seconds"] = e.Elapsed.TotalSeconds,
                }),
                ["test"] = testResult is null ? null : Report.EvaluationJson(testResult),
            });
            return 0;
        }, cancellationToken));
        return command;
    }
}

/// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
