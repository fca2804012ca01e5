using System.Text;
using Bridge.Core.Doctor;

namespace Bridge.Core.Tests.Doctor;

public sealed class GreetingSniffTests
{
    [Theory]
    [InlineData("220 smtp.example.org ESMTP ready\r\n", GreetingKind.Ready)]
    [InlineData("220-smtp.example.org first line of a long greeting\r\n", GreetingKind.Ready)]
    [InlineData("554 5.7.1 No SMTP service here\r\n", GreetingKind.Refused)]
    [InlineData("421 4.7.0 Too many connections\r\n", GreetingKind.Refused)]
    [InlineData("SSH-2.0-OpenSSH_9.2p1\r\n", GreetingKind.NotSmtp)]
    [InlineData("HTTP/1.1 400 Bad Request\r\n", GreetingKind.NotSmtp)]
    [InlineData("2200 not a reply code\r\n", GreetingKind.NotSmtp)]
    [InlineData("+OK POP3 ready\r\n", GreetingKind.NotSmtp)]
    public void First_line_is_classified_by_what_it_is(string first, GreetingKind kind) =>
        Assert.Equal(kind, GreetingSniff.Classify(Encoding.ASCII.GetBytes(first)));

    [Fact]
    public void A_tls_record_is_recognised_and_shown_in_hex()
    {
        byte[] serverHello = [0x16, 0x03, 0x03, 0x00, 0x5a, 0x02, 0x00];

        Assert.Equal(GreetingKind.Tls, GreetingSniff.Classify(serverHello));
        Assert.Equal("bytes 160303005A0200", GreetingSniff.Printable(serverHello));
    }

    [Theory]
    [InlineData("2", true)]
    [InlineData("22", true)]
    [InlineData("220", true)]
    [InlineData("220 smtp", true)]
    [InlineData("HT", false)]
    [InlineData("2200", false)]
    public void A_partial_line_is_waited_for_only_while_it_can_still_be_a_reply(string partial, bool wait) =>
        Assert.Equal(wait, GreetingSniff.CouldBeReply(Encoding.ASCII.GetBytes(partial)));

    [Fact]
    public void Printable_text_is_the_first_line_only() =>
        Assert.Equal("220 a ready", GreetingSniff.Printable("220 a ready\r\n250 more"u8));
}
