using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training.FewShot;

namespace TypedBert.Tests.Training.FewShot;

public class ContrastivePairsTests
{
    static readonly TrainingExample[] ThreeClasses =
    [
        TrainingExample.ForLabel("a0", 0), TrainingExample.ForLabel("a1", 0), TrainingExample.ForLabel("a2", 0),
        TrainingExample.ForLabel("b0", 1), TrainingExample.ForLabel("b1", 1),
        TrainingExample.ForLabel("c0", 2), TrainingExample.ForLabel("c1", 2),
    ];

    [Fact]
    public void Every_example_gets_one_positive_and_one_negative_partner_per_iteration()
    {
        var pairs = ContrastivePairs.Sample(ThreeClasses, ProblemType.SingleLabel, iterations: 5, new Random(3));
        Assert.Equal(2 * 5 * ThreeClasses.Length, pairs.Count);
        foreach (var pair in pairs)
        {
            Assert.NotEqual(pair.First, pair.Second);
            bool sameClass = ThreeClasses[pair.First].LabelId == ThreeClasses[pair.Second].LabelId;
            Assert.Equal(sameClass ? 1f : 0f, pair.Similarity);
        }
        foreach (var group in pairs.GroupBy(p => p.First))
        {
            Assert.Equal(5, group.Count(p => p.Similarity == 1f));
            Assert.Equal(5, group.Count(p => p.Similarity == 0f));
        }
        // Partners are drawn, not fixed: over 5 iterations the 3 possible negatives of a0 all occur with this seed.
        Assert.True(pairs.Where(p => p.First == 0 && p.Similarity == 0f).Select(p => p.Second).Distinct().Count() > 1);
    }

    [Fact]
    public void The_same_seed_gives_the_same_pairs_and_another_seed_others()
    {
        var first = ContrastivePairs.Sample(ThreeClasses, ProblemType.SingleLabel, 4, new Random(11));
        Assert.Equal(first, ContrastivePairs.Sample(ThreeClasses, ProblemType.SingleLabel, 4, new Random(11)));
        Assert.NotEqual(first, ContrastivePairs.Sample(ThreeClasses, ProblemType.SingleLabel, 4, new Random(12)));
    }

    [Fact]
    public void An_example_alone_in_its_class_gets_negatives_only()
    {
        TrainingExample[] examples = [TrainingExample.ForLabel("a", 0), TrainingExample.ForLabel("b0", 1), TrainingExample.ForLabel("b1", 1)];
        var pairs = ContrastivePairs.Sample(examples, ProblemType.SingleLabel, 3, new Random(1));
        Assert.DoesNotContain(pairs, p => p.First == 0 && p.Similarity == 1f);
        Assert.Equal(3, pairs.Count(p => p.First == 0 && p.Similarity == 0f));
    }

    [Fact]
    public void Multi_label_examples_are_alike_when_they_share_a_label()
    {
        TrainingExample[] examples =
        [
            TrainingExample.ForLabels("billing", [0], 3),
            TrainingExample.ForLabels("billing and login", [0, 1], 3),
            TrainingExample.ForLabels("login", [1], 3),
            TrainingExample.ForLabels("crash", [2], 3),
        ];
        var pairs = ContrastivePairs.Sample(examples, ProblemType.MultiLabel, 20, new Random(5));
        foreach (var pair in pairs)
        {
            bool shares = examples[pair.First].Target.Zip(examples[pair.Second].Target, (a, b) => a == 1 && b == 1).Any(x => x);
            Assert.Equal(shares ? 1f : 0f, pair.Similarity);
        }
        // "billing" and "login" share nothing, although both share a label with "billing and login".
        Assert.Contains(pairs, p => p.First == 0 && p.Second == 2 && p.Similarity == 0f);
        Assert.DoesNotContain(pairs, p => p.First == 3 && p.Similarity == 1f);
    }

    [Fact]
    public void One_class_or_a_regression_target_is_refused()
    {
        TrainingExample[] oneClass = [TrainingExample.ForLabel("a", 0), TrainingExample.ForLabel("b", 0)];
        Assert.Contains("at least two classes", Assert.Throws<ArgumentException>(() => ContrastivePairs.Sample(oneClass, ProblemType.SingleLabel, 1, new Random(1))).Message);
        Assert.Contains("regression", Assert.Throws<ArgumentException>(() => ContrastivePairs.Sample(oneClass, ProblemType.Regression, 1, new Random(1))).Message);
    }
}
