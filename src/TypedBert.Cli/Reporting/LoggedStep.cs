namespace TypedBert.Cli.Reporting;

/// <summary>One logged optimizer step, as an entry of Hugging Face's <c>log_history</c>.</summary>
/// <param name="Step">Optimizer steps done, from 1.</param>
/// <param name="Epoch">The epoch the step belongs to, from 1.</param>
/// <param name="Loss">Mean training loss since the previous logged step.</param>
/// <param name="LearningRate">Learning rate of the step.</param>
internal sealed record LoggedStep(int Step, int Epoch, double Loss, double LearningRate);
