// Zero labels: an enum whose members carry descriptions is a classifier before a single example is labelled. Topic.Predict works at
// once (zero-shot: a text takes the label whose descriptions it is most similar to); then a pool of unlabelled texts, which every
// user has, makes it better: the zero-shot model labels the pool softly, and a student trains on those soft labels (self-training).
using TypedBert;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Distillation;

// 1. No data at all: the generator turned the descriptions into TopicLabels.Descriptions, and Topic.Predict builds the zero-shot model.
foreach (var headline in new[] { "The central bank raised interest rates by half a point to fight inflation.", "The striker scored twice as the home side won the derby.",
             "The new phone ships with a faster chip and a better camera.", "Rebels and government troops agreed to a ceasefire after talks in Geneva." })
    Console.WriteLine($"{Topic.Predict(headline),-8} {headline}");

string? shared = ExampleData.SharedData();
if (shared is null)
{
    Console.WriteLine("\nThe unlabelled-pool step reads AG News from ../shared/data/agnews; set TYPEDBERT_SHARED_DATA to the folder that holds agnews/.");
    return 0;
}

// 2. How good is it? 1,000 labelled test articles, read only to score.
var labels = new LabelSet(TopicLabels.Names);
var test = ExampleData.Read(Path.Combine(shared, "agnews", "test.tsv"), labels, ProblemType.SingleLabel, take: 1000);
using var zeroShot = TopicClassifier.Default.Inner.WithSettings(TopicClassifier.Default.Inner.Settings with { MaxLength = 64 });
Console.WriteLine($"\nzero-shot, no labels: accuracy {Evaluation.Run(zeroShot, test).Classification!.Accuracy:P2} on {test.Count} test articles");

// 3. An unlabelled pool: 5,000 training articles with their label column never read (the text column stands in for it).
var pool = DataFile.Read(Path.Combine(shared, "agnews", "train.tsv"), new DataColumns("text", "text")).Take(5000).Select(r => r.Text).ToList();

// The zero-shot model scores the pool; a student (the pre-trained body with a new head: started from the descriptions it would be the
// teacher itself and learn nothing from its soft labels) trains one epoch on them, as many texts per label (docs/results.md,
// "Label efficiency": the zero-shot teacher's student).
using var student = TextClassifier.FromPretrained(TopicClassifier.BaseModel, labels.Names, ProblemType.SingleLabel, PoolingStrategy.Mean);
var options = new DistillationOptions
{
    Training = new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 5e-5, WarmupRatio = 0.1, MaxLength = 64, GroupByLength = true, SoftTargetLoss = new SoftTargetLoss(1, 1) },
    Selection = new PoolSelection(Balance: true),
};
var clock = System.Diagnostics.Stopwatch.StartNew();
using var trained = new Distiller(options).Distill([zeroShot], [], pool, studentSource: student,
    rounds: round => Console.WriteLine($"the zero-shot model labelled {round.PoolTexts} pool texts; the student trained on {round.Kept.Sum()} of them ({string.Join(", ", round.Kept.Select((k, l) => $"{labels.Names[l]} {k}"))})"));
Console.WriteLine($"zero-shot + {pool.Count} unlabelled texts, still no labels: accuracy {Evaluation.Run(trained, test).Classification!.Accuracy:P2} ({clock.Elapsed.TotalSeconds:0} s)");

// 4. The student is an ordinary model: save it, and let Topic.Predict use it (Load checks its labels against the enum).
trained.Save("topic-model");
TopicClassifier.Default = TopicClassifier.Load("topic-model");
Console.WriteLine($"{Topic.Predict("Shares of the chip maker fell after it cut its forecast."),-8} Shares of the chip maker fell after it cut its forecast.");
return 0;

[BertLabels(Model = "minilm-l6-uncased")]
public enum Topic
{
    [Label(Descriptions = ["World news: international politics, governments, wars and diplomacy.", "News about elections, presidents, prime ministers and foreign leaders.",
        "Reports of war, terrorism, attacks, troops and conflict in other countries.", "News about the United Nations, treaties, refugees and international crises."])]
    World,

    [Label(Descriptions = ["Sports news: games, teams, players and matches.", "A report on a football, baseball, basketball or soccer game and its score.",
        "News about athletes, coaches, championships, the Olympics and tournaments.", "A team won or lost a match; the season, the league and the playoffs."])]
    Sports,

    [Label(Descriptions = ["Business news: companies, markets, economy and finance.", "News about stocks, shares, earnings, profits and Wall Street.",
        "A company reported quarterly results, a merger, an acquisition or layoffs.", "News about oil prices, interest rates, inflation, the dollar and trade."])]
    Business,

    [Label("Sci/Tech", Descriptions = ["Science and technology news: computers, software, internet, space and research.", "News about Microsoft, Google, Apple, software, chips and the web.",
        "A new gadget, phone, video game, computer virus or online service.", "News about scientists, NASA, space missions, research studies and discoveries."])]
    SciTech,
}
