using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Reporting;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Search;
using TypedBert.Training;
using TypedBert.Training.Checkpoints;
using TypedBert.Training.FewShot;

namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert train</c>: fine-tune a pre-trained encoder on a labelled file and save the classifier.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Training file (.tsv, .csv, .jsonl); every method but zero-shot needs one" };
        var eval = new Option<string?>("--eval") { Description = "Evaluation file, scored after every epoch (picks the best epoch)" };
        var test = new Option<string?>("--test") { Description = "Test file, scored once with the final model" };
        var model = new Option<string>("--model") { Description = "Base model: an embedded name, a Hugging Face folder, or a hub id (bert-base-uncased, org/name@revision)", DefaultValueFactory = _ => EmbeddedModels.DefaultName };
        var output = new Option<string>("--output") { Description = "Folder for the fine-tuned classifier", Required = true };
        var labels = new Option<string?>("--labels") { Description = "Label names in id order, comma-separated (default: the labels found in --data)" };
        var problem = new Option<ProblemType>("--problem-type") { Description = "SingleLabel, MultiLabel (labels joined with |) or Regression", DefaultValueFactory = _ => ProblemType.SingleLabel };
        var pooling = new Option<PoolingStrategy?>("--pooling") { Description = "Pooler, Cls or Mean (default: what the base model recommends)" };
        // Every option of the table that the command line sets: flag, help and default from its row (the checkpoint settings default to saving).
        var training = new TrainingOptionFlags(TrainingOptionTable.FineTuning, new Dictionary<TrainingOption, double>
        {
            [TrainingOptionTable.SaveSteps] = 500, [TrainingOptionTable.SaveTotalLimit] = 2,
        });
        var classWeights = new Option<string?>("--class-weights") { Description = "Per-label loss weights, comma-separated" };
        var threads = new Option<int?>("--threads");
        var bf16 = new Option<bool>("--bf16") { Description = "bf16 mixed precision: Linear matmuls in bf16, fp32 master weights (pays only on CPUs with AMX or AVX512-BF16)" };
        var noEmaWarmup = new Option<bool>("--no-ema-warmup") { Description = "With --ema-decay: use the decay from the first step (by default the n-th update uses min(decay, (1+n)/(10+n)))" };
        var config = new Option<string?>("--config")
        {
            Description = "A configuration written by typedbert tune (best.json): its model, maximum length, pooling and training options replace the defaults; options given here win",
        };
        var dataset = new Option<string?>("--dataset") { Description = "Data set name for the model card, such as a Hugging Face hub id" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no PNG plots beside the model" };
        var noModelCard = new Option<bool>("--no-model-card") { Description = "Write no README.md model card into the model folder" };
        var json = new Option<string?>("--json") { Description = "Write the run's metrics to this JSON file ('-': standard output, everything else to standard error)" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "Folder for checkpoints (default: OUTPUT.checkpoints beside the output folder)" };
        var noCheckpoints = new Option<bool>("--no-checkpoints") { Description = "Write no checkpoints" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in the checkpoint folder (same data and options)" };
        var method = new Option<string>("--method")
        {
            Description = "finetune: standard fine-tuning; setfit: few-shot training for 8 to 64 examples per label (contrastive pairs, then the head); "
                + "zero-shot: no data, a classifier from --labels and --descriptions",
            DefaultValueFactory = _ => "finetune",
        };
        method.AcceptOnlyFromAmong("finetune", "setfit", "zero-shot");
        var fewShotFlags = new TrainingOptionFlags(TrainingOptionTable.FewShot);
        var pairs = new Option<string>("--pairs")
        {
            Description = "setfit: sampled (SetFit's random pairs) or all-in-batch (every pair within each batch of examples: far fewer steps)",
            DefaultValueFactory = _ => "sampled",
        };
        pairs.AcceptOnlyFromAmong("sampled", "all-in-batch");
        var dataOptions = new DataOptions();
        var split = new EvaluationSplitOptions(defaultFraction: null, "Train on a seeded subset of this many rows of --data (taken after any --eval-fraction slice)");
        var longText = new LongTextCliOptions(training: true);
        var zeroShot = new ZeroShotTraining();
        var unlabeled = new UnlabeledPoolOptions(required: false);

        var command = new Command("train", "Fine-tune a pre-trained BERT on labelled texts")
        {
            data, eval, test, model, output, labels, problem, pooling,
        };
        training.AddTo(command);
        command.Options.Add(classWeights);
        command.Options.Add(threads);
        command.Options.Add(bf16);
        command.Options.Add(noEmaWarmup);
        foreach (var option in new Option[] { config, dataset, noPlots, noModelCard, json, checkpointDir, noCheckpoints, resume, method, pairs })
            command.Options.Add(option);
        fewShotFlags.AddTo(command);
        dataOptions.AddTo(command);
        split.AddTo(command);
        longText.AddTo(command);
        zeroShot.AddTo(command);
        unlabeled.AddTo(command);
        command.SetAction((result, cancellationToken) => Task.Run(() =>
        {
            // Self-training needs labelled rows to start from; a zero-shot model teaches a pool through distill, whose student is not its copy.
            if (result.GetValue(method) == "zero-shot" && unlabeled.Given(result))
                throw CliException.Usage("--unlabeled is not read by --method zero-shot: save the zero-shot model first, then let it teach the pool with "
                    + "`typedbert distill --teacher ZERO-SHOT-MODEL --student-from minilm-l6-uncased --unlabeled POOL --output MODEL`");
            if (result.GetValue(method) == "zero-shot")
                return zeroShot.Run(result, result.GetValue(model)!, result.GetValue(labels), result.GetValue(data), result.GetValue(output)!, result.GetValue(test),
                    dataOptions, training.Whole(result, TrainingOptionTable.MaxLength), result.GetValue(pooling), result.GetValue(threads), result.GetValue(json));
            if (result.GetValue(data) is null) throw CliException.Usage("--data is required: the training file (only --method zero-shot trains without one)");
            // Few-shot training reads the first --max-length tokens of each text: refuse long-text options rather than drop them silently.
            if (result.GetValue(method) == "setfit" && longText.FirstBeyondTruncation(result) is { } ignored)
                throw CliException.Usage($"{ignored} is not read by --method setfit, which truncates each text to --max-length tokens; "
                    + $"drop {ignored}, or use --method finetune to train on long texts");
            if (result.GetValue(eval) is { } given && result.GetResult(split.EvalFraction) is { Implicit: false })
                throw CliException.Usage($"--eval {given} and --eval-fraction both choose the evaluation data; drop one");
            var console = ConsoleOutput.Begin(result.GetValue(json));
            // Every input is read and checked here, before the base model loads and long before the first training step.
            BestConfiguration? tuned = null;
            if (result.GetValue(config) is { } configPath)
            {
                try
                {
                    tuned = BestConfiguration.Read(configPath);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    throw CliException.BadInput($"--config {configPath}: {e.Message}", e);
                }
            }
            // A value of the configuration file counts unless the command line gives the option itself.
            bool FromFile(Option option) => tuned is not null && result.GetResult(option) is null or { Implicit: true };
            var problemType = result.GetValue(problem);
            var inputs = TrainingInputs.Read(result, dataOptions, split, result.GetValue(data)!, result.GetValue(eval), result.GetValue(test), result.GetValue(labels), problemType);
            var labelSet = inputs.Labels;
            var headStart = zeroShot.ReadHeadStart(result, labelSet.Names, training.Whole(result, TrainingOptionTable.MaxLength));
            var trainExamples = inputs.Train;
            var evalExamples = inputs.Eval;
            var pool = unlabeled.Given(result) ? unlabeled.ReadPool(result, dataOptions, inputs.Test, result.GetValue(test)) : null;
            string checkpoints = result.GetValue(checkpointDir) ?? Path.GetFullPath(result.GetValue(output)!).TrimEnd(Path.DirectorySeparatorChar) + ".checkpoints";
            bool checkpointing = !result.GetValue(noCheckpoints);
            string? resumeFrom = null;
            if (result.GetValue(resume))
            {
                if (!checkpointing) throw CliException.Usage("--resume reads checkpoints; drop --no-checkpoints");
                resumeFrom = CheckpointStore.FindLatest(checkpoints)
                    ?? throw CliException.Usage($"--resume: no complete checkpoint in {checkpoints}; start without --resume");
                Console.WriteLine($"resuming from {resumeFrom}");
            }
            var options = training.ApplyTo(result, new TrainingOptions
            {
                CheckpointDirectory = checkpointing ? checkpoints : null, ResumeFromCheckpoint = resumeFrom,
                Threads = result.GetValue(threads), BFloat16MixedPrecision = result.GetValue(bf16),
                ClassWeights = result.GetValue(classWeights) is { } weights ? ClassWeights(weights, labelSet) : null,
                LongText = longText.Apply(result, new LongTextOptions()),
                EmaWarmup = !result.GetValue(noEmaWarmup),
            });
            if (!checkpointing) options = options with { SaveSteps = null };
            if (tuned is not null)
            {
                // explicit > searched > default, the rule [BertTrainingConfig(SearchResult = ...)] follows at build time.
                options = tuned.ApplyTo(options, row => training.IsExplicit(result, row));
                Console.WriteLine($"configuration {result.GetValue(config)}: trial {tuned.Trial} of a search, {tuned.Metric} {Report.F(tuned.Value)} on {tuned.EvaluatedOn ?? "its evaluation data"}");
            }
            string baseModel = tuned is not null && FromFile(model) ? tuned.Model : result.GetValue(model)!;
            var poolingChoice = tuned is not null && FromFile(pooling) ? tuned.Pooling : result.GetValue(pooling);
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.Message, e);
            }
            var selfTraining = pool is null ? null
                : new SelfTraining(unlabeled.Options(result, options, null, options.CheckpointDirectory, result.GetValue(resume)), pool,
                    () => SelfTraining.StudentStart(TextClassifier.FromPretrained(baseModel, labelSet.Names, problemType, poolingChoice, seed: options.Seed + 1), headStart));
            BaseModelCheck.Check(baseModel, options.MaxLength,
                tuned is not null && FromFile(training[TrainingOptionTable.MaxLength]) ? $"--config {result.GetValue(config)}: max_length {options.MaxLength}" : $"--max-length {options.MaxLength}");

            Console.WriteLine($"base model {baseModel}; labels: {string.Join(", ", labelSet.Names)}; {trainExamples.Count} training examples"
                + (evalExamples is null ? "" : $", {evalExamples.Count} evaluation examples"));
            if (result.GetValue(eval) is null && evalExamples is not null || result.GetValue(split.TrainRows) is not null)
                Console.WriteLine($"training on {inputs.TrainedOn}" + (inputs.EvaluatedOn is { } on ? $"; evaluating on {on}" : ""));
            // bf16 training stays a choice rather than following the CPU: a checkpoint must resume with the setting it was written
            // with, and a run's loss curve should not depend on the machine it happens to run on (docs/performance.md, bf16).
            if (!options.BFloat16MixedPrecision && TrainingHardware.HasBFloat16Matmul)
                Console.Error.WriteLine("this CPU has a bf16 matmul unit (AVX512-BF16 or AMX): --bf16 trains about 1.5x faster here with the same accuracy (docs/performance.md)");
            using var classifier = TextClassifier.FromPretrained(baseModel, labelSet.Names, problemType, poolingChoice, seed: options.Seed);
            ZeroShotTraining.StartHead(classifier, headStart);
            if (result.GetValue(method) == "setfit")
            {
                var fewShot = new FewShotOptions
                {
                    PairIterations = fewShotFlags.Whole(result, TrainingOptionTable.PairIterations)!.Value,
                    BodyLearningRate = fewShotFlags.Value(result, TrainingOptionTable.BodyLearningRate)!.Value,
                    HeadSteps = fewShotFlags.Whole(result, TrainingOptionTable.HeadSteps)!.Value,
                    BodyBatchSize = training.Whole(result, TrainingOptionTable.BatchSize)!.Value, MaxLength = training.Whole(result, TrainingOptionTable.MaxLength),
                    Seed = training.Whole(result, TrainingOptionTable.Seed)!.Value,
                    Pairs = result.GetValue(pairs) == "all-in-batch" ? PairSampling.AllInBatch : PairSampling.Sampled,
                    BFloat16MixedPrecision = options.BFloat16MixedPrecision,
                };
                return TrainFewShot(classifier, fewShot, trainExamples, evalExamples, result.GetValue(output)!, result.GetValue(test), inputs.Test, labelSet,
                    console, result.GetValue(json), selfTraining, cancellationToken);
            }
            Trainer trainer;
            try
            {
                trainer = new Trainer(classifier, options); // checks the long-text settings against the model before any training
                CalibrateAfterTraining.Check(options, classifier, evalExamples);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.Message, e);
            }
            if (options.LongText is not null) Console.WriteLine($"long text: {LongTextSettings.Resolve(options.LongText, options.MaxLength ?? classifier.MaxLength, classifier.Tokenizer.ModelMaxLength)}");
            var log = new TrainingLog();
            var run = console.Progress.Train(progress => trainer.Train(trainExamples, evalExamples, log.Recording(progress), cancellationToken));
            var selfTrained = selfTraining?.Run(classifier, trainExamples, evalExamples, inputs.Test, console, cancellationToken);
            string outputFolder = result.GetValue(output)!;
            classifier.Save(outputFolder);

            Console.WriteLine();
            Report.Epochs(run);
            if (options.EmaDecay is double decay)
                Console.WriteLine($"evaluated and saved: the exponential moving average of the weights (decay {Report.F(decay, "0.#####")}{(options.EmaWarmup ? ", with warm-up" : "")})");
            if (options.AverageLastEpochs is int averaged)
                Console.WriteLine($"evaluated and saved: the mean of the weights at the ends of the last {averaged} epochs (from epoch {options.Epochs - averaged + 1} on; earlier epochs scored their own weights)");
            Console.WriteLine($"saved to {Path.GetFullPath(outputFolder)} (epoch {run.BestEpoch}); {Report.F(run.ExamplesPerSecond, "0.0")} examples/s, {Report.Duration(run.Elapsed)}");

            EvaluationResult? testResult = null;
            var testExamples = inputs.Test;
            if (result.GetValue(test) is { } testPath && testExamples is not null)
            {
                testResult = console.Progress.Count("testing", testExamples.Count, done => Evaluation.Run(classifier, testExamples, null, done));
                Console.WriteLine();
                Console.WriteLine($"test: {testPath}");
                Report.Evaluation(testResult);
            }

            var keptEvaluation = run.Epochs.FirstOrDefault(e => e.Epoch == run.BestEpoch)?.Evaluation;
            if (!result.GetValue(noPlots))
            {
                var plots = new TrainingPlots().Write(outputFolder, log, run, testResult ?? keptEvaluation);
                if (PlotFonts.Ensure() is null)
                    Console.Error.WriteLine($"no font found: the plots have no text; install one (Debian: fonts-dejavu-core) or set {PlotFonts.FontVariable} to a .ttf file");
                Console.WriteLine($"plots: {string.Join(", ", plots.Select(Path.GetFileName))}");
            }
            if (!result.GetValue(noModelCard))
            {
                var card = new ModelCard
                {
                    Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder))),
                    BaseModel = baseModel, Config = classifier.Model.Config, Options = options, Run = run, Dataset = result.GetValue(dataset),
                    LongText = classifier.LongTextSettingsFor(options.MaxLength),
                    Train = new DataSource(result.GetValue(data)!, trainExamples.Count),
                    Eval = evalExamples is null ? null : new DataSource(result.GetValue(eval) ?? inputs.EvaluatedOn!, evalExamples.Count),
                    Test = testResult is null ? null : (new DataSource(result.GetValue(test)!, testExamples!.Count), testResult),
                };
                Console.WriteLine($"model card: {ModelCardWriter.Write(outputFolder, card)}");
            }
            CalibrateAfterTraining.Report(run, outputFolder, Path.GetFileName(result.GetValue(eval) ?? inputs.EvaluatedOn ?? "evaluation data"), !result.GetValue(noModelCard));
            Report.WriteJson(result.GetValue(json), new Dictionary<string, object?>
            {
                ["base_model"] = baseModel,
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
                ["log_history"] = log.Steps,
                ["self_training"] = selfTrained,
            });
            return 0;
        }, cancellationToken));
        return command;
    }

    /// <summary>The <c>--class-weights</c> value: one number per label, in id order.</summary>
    static float[] ClassWeights(string text, LabelSet labels)
    {
        var weights = new List<float>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float weight) || !float.IsFinite(weight) || weight < 0)
                throw CliException.Usage($"--class-weights {text}: \"{part}\" is not a non-negative number; write one weight per label, such as 1,3");
            weights.Add(weight);
        }
        if (weights.Count != labels.Count)
            throw CliException.Usage($"--class-weights {text}: {weights.Count} weight(s) for {labels.Count} labels ({string.Join(", ", labels.Names)}); write one per label, in that order");
        return [.. weights];
    }

    /// <summary>
    /// <c>--method setfit</c>: the two phases of <see cref="FewShotTrainer"/>, then the model saved and scored as after fine-tuning.
    /// No plots or model card: they describe epochs of fine-tuning, which this run has not.
    /// </summary>
    static int TrainFewShot(TextClassifier classifier, FewShotOptions options, List<TrainingExample> train, List<TrainingExample>? eval, string outputFolder,
        string? testPath, List<TrainingExample>? testExamples, LabelSet labelSet, ConsoleOutput console, string? json, SelfTraining? selfTraining,
        CancellationToken cancellationToken)
    {
        var run = console.Progress.Train(progress => new FewShotTrainer(classifier, options).Train(train, eval, progress, cancellationToken));
        var selfTrained = selfTraining?.Run(classifier, train, eval, testExamples, console, cancellationToken);
        classifier.Save(outputFolder);
        Console.WriteLine();
        Console.WriteLine($"few-shot: {run.Pairs} pairs, {run.BodySteps} contrastive steps (last epoch's loss {Report.F(run.BodyLoss, "0.0000")}), "
            + $"head fitted to loss {Report.F(run.HeadLoss, "0.0000")}; saved to {Path.GetFullPath(outputFolder)}, {Report.Duration(run.Elapsed)}");
        if (run.Evaluation is not null)
        {
            Console.WriteLine("evaluation:");
            Report.Evaluation(run.Evaluation);
        }
        EvaluationResult? testResult = null;
        if (testPath is not null && testExamples is not null)
        {
            testResult = console.Progress.Count("testing", testExamples.Count, done => Evaluation.Run(classifier, testExamples, null, done));
            Console.WriteLine();
            Console.WriteLine($"test: {testPath}");
            Report.Evaluation(testResult);
        }
        Report.WriteJson(json, new Dictionary<string, object?>
        {
            ["method"] = "setfit",
            ["labels"] = labelSet.Names,
            ["train_examples"] = train.Count,
            ["options"] = options,
            ["pairs"] = run.Pairs,
            ["body_steps"] = run.BodySteps,
            ["body_loss"] = run.BodyLoss,
            ["head_loss"] = run.HeadLoss,
            ["wall_seconds"] = run.Elapsed.TotalSeconds,
            ["eval"] = run.Evaluation is null ? null : Report.EvaluationJson(run.Evaluation),
            ["test"] = testResult is null ? null : Report.EvaluationJson(testResult),
            ["self_training"] = selfTrained,
        });
        return 0;
    }
}
