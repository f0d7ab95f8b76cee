namespace TypedBert.Modeling;

/// <summary>
/// TorchSharp's native library (LibTorchSharp and libtorch) could not be loaded: the application references TypedBert but no libtorch
/// backend package. The message names the package to add and the command that adds it.
/// </summary>
public sealed class TorchBackendMissingException(string message, Exception? inner) : Exception(message, inner);
