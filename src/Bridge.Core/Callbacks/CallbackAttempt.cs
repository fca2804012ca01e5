namespace Bridge.Core.Callbacks;

/// <summary>What became of one POST.</summary>
public enum CallbackVerdict
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>A non-2xx answer (a redirect included: it is not followed), no answer in time, or no connection: worth another try.</summary>
    Failed,

    /// <summary>The destination may not be called (a private address): trying again would not change that.</summary>
    Refused,
}

/// <summary>The outcome of one POST: the receiver's HTTP status when it answered, and why it counts as it does (no secret, no URL).</summary>
public sealed record CallbackAttempt(CallbackVerdict Verdict, int? HttpStatus, string Detail);
