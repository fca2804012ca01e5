using System.Text;
using Bridge.Core.Bounces;
using Bridge.Testing;
using MimeKit;

namespace Bridge.Core.Tests.Bounces;

public sealed class DsnParserTests
{
    [Fact]
    public void An_mta_dsn_gives_the_original_message_id_and_each_recipient_with_status_and_diagnostic()
    {
        var raw = Dsn.Build("0193f0c1d2e37a4b8c9d0e1f2a3b4c5d@shop.example",
            new Dsn.Failure("gone@example.org", "5.1.1", "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"),
            new Dsn.Failure("late@example.org", "4.4.1", null, Action: "delayed"));

        var report = DsnParser.Parse(Dsn.Parse(raw).Body).Report!;

        Assert.Equal("0193f0c1d2e37a4b8c9d0e1f2a3b4c5d@shop.example", report.OriginalMessageId);
        Assert.Equal("mx.example.net", report.ReportingMta);
        Assert.Equal(2, report.Recipients.Count);
        Assert.Equal(new DsnRecipient("gone@example.org", "failed", "5.1.1", "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"), report.Recipients[0]);
        Assert.True(report.Recipients[0].IsFailed);
        Assert.False(report.Recipients[1].IsFailed);
    }

    [Fact]
    public void A_dsn_that_returns_the_whole_message_is_read_the_same()
    {
        var raw = Dsn.BuildReturningMessage("0193f0c1d2e37a4b8c9d0e1f2a3b4c5d@shop.example", 2000, new Dsn.Failure("gone@example.org", "5.1.1", "550 5.1.1 unknown"));

        Assert.Equal("0193f0c1d2e37a4b8c9d0e1f2a3b4c5d@shop.example", DsnParser.Parse(Dsn.Parse(raw).Body).Report!.OriginalMessageId);
    }

    [Fact]
    public void A_dsn_forwarded_inside_another_mail_is_found()
    {
        var dsn = Dsn.Parse(Dsn.Build("0193f0c1d2e37a4b8c9d0e1f2a3b4c5d@shop.example", new Dsn.Failure("gone@example.org", "5.1.1", "550 5.1.1 unknown")));
        var forward = new MimeMessage { Subject = "Fwd: Undelivered Mail" };
        forward.Body = new Multipart("mixed") { new TextPart("plain") { Text = "see attached" }, new MessagePart { Message = dsn } };

        Assert.Equal("gone@example.org", DsnParser.Parse(forward.Body).Report!.Recipients[0].Address);
    }

    [Fact]
    public void A_dsn_without_original_headers_has_no_message_id()
    {
        var report = DsnParser.Parse(Dsn.Parse(Dsn.Build(null, new Dsn.Failure("gone@example.org", "5.1.1", null))).Body).Report!;

        Assert.Null(report.OriginalMessageId);
        Assert.Null(report.Recipients[0].Diagnostic);
    }

    [Theory]
    [InlineData("From: a@example.org\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nnot a report\r\n", "not a delivery status notification")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nonly text\r\n--b--\r\n", "no message/delivery-status")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n--b--\r\n", "no per-recipient group")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nStatus: 5.1.1\r\n--b--\r\n", "Final-Recipient")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n\u0001\u0002:::\r\n\r\n\r\n--b--\r\n", "")]
    public void Malformed_input_is_a_reason_not_an_exception(string raw, string reason)
    {
        var parse = DsnParser.Parse(MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw))).Body);

        Assert.Null(parse.Report);
        Assert.Contains(reason, parse.Problem);
    }

    [Fact]
    public void Nothing_at_all_is_malformed() => Assert.NotNull(DsnParser.Parse(null).Problem);
}
