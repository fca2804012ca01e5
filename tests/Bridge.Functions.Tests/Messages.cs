namespace Bridge.Functions.Tests;

/// <summary>Send request bodies used across the tests.</summary>
internal static class Messages
{
    public static object Valid(string subject = "Your order", string from = "Shop <orders@shop.example>") => new
    {
        from,
        to = new object[] { "ann@example.org", new { email = "bo@example.org", name = "Bo" } },
        subject,
        text = "plain body",
        html = "<p>html body</p>",
        headers = new Dictionary<string, string> { ["X-Order"] = "42" },
        attachments = new[] { new { filename = "a.txt", contentType = "text/plain", content = Convert.ToBase64String("hello"u8.ToArray()) } },
        tags = new[] { "orders" },
    };

    /// <summary>
    /// Plain text well above the 32 KiB inline limit that does not compress (random letters: compressed mail text
    /// would travel inline), so its MIME goes to a payload blob.
    /// </summary>
    public static object Large(string subject) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = string.Join('\n', Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(70 * 600 / 4 * 3)).Chunk(70).Select(line => new string(line))),
    };

    /// <summary>About 100 KiB of mail-like text: over the inline limit as text, within it compressed.</summary>
    public static object Compressible(string subject) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = string.Join('\n', Enumerable.Range(0, 1400).Select(i => $"Line {i}: your order {i * 7919 % 10007} has shipped; thank you for your payment.")),
    };
}
