using TypedBert.Training;

namespace TypedBert.Cli.Terminal;

/// <summary>Shows how far a long piece of work has come: live bars on a terminal, periodic lines elsewhere.</summary>
internal interface IProgressView
{
    /// <summary>Runs <paramref name="train"/>, showing the training reports it sends.</summary>
    T Train<T>(Func<IProgress<TrainingProgress>, T> train);

    /// <summary>Runs <paramref name="work"/> over <paramref name="total"/> items, showing the count of items done it reports.</summary>
    /// <param name="title">What the work is, such as "evaluating".</param>
    T Count<T>(string title, int total, Func<IProgress<int>, T> work);
}
