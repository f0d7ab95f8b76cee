namespace System.Runtime.CompilerServices;

/// <summary>
/// Lets netstandard2.0 compile <c>init</c> accessors (<c>LongTextOptions</c>); newer frameworks have it in the runtime. Internal, so
/// that no assembly that references this one sees a second public copy.
/// </summary>
internal static class IsExternalInit
{
}
