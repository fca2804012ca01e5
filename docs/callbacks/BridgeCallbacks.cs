// A receiver for Bridge's callbacks in ASP.NET Core, no packages needed. In Program.cs:
//   var key = BridgeCallbacks.Key(builder.Configuration["BridgeCallbackSecret"]!);   // whsec_...
//   app.MapPost("/bridge-callbacks", (HttpRequest request) => BridgeCallbacks.HandleAsync(request, key, TimeProvider.System,
//       e => { Console.WriteLine($"{e.GetProperty("type")} {e.GetProperty("data").GetProperty("id")}"); return Task.CompletedTask; }));
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Shop.Callbacks;

public static class BridgeCallbacks
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5); // refuse old deliveries replayed by someone else

    public static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);

    public static async Task<IResult> HandleAsync(HttpRequest request, byte[] key, TimeProvider time, Func<JsonElement, Task> handle)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = buffer.ToArray();
        if (!Verify(request.Headers, body, key, time.GetUtcNow()))
        {
            return Results.Unauthorized();
        }

        // Deliveries can repeat: use the webhook-id header to process each event once.
        using var payload = JsonDocument.Parse(body);
        await handle(payload.RootElement);
        return Results.NoContent();
    }

    public static bool Verify(IHeaderDictionary headers, byte[] body, byte[] key, DateTimeOffset now)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        if (id.Length == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false;
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        var expected = HMACSHA256.HashData(key, signed);
        // The header may hold several space-separated signatures (while a secret is rotated): one match is enough.
        return headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(entry => entry.StartsWith("v1,", StringComparison.Ordinal) && Matches(expected, entry[3..]));
    }

    private static bool Matches(byte[] expected, string presented)
    {
        var decoded = new byte[expected.Length];
        return Convert.TryFromBase64String(presented, decoded, out var written) && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, decoded);
    }
}
