namespace TypedBert.Server.Protocol;

/// <summary>A request the server refuses, with the status code and the field at fault.</summary>
internal sealed class RequestRejectedException(int statusCode, string error, string? field) : Exception(error)
{
    public int StatusCode { get; } = statusCode;

    public string? Field { get; } = field;

    public ErrorResponse ToResponse() => new(Message, Field);
}
