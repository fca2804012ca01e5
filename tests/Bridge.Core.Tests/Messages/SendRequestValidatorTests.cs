using Bridge.Core.Messages;

namespace Bridge.Core.Tests.Messages;

public sealed class SendRequestValidatorTests
{
    private static readonly SendRequest Valid = new()
    {
        From = AddressInput.FromText("Shop <orders@shop.example>"),
        To = [AddressInput.FromText("ann@example.org"), new AddressInput("bo@example.org", "Bo", null)],
        Subject = "Your order",
        Text = "plain body",
    };

    private static (ValidatedMessage? Message, IDictionary<string, string[]> Errors) Validate(SendRequest request, Action<MessageLimits>? limits = null)
    {
        var errors = new ValidationErrors();
        var message = new SendRequestValidator(TestOptions.Limits(limits), TestOptions.Smtp(), TimeProvider.System).Validate(request, errors);
        return (message, errors.ToDictionary());
    }

    [Fact]
    public void Valid_request_is_parsed_with_both_address_shapes()
    {
        var (message, errors) = Validate(Valid);

        Assert.Empty(errors);
        Assert.NotNull(message);
        Assert.Equal("orders@shop.example", message.From.Address);
        Assert.Equal("Shop", message.From.Name);
        Assert.Equal(["ann@example.org", "bo@example.org"], message.To.Select(t => t.Address));
        Assert.Equal("Bo", message.To[1].Name);
        Assert.Equal("default", message.Profile);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("ann@")]
    [InlineData("@example.org")]
    [InlineData("ann")]
    [InlineData("ann@example.org, bo@example.org")]
    [InlineData("Ann <ann@example.org")]
    public void Malformed_addresses_are_refused_by_field(string address)
    {
        var (message, errors) = Validate(Valid with { To = [AddressInput.FromText(address)] });

        Assert.Null(message);
        Assert.Contains("to[0]", errors.Keys);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (_, errors) = Validate(new SendRequest());

        Assert.Equal(["from", "subject", "text", "to"], errors.Keys.Order());
    }

    [Fact]
    public void Recipients_can_come_from_bcc_alone_and_are_counted_once()
    {
        var (message, errors) = Validate(Valid with
        {
            To = null,
            Bcc = [AddressInput.FromText("hidden@example.org"), AddressInput.FromText("HIDDEN@example.org")],
        });

        Assert.Empty(errors);
        Assert.Single(message!.Recipients);
    }

    [Fact]
    public void Too_many_recipients_across_to_cc_and_bcc_are_refused()
    {
        var many = Enumerable.Range(0, 3).Select(i => AddressInput.FromText($"r{i}@example.org")).ToList();
        var (_, errors) = Validate(Valid with { To = many, Cc = many }, limits => limits.MaxRecipients = 5);

        Assert.Contains("at most 5", Assert.Single(errors["to"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hi\r\nBcc: victim@example.org")]
    [InlineData("Hi\nthere")]
    public void Line_breaks_in_the_subject_are_refused(string subject)
    {
        var (_, errors) = Validate(Valid with { Subject = subject });

        Assert.Contains("subject", errors.Keys);
    }

    [Fact]
    public void Line_breaks_in_a_display_name_are_refused()
    {
        var (_, errors) = Validate(Valid with { To = [new AddressInput("ann@example.org", "Ann\r\nBcc: x@example.org", null)] });

        Assert.Contains("to[0]", errors.Keys);
    }

    [Theory]
    [InlineData("X-Order", "42\r\nBcc: victim@example.org", "headers.X-Order")]
    [InlineData("Bcc", "victim@example.org", "headers.Bcc")]
    [InlineData("from", "evil@example.org", "headers.from")]
    [InlineData("Content-Type", "text/html", "headers.Content-Type")]
    [InlineData("Message-ID", "<x@y>", "headers.Message-ID")]
    [InlineData("Bad Name", "v", "headers.Bad Name")]
    [InlineData("X:Colon", "v", "headers.X:Colon")]
    public void Unsafe_or_reserved_custom_headers_are_refused(string name, string value, string field)
    {
        var (_, errors) = Validate(Valid with { Headers = new Dictionary<string, string> { [name] = value } });

        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void A_body_is_required()
    {
        var (_, errors) = Validate(Valid with { Text = null, Html = "" });

        Assert.Contains("text", errors.Keys);
    }

    [Fact]
    public void Attachment_content_is_required()
    {
        var (_, errors) = Validate(Valid with
        {
            Attachments = [new AttachmentInput { Filename = "a.pdf", ContentType = "application/pdf" }],
        });

        Assert.Equal(["attachments[0].content"], errors.Keys);
    }

    [Fact]
    public void Attachment_needs_a_safe_filename_and_a_real_content_type()
    {
        var (_, errors) = Validate(Valid with
        {
            Attachments = [new AttachmentInput { Filename = "../etc/passwd", ContentType = "nonsense", Content = [0] }],
        });

        Assert.Equal(["attachments[0].contentType", "attachments[0].filename"], errors.Keys.Order());
    }

    [Fact]
    public void Unknown_profile_is_named()
    {
        var (_, errors) = Validate(Valid with { Profile = "marketing" });

        Assert.Contains("'marketing'", Assert.Single(errors["profile"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_is_kept_as_sent()
    {
        var (message, errors) = Validate(Valid with { Metadata = new Dictionary<string, string> { ["orderId"] = "42", ["note"] = "" } });

        Assert.Empty(errors);
        Assert.Equal(new Dictionary<string, string> { ["orderId"] = "42", ["note"] = "" }, message!.Metadata);
    }

    [Fact]
    public void Metadata_with_a_null_value_is_refused()
    {
        var (message, errors) = Validate(Valid with { Metadata = new Dictionary<string, string> { ["orderId"] = null! } });

        Assert.Null(message);
        Assert.Contains("not null", Assert.Single(errors["metadata"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(22, true)]
    [InlineData(23, false)]
    public void Metadata_is_bounded_in_all_counting_each_character_as_itself(int length, bool valid)
    {
        // {"k":"..."} is eight characters around the value; non-ASCII text is not escaped, so each counts once.
        var (message, errors) = Validate(Valid with { Metadata = new Dictionary<string, string> { ["k"] = new('ü', length) } },
            limits => limits.MaxMetadataLength = 30);

        Assert.Equal(valid, message is not null);
        if (!valid)
        {
            Assert.Equal(["must be at most 30 characters in all, as JSON (got 31)"], errors["metadata"]);
        }
    }

    [Fact]
    public void Metadata_over_the_entry_limits_is_refused_under_metadata()
    {
        var many = Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => "v");
        var (_, tooMany) = Validate(Valid with { Metadata = many });
        var (_, tooLong) = Validate(Valid with { Metadata = new Dictionary<string, string> { [new string('k', 129)] = "v" } });

        Assert.Contains("at most 20 entries", Assert.Single(tooMany["metadata"]), StringComparison.Ordinal);
        Assert.Contains("keys must be 1 to 128", Assert.Single(tooLong["metadata"]), StringComparison.Ordinal);
    }
}
