namespace TypedBert.Search;

/// <summary>Thrown by an objective to end its trial as pruned (Optuna's <c>TrialPruned</c>); returning after <see cref="TrialRun.ShouldPrune"/> said so does the same.</summary>
internal sealed class TrialPrunedException() : Exception("the trial was pruned");
