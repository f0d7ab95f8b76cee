using TypedBert.Metrics;

namespace TypedBert.Classification.Problems;

/// <summary>The metrics of one problem type (exactly one report is set); evaluation adds the loss to make an <c>EvaluationResult</c>.</summary>
internal sealed record ProblemReport(ClassificationReport? Classification = null, MultiLabelReport? MultiLabel = null, RegressionReport? Regression = null);
