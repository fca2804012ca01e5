using System.Net;
using System.Text.Json;
using Bridge.Testing;

namespace Bridge.IntegrationTests;

/// <summary>
/// The delivery log page in a real browser (Debian's chromium, driven headless by npm playwright-core through
/// tests/peers/delivery-log-browser.mjs), against Bridge.Server: key typed, search, message opened, timeline
/// read; the key never in the URL nor in localStorage. BRIDGE_UI_SCREENSHOT names where to keep a screenshot
/// (docs/delivery-log.png is one).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DeliveryLogPageTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_person_finds_a_message_by_recipient_and_reads_its_timeline_with_the_key_kept_out_of_urls_and_storage()
    {
        var recipient = $"ui-{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var id = ServerFixture.Id((await fixture.PostAsync(new
        {
            from = "Shop <orders@shop.example>", to = new[] { recipient }, subject = "Your order #1042 has shipped",
            text = "On its way.", tags = new[] { "orders", "shipping" }, metadata = new Dictionary<string, string> { ["orderId"] = "1042" },
        })).Body);
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "sent", TimeSpan.FromSeconds(30));

        using var page = await fixture.Server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("form-action 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var seen = await RunBrowserAsync(recipient, id);

        Assert.Empty(seen.GetProperty("problems").EnumerateArray());
        Assert.Equal(1, seen.GetProperty("rows").GetInt32());
        Assert.Equal(["accepted", "attempt", "sent"], seen.GetProperty("timeline").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("orderId: 1042", seen.GetProperty("facts").GetProperty("Metadata").GetString());
        Assert.StartsWith("250 ", Assert.Single(seen.GetProperty("smtp").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.ApiKey, seen.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Empty(seen.GetProperty("localStorage").EnumerateArray());
        Assert.True(seen.GetProperty("sessionStorageHasKey").GetBoolean());
        Assert.True(seen.GetProperty("keyInputEmpty").GetBoolean());
        Assert.True(seen.GetProperty("narrowOverflow").GetInt32() <= 0, $"{seen.GetProperty("narrowOverflow")} px of sideways scrolling at 390 px wide");
        Assert.True(seen.GetProperty("closedWithEscape").GetBoolean());
        Assert.True(seen.GetProperty("focusBackOnRow").GetBoolean());
    }

    private async Task<JsonElement> RunBrowserAsync(string recipient, string id)
    {
        var arguments = new List<string> { "--url", $"http://127.0.0.1:{fixture.Server.Port}/", "--to", recipient, "--id", id };
        if (Environment.GetEnvironmentVariable("BRIDGE_UI_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            arguments.AddRange([
                "--screenshot", Path.GetFullPath(screenshot, RepoPaths.Root),
                "--screenshot-narrow", Path.ChangeExtension(Path.GetFullPath(screenshot, RepoPaths.Root), null) + "-narrow.png",
            ]);
        }

        return await BrowserPeer.RunAsync("delivery-log-browser.mjs", arguments,
            new Dictionary<string, string> { ["BRIDGE_UI_KEY"] = ServerFixture.ApiKey });
    }
}
