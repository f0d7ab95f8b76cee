using TypedBert.Classification;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The texts the page offers next: a batch chosen by <see cref="INextTexts"/> with the served model, handed out until it runs short or a
/// retrained model is put in service, then chosen again. Tabs share it (one choice at a time), so two tabs see the same texts in the same
/// order and a label from either counts once.
/// </summary>
internal sealed class NextTextsQueue(LabelPool pool, LabelDataFile data, LiveModel live, INextTexts chooser)
{
    /// <summary>Texts chosen at once: enough for a few minutes of labelling, few enough to choose again with what was learnt.</summary>
    public const int BatchSize = 20;

    readonly SemaphoreSlim gate = new(1, 1);
    IReadOnlyList<NextText> batch = [];
    int chosenWith = -1;

    /// <summary>Up to <paramref name="count"/> texts not labelled yet, most worth labelling first.</summary>
    public async Task<IReadOnlyList<NextItem>> NextAsync(int count, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var labelled = data.Texts();
            var open = batch.Where(t => !labelled.Contains(t.Text)).ToList();
            int generation = live.Generation;
            if (open.Count < count || chosenWith != generation)
            {
                var texts = pool.Texts.Select(t => t.Text).ToList();
                using var lease = live.Acquire();
                // Choosing scores the pool with the model: heavy work, off the request thread.
                batch = await Task.Run(() => chooser.Next(lease.Model.Classifier, texts, labelled, Math.Max(count, BatchSize), cancellationToken), cancellationToken);
                chosenWith = generation;
                open = [.. batch.Where(t => !labelled.Contains(t.Text))];
            }
            return [.. open.Take(count).Select(t => new NextItem(LabelPool.IdOf(t.Text), t.Text, Guess(t.Prediction)))];
        }
        finally
        {
            gate.Release();
        }
    }

    static IReadOnlyList<string>? Guess(Prediction? prediction) => prediction is null ? null
        : prediction.ProblemType == ProblemType.MultiLabel ? prediction.Labels() : [prediction.Label];
}
