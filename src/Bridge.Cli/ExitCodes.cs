namespace Bridge.Cli;

/// <summary>What <c>bridge</c> returns to the shell (the table in README's CLI section says the same).</summary>
public static class ExitCodes
{
    /// <summary>Done: the request was accepted, the signature verified, and (for doctor) every step passed.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The command ran but did not succeed: a diagnosis found a failing step, Bridge refused the request or could not be
    /// reached, a signature did not verify, or the configuration could not be used.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown command or option, a missing or malformed value); nothing was done.</summary>
    public const int Usage = 2;
}
