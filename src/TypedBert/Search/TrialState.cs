namespace TypedBert.Search;

/// <summary>How a trial ended.</summary>
public enum TrialState
{
    /// <summary>It ran to the end; only complete trials can be the best.</summary>
    Complete,
    /// <summary>The pruner stopped it early because its intermediate values fell behind the earlier trials'.</summary>
    Pruned,
    /// <summary>It threw an error the study was told to record (training diverged); the message is kept.</summary>
    Failed,
}
