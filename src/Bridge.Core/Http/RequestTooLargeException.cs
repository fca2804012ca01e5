namespace Bridge.Core.Http;

/// <summary>The body went past the configured limit while it was being read.</summary>
public sealed class RequestTooLargeException(long limit) : IOException($"The request body is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
