namespace Bridge.Core.Deliverability;

/// <summary>The results of RFC 7208 2.6, as a receiver would compute them for one address.</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
