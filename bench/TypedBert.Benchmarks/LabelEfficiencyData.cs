using TypedBert.Data;

namespace TypedBert.Benchmarks;

/// <summary>
/// One data set of <c>label-efficiency</c>: its training rows (where labelled samples and the unlabelled pool are drawn), its test split,
/// its labels and the label descriptions chosen on dev (docs/zero-shot/). Draws depend on the seed only, so every key of a seed sees the
/// same labelled rows and the same pool.
/// </summary>
internal sealed class LabelEfficiencyData
{
    public required string Name { get; init; }
    public required string[] Labels { get; init; }
    public required string TextColumn { get; init; }
    public required List<(string Text, int Label)> Train { get; init; }
    public required List<TrainingExample> Test { get; init; }
    public required string DescriptionsFile { get; init; }

    /// <summary>SST-2: training rows of at least 5 words (the few-shot bench's rule: the split is mostly short phrases, while test holds
    /// whole sentences), the 872-row test split, labels 0 and 1; with <paramref name="devRows"/>, that many rows of the dev split (a seeded
    /// shuffle) in place of test, for choices.</summary>
    public static LabelEfficiencyData Sst2Data(int? devRows = null)
    {
        Sst2.Require("train");
        var scored = devRows is int rows ? Shuffled(Sst2.Read("dev")!, 26).Take(rows) : Sst2.Read("test")!;
        return new LabelEfficiencyData
        {
            Name = "sst2", Labels = ["0", "1"], TextColumn = "sentence",
            Train = [.. Sst2.Read("train")!.Where(r => r.Sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5)],
            Test = [.. scored.Select(r => TrainingExample.ForLabel(r.Sentence, r.Label))],
            DescriptionsFile = Path.Combine(RepositoryFolder("docs/zero-shot"), "sst2-multi.tsv"),
        };
    }

    /// <summary>AG News: the 8,000 rows of the training sample beside a seeded 2,000-row dev slice, the full 7,600-row test split (the dev
    /// slice in its place with <paramref name="onDev"/>, for choices).</summary>
    public static LabelEfficiencyData AgNewsData(bool onDev = false)
    {
        Sst2.Require("train");
        string folder = Path.Combine(Sst2.Folder!, "..", "agnews");
        string[] labels = ["World", "Sports", "Business", "Sci/Tech"];
        var train = Shuffled(ReadNamed(Path.Combine(folder, "train.tsv"), labels), 26);
        var scored = onDev ? train[..2000] : ReadNamed(Path.Combine(folder, "test.tsv"), labels);
        return new LabelEfficiencyData
        {
            Name = "agnews", Labels = labels, TextColumn = "text",
            Train = train[2000..],
            Test = [.. scored.Select(r => TrainingExample.ForLabel(r.Text, r.Label))],
            DescriptionsFile = Path.Combine(RepositoryFolder("docs/zero-shot"), "agnews-multi.tsv"),
        };
    }

    /// <summary>
    /// <paramref name="perLabel"/> labelled rows per label and <paramref name="poolSize"/> other training texts (labels dropped, no test
    /// text among them), both from one seeded shuffle of the training rows.
    /// </summary>
    public (List<TrainingExample> Labelled, List<string> Pool) Draw(int seed, int perLabel, int poolSize)
    {
        var order = Enumerable.Range(0, Train.Count).ToArray();
        new Random(seed).Shuffle(order);
        var tested = Test.Select(t => t.Text.Trim()).ToHashSet(StringComparer.Ordinal);
        var taken = new int[Labels.Length];
        var labelled = new List<TrainingExample>();
        var pool = new List<string>();
        foreach (int i in order)
        {
            var (text, label) = Train[i];
            if (taken[label] < perLabel)
            {
                taken[label]++;
                labelled.Add(TrainingExample.ForLabel(text, label));
            }
            else if (pool.Count < poolSize && !tested.Contains(text.Trim())) pool.Add(text); // the label of a pool row is never read
        }
        return (labelled, pool);
    }

    static List<T> Shuffled<T>(List<T> rows, int seed)
    {
        var copy = rows.ToArray();
        new Random(seed).Shuffle(copy);
        return [.. copy];
    }

    static List<(string Text, int Label)> ReadNamed(string path, string[] labels) =>
        [.. File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            int tab = line.LastIndexOf('\t');
            int id = Array.IndexOf(labels, line[(tab + 1)..].TrimEnd('\r'));
            return id < 0 ? throw new InvalidDataException($"{path}: unknown label in \"{line[(tab + 1)..]}\"") : (line[..tab], id);
        })];

    /// <summary>A folder of the repository (the one holding TypedBert.sln above the bench's binaries).</summary>
    public static string RepositoryFolder(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TypedBert.sln"))) return Path.Combine(folder.FullName, relative);
        return Path.Combine(Directory.GetCurrentDirectory(), relative);
    }
}
