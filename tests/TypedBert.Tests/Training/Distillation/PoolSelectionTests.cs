using TypedBert.Training.Distillation;

namespace TypedBert.Tests.Training.Distillation;

public class PoolSelectionTests
{
    static TeacherScore Scored(string text, float first) => new(text, [first, 1 - first], [first, 1 - first]);

    static readonly TeacherScore[] Pool =
        [Scored("a", 0.95f), Scored("b", 0.55f), Scored("c", 0.2f), Scored("d", 0.9f), Scored("e", 0.7f), Scored("f", 0.4f)];

    static string Texts(IEnumerable<TeacherScore> kept) => string.Concat(kept.Select(k => k.Text));

    [Fact]
    public void Confidence_filtering_drops_the_unsure_and_keeps_pool_order() =>
        Assert.Equal("acde", Texts(new PoolSelection(MinConfidence: 0.65).Apply(Pool, 2)));

    [Fact]
    public void A_cap_per_label_keeps_the_most_confident_of_each_label() =>
        Assert.Equal("acdf", Texts(new PoolSelection(MaxPerLabel: 2).Apply(Pool, 2))); // label 0: a .95, d .9; label 1: c .8, f .6

    [Fact]
    public void Balancing_caps_every_label_at_the_rarest_label_count() =>
        Assert.Equal("acdf", Texts(new PoolSelection(Balance: true).Apply(Pool, 2))); // 4 texts favour label 0, 2 favour label 1

    [Fact]
    public void A_keep_fraction_keeps_the_most_confident_share_of_each_label_rounded_up()
    {
        // label 0: a .95, d .9, e .7, b .55 -> half is a, d; label 1: c .8, f .6 -> half is c
        Assert.Equal("acd", Texts(new PoolSelection { KeepFraction = 0.5 }.Apply(Pool, 2)));
        // balanced first (2 per label: a, d and c, f), then half of each
        Assert.Equal("ac", Texts(new PoolSelection(Balance: true) { KeepFraction = 0.5 }.Apply(Pool, 2)));
        Assert.Equal("acdf", Texts(new PoolSelection(Balance: true) { KeepFraction = 1 }.Apply(Pool, 2)));
        Assert.Throws<ArgumentException>(() => new PoolSelection { KeepFraction = 0 }.Validate());
    }
}
