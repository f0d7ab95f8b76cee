// The namespace of the hub's datasets until issue 27, when it became TypedBert.Hub.Datasets (TypedBert.Data reads rows and
// labels; these types download them). Code that still names the old namespace fails to compile with what to write instead.
namespace TypedBert.Datasets
{
    /// <summary>Moved: <c>TypedBert.Hub.Datasets.HubDatasets</c>.</summary>
    [Obsolete("HubDatasets is now in namespace TypedBert.Hub.Datasets: write `using TypedBert.Hub.Datasets;` instead of `using TypedBert.Datasets;`", error: true)]
    public static class HubDatasets;

    /// <summary>Moved: <c>TypedBert.Hub.Datasets.HubDatasetSplit</c>.</summary>
    [Obsolete("HubDatasetSplit is now in namespace TypedBert.Hub.Datasets: write `using TypedBert.Hub.Datasets;` instead of `using TypedBert.Datasets;`", error: true)]
    public sealed class HubDatasetSplit
    {
        HubDatasetSplit() { }
    }
}
