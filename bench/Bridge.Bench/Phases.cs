namespace Bridge.Bench;

/// <summary>The names of the end-to-end phases, as the table shows them.</summary>
public static class Phases
{
    /// <summary>Posted as fast as Bridge answers: the E2E.</summary>
    public const string EndToEnd = "E2E";

    /// <summary>The same messages offered at a fixed share of the lower ceiling's rate.</summary>
    public const string Paced = "E2E paced";
}
