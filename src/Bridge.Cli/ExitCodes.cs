namespace Bridge.Cli;

/// <summary>What <c>bridge</c> returns to the shell.</summary>
public static class ExitCodes
{
    /// <summary>Done, and (for doctor) every step passed.</summary>
    public const int Ok = 0;

    /// <summary>A diagnosis found a failing step, or the configuration could not be used.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;
}
