namespace TypedBert.Search;

/// <summary>A value a trial reported while it ran: the evaluation after an epoch (<paramref name="Step"/> is then the epoch number).</summary>
public sealed record IntermediateValue(int Step, double Value);
