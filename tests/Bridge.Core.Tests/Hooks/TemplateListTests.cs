using Bridge.Core.Hooks;

namespace Bridge.Core.Tests.Hooks;

public sealed class TemplateListTests
{
    [Theory]
    [InlineData("a@x.org", new[] { "a@x.org" })]
    [InlineData(" a@x.org , b@y.org ,", new[] { "a@x.org", "b@y.org" })]
    [InlineData("\"Doe, Jane\" <jane@x.org>, b@y.org", new[] { "\"Doe, Jane\" <jane@x.org>", "b@y.org" })]
    [InlineData("{{ payload.a | append: ',' }}, {% if x %}c@x.org{% endif %}", new[] { "{{ payload.a | append: ',' }}", "{% if x %}c@x.org{% endif %}" })]
    [InlineData("", new string[0])]
    public void Splits_on_commas_outside_tags_and_quoted_names(string source, string[] expected) =>
        Assert.Equal(expected, TemplateList.Split(source));
}
