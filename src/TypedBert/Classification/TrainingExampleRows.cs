using TypedBert.Classification.Problems;
using TypedBert.Data;

namespace TypedBert.Classification;

/// <summary>
/// <c>TrainingExample.FromRows</c>: each problem type reads a row's label cell its own way (<see cref="ProblemStrategy.Example"/>), so
/// the data layer needs no problem type. In this namespace because <see cref="ProblemType"/> is, so a file that names one sees the other.
/// </summary>
public static class TrainingExampleRows
{
    extension(TrainingExample)
    {
        /// <summary>Turns rows into examples, parsing each label cell for <paramref name="problemType"/>.</summary>
        /// <exception cref="DataFormatException">A label is unknown or not a number (file, line and reason).</exception>
        public static List<TrainingExample> FromRows(IEnumerable<DataRow> rows, LabelSet labels, ProblemType problemType) =>
            TrainingExample.FromRows(rows, labels, problemType, skipBadRows: false, out _);

        /// <summary>Turns rows into examples, parsing each label cell for <paramref name="problemType"/>.</summary>
        /// <param name="rows">The rows.</param>
        /// <param name="labels">The labels a cell may name.</param>
        /// <param name="problemType">How a cell is read.</param>
        /// <param name="skipBadRows">When true, a row whose label is unknown or not a number is left out and counted in <paramref name="skipped"/>; otherwise the first one throws.</param>
        /// <param name="skipped">Rows left out, each with its reason.</param>
        /// <exception cref="DataFormatException">A label is unknown or not a number (file, line and reason).</exception>
        public static List<TrainingExample> FromRows(IEnumerable<DataRow> rows, LabelSet labels, ProblemType problemType, bool skipBadRows,
            out List<DataFormatException> skipped)
        {
            ArgumentNullException.ThrowIfNull(labels);
            if (!Enum.IsDefined(problemType)) throw new ArgumentOutOfRangeException(nameof(problemType));
            var problem = ProblemStrategy.For(problemType);
            var examples = new List<TrainingExample>();
            skipped = [];
            foreach (var row in rows)
            {
                try { examples.Add(problem.Example(row, labels)); }
                catch (DataFormatException e) when (skipBadRows) { skipped.Add(e); }
            }
            return examples;
        }
    }
}
