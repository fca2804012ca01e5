namespace Bridge.Core.Hooks;

/// <summary>The configured inbound webhooks, bound from <c>Bridge:Hooks</c> (name → hook); each is served at <c>/api/v1/hooks/{name}</c>.</summary>
public sealed class HookOptions : Dictionary<string, HookEntry>
{
    public const string SectionName = "Bridge:Hooks";

    public HookOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
