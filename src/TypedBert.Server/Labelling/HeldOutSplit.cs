using TypedBert.Data;

namespace TypedBert.Server.Labelling;

/// <summary>
/// Splits the labelled rows into training rows and a held-out slice, the same way for the same rows: within each label (each label
/// cell, for multi-label rows) the rows are ordered by a hash of their text and every <c>every</c>-th one is held out, so each label
/// with enough rows is represented and a label with fewer than <c>every</c> rows is trained on whole.
/// </summary>
internal static class HeldOutSplit
{
    public static (List<DataRow> Train, List<DataRow> HeldOut) Split(IReadOnlyList<DataRow> rows, int every)
    {
        var train = new List<DataRow>();
        var heldOut = new List<DataRow>();
        foreach (var group in rows.GroupBy(r => r.Label.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            int rank = 0;
            foreach (var row in group.OrderBy(r => LabelPool.IdOf(r.Text), StringComparer.Ordinal))
                (++rank % every == 0 ? heldOut : train).Add(row);
        }
        return (train, heldOut);
    }
}
