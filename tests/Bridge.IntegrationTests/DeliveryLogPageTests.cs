using System.Diagnostics;
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
            text = "On its way.", tags = new[] { "orders", "shipping" },
        })).Body);
        await fixture.Server.WaitForStatusAsync(ServerFixture.ApiKey, id, s => s == "sent", TimeSpan.FromSeconds(30));

        using var page = await fixture.Server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("form-action 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var seen = await RunBrowserAsync(recipient, id);

        Assert.Empty(seen.GetProperty("problems").EnumerateArray());
        Assert.Equal(1, seen.GetProperty("rows").GetInt32());
        Assert.Equal(["accepted", "attempt", "sent"], seen.GetProperty("timeline").EnumerateArray().Select(e => e.GetString()));
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
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepoPaths.Combine("tests", "peers", "delivery-log-browser.mjs"));
        foreach (var (name, value) in new[] { ("--url", $"http://127.0.0.1:{fixture.Server.Port}/"), ("--to", recipient), ("--id", id) })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }

        if (Environment.GetEnvironmentVariable("BRIDGE_UI_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            start.ArgumentList.Add("--screenshot");
            start.ArgumentList.Add(Path.GetFullPath(screenshot, RepoPaths.Root));
            start.ArgumentList.Add("--screenshot-narrow");
            start.ArgumentList.Add(Path.ChangeExtension(Path.GetFullPath(screenshot, RepoPaths.Root), null) + "-narrow.png");
        }

        start.Environment["BRIDGE_UI_KEY"] = ServerFixture.ApiKey;
        start.Environment["BRIDGE_PLAYWRIGHT_MODULES"] = Environment.GetEnvironmentVariable("BRIDGE_PLAYWRIGHT_MODULES") is { Length: > 0 } modules
            ? modules
            : RepoPaths.Combine(".tools", "npm-playwright-core", "node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The browser run did not end within 60 s: " + await error);
        }

        Assert.True(process.ExitCode == 0, $"The browser run failed ({process.ExitCode}): {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
