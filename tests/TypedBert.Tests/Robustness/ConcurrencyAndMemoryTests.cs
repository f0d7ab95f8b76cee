using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Tests.Training;
using TypedBert.Training;

namespace TypedBert.Tests.Robustness;

/// <summary>One classifier under many threads, and native memory across long runs.</summary>
public sealed class ConcurrencyAndMemoryTests
{
    static readonly string[] Sentiment = ["Negative", "Positive"];

    /// <summary>1,000 distinct short reviews.</summary>
    static string[] Reviews()
    {
        string[] openings = ["The film", "This movie", "Its sequel", "The cast", "The script"];
        string[] verdicts = ["was wonderful", "dragged on forever", "felt fresh", "was a mess", "moved me", "bored everyone", "is worth seeing", "wasted my evening"];
        return [.. Enumerable.Range(0, 1000).Select(i => $"{openings[i % 5]} {verdicts[i / 5 % 8]}, review {i}.")];
    }

    [Fact]
    public void Eight_threads_making_1000_predictions_each_get_exactly_the_sequential_results()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment).With(s => s with { MaxLength = 32 });
        var texts = Reviews();
        var sequential = texts.Select(t => classifier.Predict(t).Logits).ToArray();

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(thread => new Thread(() =>
        {
            // Each thread walks the texts from its own starting point, so different texts run at the same moment.
            for (int n = 0; n < texts.Length; n++)
            {
                int i = (n + thread * 125) % texts.Length;
                var logits = classifier.Predict(texts[i]).Logits;
                if (!logits.SequenceEqual(sequential[i])) mismatches.Add($"thread {thread}, text {i}: [{string.Join(", ", logits)}] vs [{string.Join(", ", sequential[i])}]");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.True(mismatches.IsEmpty, $"{mismatches.Count} of 8,000 predictions differ from the sequential ones, e.g. {mismatches.FirstOrDefault()}");
    }

    [Fact]
    public void Ten_thousand_predictions_keep_tensor_count_and_native_memory_flat()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment).With(s => s with { MaxLength = 32 });
        var texts = Reviews();
        classifier.PredictBatch(texts); // the first 1,000: warm-up and allocator caches
        long tensorsAfter1000 = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var after1000 = NativeMemory.Measure();
        for (int round = 0; round < 9; round++) classifier.PredictBatch(texts);
        var after10000 = NativeMemory.Measure();

        Assert.Equal(tensorsAfter1000, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(after10000.Allocated <= after1000.Allocated * 1.05,
            $"native memory in use grew from {after1000} after 1,000 predictions to {after10000} after 10,000");
    }

    [Fact]
    public void Epochs_of_training_keep_tensor_count_and_native_memory_flat()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
        var train = CheckpointTests.Sentences("train.tsv", 32);
        var atEpochEnd = new List<(long Tensors, NativeMemory.Snapshot Memory)>();
        var progress = new Recorder(p =>
        {
            if (p.Evaluation is not null) atEpochEnd.Add((TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount, NativeMemory.Measure()));
        });
        new Trainer(classifier, new TrainingOptions { Epochs = 6, BatchSize = 8, MaxLength = 32, FreezeEmbeddings = true, LoggingSteps = 1000 })
            .Train(train, train[..8], progress);

        Assert.Equal(6, atEpochEnd.Count);
        var (tensors, second) = atEpochEnd[1]; // epoch 1 warms up allocator caches and the kept best weights
        for (int epoch = 3; epoch <= 6; epoch++)
        {
            var (count, memory) = atEpochEnd[epoch - 1];
            Assert.True(count == tensors, $"epoch {epoch} ends with {count} live tensors, epoch 2 with {tensors}");
            Assert.True(memory.Allocated <= second.Allocated * 1.05, $"native memory in use grew from {second} after epoch 2 to {memory} after epoch {epoch}");
        }
    }
}
