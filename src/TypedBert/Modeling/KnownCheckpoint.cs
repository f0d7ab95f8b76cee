namespace TypedBert.Modeling;

/// <summary>A hub checkpoint of a family, with what compile-time checks of training settings need to know about it.</summary>
/// <param name="Name">The hub id (<c>roberta-base</c>).</param>
/// <param name="MaxPositions">The longest input it reads, special tokens included.</param>
/// <param name="Layers">Its encoder layers.</param>
internal sealed record KnownCheckpoint(string Name, int MaxPositions, int Layers);
