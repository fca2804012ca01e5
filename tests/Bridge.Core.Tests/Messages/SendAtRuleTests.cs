using Bridge.Core.Messages;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Core.Tests.Messages;

/// <summary>sendAt as the validator reads it, with time moved by a fake clock.</summary>
public sealed class SendAtRuleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    private (ValidatedMessage? Message, IDictionary<string, string[]> Errors) Validate(string? sendAt)
    {
        var request = new SendRequest
        {
            From = AddressInput.FromText("orders@shop.example"),
            To = [AddressInput.FromText("ann@example.org")],
            Subject = "Reminder",
            Text = "body",
            SendAt = sendAt,
        };
        var errors = new ValidationErrors();
        var message = new SendRequestValidator(TestOptions.Limits(), TestOptions.Smtp(), time).Validate(request, errors);
        return (message, errors.ToDictionary());
    }

    [Theory]
    [InlineData("2026-12-07T10:00:01Z", "2026-12-07T10:00:01Z")]
    [InlineData("2026-12-07T11:30:00+01:00", "2026-12-07T10:30:00Z")]
    [InlineData("2026-12-08T09:15:00.250-00:00", "2026-12-08T09:15:00.250Z")]
    [InlineData("2026-12-14T10:00:00Z", "2026-12-14T10:00:00Z")]
    public void Future_time_within_seven_days_is_kept_in_utc(string sendAt, string expected)
    {
        var (message, errors) = Validate(sendAt);

        Assert.Empty(errors);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), message!.SendAt);
        Assert.Equal(TimeSpan.Zero, message.SendAt!.Value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2026-12-07T10:00:00Z")]
    [InlineData("2026-12-07T09:59:59Z")]
    [InlineData("2020-01-01T00:00:00Z")]
    public void Absent_now_or_past_sends_now(string? sendAt)
    {
        var (message, errors) = Validate(sendAt);

        Assert.Empty(errors);
        Assert.Null(message!.SendAt);
    }

    [Fact]
    public void More_than_seven_days_ahead_is_refused_and_the_limit_moves_with_the_clock()
    {
        const string eightDaysOut = "2026-12-14T10:00:01Z";
        Assert.Contains("at most 7 days", Validate(eightDaysOut).Errors["sendAt"][0], StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(Validate(eightDaysOut).Errors);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("")]
    [InlineData("2026-12-08")]
    [InlineData("2026-12-08T09:00:00")]
    [InlineData("2026-12-08T25:00:00Z")]
    [InlineData("12/08/2026 09:00:00 +00:00")]
    public void Not_an_rfc3339_time_with_offset_is_a_field_error(string sendAt)
    {
        var (message, errors) = Validate(sendAt);

        Assert.Null(message);
        Assert.Contains("RFC 3339", errors["sendAt"][0], StringComparison.Ordinal);
    }
}
