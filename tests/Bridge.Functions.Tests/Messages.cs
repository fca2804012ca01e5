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

    /// <summary>Plain text well above the 32 KiB inline limit, so its MIME goes to a payload blob.</summary>
    public static object Large(string subject) => new
    {
        from = "orders@shop.example",
        to = new[] { "ann@example.org" },
        subject,
        text = string.Join('\n', Enumerable.Repeat(new string('x', 70), 600)),
    };
}
