using Bridge.Core.Messages;

using Bridge.Core.Hooks;
namespace Bridge.Core.Tests.Hooks;

public sealed class MessageTemplateTests
{
    private const string Issue = """
        {"action":"opened","issue":{"number":7,"title":"<script>alert(1)</script> & Café","body":null,
         "labels":[{"name":"bug"},{"name":"urgent"}]},"sender":{"login":"ann"}}
        """;

    [Fact]
    public void Html_template_escapes_values_from_the_payload_but_not_its_own_markup()
    {
        var (request, _) = Templates.Render(Templates.Entry(html: "<p>Issue <b>{{ payload.issue.title }}</b></p>"), Issue);

        Assert.Equal("<p>Issue <b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Café</b></p>", request!.Html);
    }

    [Fact]
    public void Text_and_subject_are_plain_text()
    {
        var (request, _) = Templates.Render(Templates.Entry(subject: "#{{ payload.issue.number }} {{ payload.issue.title }}", text: "{{ payload.issue.title }}"), Issue);

        Assert.Equal("#7 <script>alert(1)</script> & Café", request!.Subject);
        Assert.Equal("<script>alert(1)</script> & Café", request.Text);
    }

    [Fact]
    public void Missing_field_fails_naming_the_template_field_and_the_payload_path()
    {
        var (request, failure) = Templates.Render(Templates.Entry(subject: "{{ payload.issue.titel }}"), Issue);

        Assert.Null(request);
        Assert.Equal("subject", failure!.Field);
        Assert.Contains("payload.issue.titel", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_array_item_is_named_with_its_index()
    {
        var (_, failure) = Templates.Render(Templates.Entry(text: "{{ payload.issue.labels[2].name }}"), Issue);

        Assert.Equal("text", failure!.Field);
        Assert.Contains("payload.issue.labels[2]", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_variable_is_named()
    {
        var (_, failure) = Templates.Render(Templates.Entry(html: "{{ paylod.issue }}"), Issue);

        Assert.Equal("html", failure!.Field);
        Assert.Contains("paylod", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_header_is_named()
    {
        var (_, failure) = Templates.Render(Templates.Entry(subject: "{{ headers['x-github-event'] }}"), Issue);

        Assert.Contains("headers.x-github-event", failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_are_read_by_their_lower_case_names()
    {
        var (request, _) = Templates.Render(Templates.Entry(subject: "{{ headers['x-github-event'] }}: {{ payload.action }}"), Issue, ("X-GitHub-Event", "issues"));

        Assert.Equal("issues: opened", request!.Subject);
    }

    [Fact]
    public void Null_field_is_present_renders_empty_and_takes_a_default()
    {
        var (request, failure) = Templates.Render(Templates.Entry(text: "[{{ payload.issue.body }}] {{ payload.issue.body | default: 'no description' }}"), Issue);

        Assert.Null(failure);
        Assert.Equal("[] no description", request!.Text);
    }

    [Fact]
    public void Loops_filters_and_sizes_work_on_payload_arrays()
    {
        var (request, _) = Templates.Render(
            Templates.Entry(text: "{% for l in payload.issue.labels %}{{ l.name | upcase }};{% endfor %} {{ payload.issue.labels.size }} {{ payload.issue.labels | map: 'name' | join: ', ' }}"),
            Issue);

        Assert.Equal("BUG;URGENT; 2 bug, urgent", request!.Text);
    }

    [Fact]
    public void Line_breaks_in_a_subject_are_folded_into_spaces()
    {
        var (request, _) = Templates.Render(Templates.Entry(subject: "{{ payload.title }}"), """{"title":"first line\r\nsecond line"}""");

        Assert.Equal("first line second line", request!.Subject);
    }

    [Fact]
    public void Each_recipient_entry_renders_one_address_and_empty_ones_are_dropped()
    {
        var entry = Templates.Entry(to: "Ops <ops@shop.example>, {{ payload.customer.email }}, {{ payload.customer.backup }}");

        var (request, _) = Templates.Render(entry, """{"customer":{"email":"ann@example.org","backup":null}}""");

        Assert.Equal(["Ops <ops@shop.example>", "ann@example.org"], request!.To!.Select(a => a.ToString()));
    }

    [Fact]
    public void A_comma_in_a_payload_value_cannot_add_a_recipient()
    {
        var (request, _) = Templates.Render(Templates.Entry(to: "{{ payload.email }}"), """{"email":"ann@example.org, mallory@evil.example"}""");

        var errors = new ValidationErrors();
        Assert.Single(request!.To!);
        Assert.Null(new SendRequestValidator(TestOptions.Limits(), TestOptions.Smtp(), TimeProvider.System).Validate(request, errors));
        Assert.True(errors.ToDictionary().ContainsKey("to[0]"));
    }

    [Fact]
    public void Runaway_loop_is_stopped_and_named()
    {
        var (_, failure) = Templates.Render(Templates.Entry(text: "{% for i in (1..10000000) %}x{% endfor %}"), Issue);

        Assert.Equal("text", failure!.Field);
    }

    [Fact]
    public void Templates_cannot_include_files() =>
        Assert.NotNull(Templates.Render(Templates.Entry(text: "{% include 'appsettings.json' %}"), Issue).Failure);

    [Fact]
    public void Unknown_filter_is_an_error_not_a_silent_pass_through() =>
        Assert.Contains("shout", Templates.Render(Templates.Entry(text: "{{ payload.action | shout }}"), Issue).Failure!.Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("payload.action == 'opened'", true)]
    [InlineData("payload.action == 'closed'", false)]
    [InlineData("payload.action == 'opened' and payload.issue.labels contains 'bug'", false)]
    [InlineData("payload.issue contains 'labels'", true)]
    [InlineData("payload.zen != empty", false)]
    public void Condition_decides_whether_the_hook_acts(string condition, bool expected)
    {
        var matched = Templates.Compile(Templates.Entry(condition: condition)).Matches(Templates.Context(Issue), out var failure);

        Assert.Null(failure);
        Assert.Equal(expected, matched);
    }

    [Fact]
    public void Condition_reading_a_field_the_payload_lacks_is_false_so_a_ping_is_ignored()
    {
        var matched = Templates.Compile(Templates.Entry(condition: "payload.action == 'opened'")).Matches(Templates.Context("""{"zen":"Keep it simple.","hook_id":1}"""), out var failure);

        Assert.False(matched);
        Assert.Null(failure);
    }
}
