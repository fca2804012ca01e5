namespace Bridge.Core.Delivery;

/// <summary>What an upstream failure means for the message (the design's classification table).</summary>
public enum FailureKind
{
    /// <summary>4xx, refused/reset/timeout, TLS hiccup: retry later.</summary>
    Transient,

    /// <summary>5xx: the server will not take it; no retry.</summary>
    Permanent,

    /// <summary>535 and friends: the password is wrong or has rotated.</summary>
    Credentials,

    /// <summary>The profile is wrong (TLS mode, port, certificate, missing secret): a human must fix it.</summary>
    Configuration,
}
